/**
 * Which values of botpress.config.json are secrets, and how to hide them in a review.
 *
 * The decision is made by key name, over the parsed document (so key order, numbers and
 * everything else survive): the OAuth2 `clientSecret`, the top-level `appSecret`,
 * `pro.licenseKey`, LDAP `bindCredentials`, SAML `privateKey` / `cert` / `decryptionPvk`,
 * passwords, tokens and the like. A key is split into words (camelCase, `_`, `-`, `.`) and
 * judged by its last word, so `tokenURL`, `authorizationURL`, `clientID` or
 * `passwordMinLength` stay visible while `clientSecret`, `bindCredentials` and `privateKey` do
 * not. Pure: no I/O, no cdktf.
 */
import { JsonNode, JsonNumber, JsonString, getMember, jsonArray, jsonObject, jsonString } from './json-document';

/** What a secret value is shown as. */
export const REDACTED = '<redacted>';
/** What a secret is shown as on the new side of a change when its value differs from the old one. */
export const REDACTED_CHANGED = '<redacted: changed>';

/** Last words that make a key a secret: `clientSecret`, `bindCredentials`, `privateKey`, `cert`. */
const SECRET_LAST_WORDS = new Set([
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'credential',
  'credentials',
  'key',
  'keys',
  'token',
  'tokens',
  'cert',
  'certs',
  'certificate',
  'certificates',
  'pvk',
  'pem',
  'pfx',
  'salt',
]);

/** The same, for keys written without word boundaries (`clientsecret`, `LICENSEKEY`). */
const SECRET_SUFFIXES = [
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
  'privatekey',
  'licensekey',
  'apikey',
  'secretkey',
  'accesskey',
  'signingkey',
  'accesstoken',
  'refreshtoken',
  'apitoken',
  'authtoken',
  'bottoken',
  'privatecert',
  'pvk',
];

/** Words that make `<word>Value`, `<word>Text`, ... a secret too (`secretValue`, `passwordHash`). */
const STRONG_WORDS = new Set(['secret', 'password', 'passwd', 'passphrase', 'credential', 'credentials']);
const CARRIER_LAST_WORDS = new Set(['value', 'text', 'string', 'data', 'base64', 'b64', 'hex', 'raw', 'hash']);

/**
 * Keys that look like secrets by name but hold none. `jwtToken` is Botpress's JWT settings
 * object (`duration`, `allowRefresh`, ...), not a token.
 */
const NOT_SECRET_KEYS = new Set(['jwttoken']);

/** The words of a key, lower-cased: `authorizationURL` gives `authorization`, `url`. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Whether a value under this key is a secret (judged by the key's name alone). */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  const compact = words.join('');
  if (NOT_SECRET_KEYS.has(compact)) return false;
  const last = words[words.length - 1];
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (SECRET_SUFFIXES.some((suffix) => compact.endsWith(suffix))) return true;
  return CARRIER_LAST_WORDS.has(last) && words.slice(0, -1).some((word) => STRONG_WORDS.has(word));
}

export interface RedactOptions {
  /**
   * Strings shown as they are even under a secret key, because they hold no secret: review
   * placeholders such as `<client secret, issued by Entra at deploy; never shown>`.
   */
  readonly keep?: (value: string) => boolean;
  /**
   * Secret values found elsewhere (see `collectSecretValues`) that must not appear inside
   * other strings either; occurrences are replaced with `<redacted>`.
   */
  readonly knownSecrets?: readonly string[];
}

/** The password of a URL with credentials (`https://user:password@host`). */
const URL_PASSWORD = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\s:]*):([^/?#@\s]+)@/;

/**
 * The document with every secret replaced by `<redacted>`: strings and numbers under a secret
 * key (in nested objects and arrays too), passwords in URLs, and occurrences of
 * `options.knownSecrets` inside other strings. Empty strings, booleans, null and holes stay, as
 * they reveal nothing.
 */
export function redactSecrets(node: JsonNode, options: RedactOptions = {}): JsonNode {
  return new Redactor(options).walk(node, false, ABSENT);
}

/**
 * Redacts both sides of a change to the document. The old side is `redactSecrets(before)`;
 * on the new side a secret equal to the old one at the same place is `<redacted>` too (so a
 * diff of the two shows no line for it), and one that differs is `<redacted: changed>`.
 */
export function redactSecretChange(
  before: JsonNode,
  after: JsonNode,
  options: RedactOptions = {},
): { readonly before: JsonNode; readonly after: JsonNode } {
  const knownSecrets = [...(options.knownSecrets ?? []), ...collectSecretValues(before, options), ...collectSecretValues(after, options)];
  const redactor = new Redactor({ ...options, knownSecrets });
  return { before: redactor.walk(before, false, ABSENT), after: redactor.walk(after, false, before) };
}

/**
 * The secret strings of a document (values under secret keys, URL passwords), longest first,
 * without duplicates and without the values `options.keep` accepts. For scrubbing text that is
 * built from the document by other means.
 */
export function collectSecretValues(node: JsonNode, options: Pick<RedactOptions, 'keep'> = {}): string[] {
  const found = new Set<string>();
  const keep = options.keep ?? (() => false);
  const visit = (n: JsonNode, inSecret: boolean): void => {
    switch (n.kind) {
      case 'object':
        for (const [key, value] of n.entries) visit(value, inSecret || isSecretKey(key));
        return;
      case 'array':
        for (const item of n.items) visit(item, inSecret);
        return;
      case 'string': {
        if (inSecret) {
          if (n.value !== '' && !keep(n.value)) found.add(n.value);
          return;
        }
        const password = URL_PASSWORD.exec(n.value)?.[2];
        if (password) found.add(password);
        return;
      }
      case 'number':
        if (inSecret) found.add(n.raw);
        return;
      default:
        return;
    }
  };
  visit(node, false);
  return [...found].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the given secrets in `text` (only those of `minLength` or more). */
export function scrubText(text: string, secrets: readonly string[], minLength = 1): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= minLength) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Marks "no counterpart to compare with": every secret is plainly `<redacted>`. */
const ABSENT: unique symbol = Symbol('absent');
type Counterpart = JsonNode | undefined | typeof ABSENT;

class Redactor {
  private readonly keep: (value: string) => boolean;
  private readonly knownSecrets: readonly string[];

  constructor(options: RedactOptions) {
    this.keep = options.keep ?? (() => false);
    // Only scrub substrings long enough not to be ordinary words.
    this.knownSecrets = (options.knownSecrets ?? []).filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  }

  /** `other` is the node at the same place in the old document (pair mode), or ABSENT. */
  walk(node: JsonNode, inSecret: boolean, other: Counterpart): JsonNode {
    switch (node.kind) {
      case 'object':
        return jsonObject(
          node.entries.map(([key, value]) => [key, this.walk(value, inSecret || isSecretKey(key), this.member(other, key))] as const),
        );
      case 'array':
        return jsonArray(node.items.map((item, index) => this.walk(item, inSecret, this.item(other, index))));
      case 'string':
        return inSecret ? this.secret(node, other) : this.plain(node.value, other);
      case 'number':
        return inSecret ? this.secret(node, other) : node;
      default:
        return node;
    }
  }

  private secret(node: JsonString | JsonNumber, other: Counterpart): JsonNode {
    if (node.kind === 'string' && (node.value === '' || this.keep(node.value))) return node;
    if (other === ABSENT || other === undefined) return jsonString(REDACTED);
    return jsonString(sameScalar(node, other) ? REDACTED : REDACTED_CHANGED);
  }

  private plain(value: string, other: Counterpart): JsonNode {
    const redacted = this.scrub(value);
    if (redacted === value) return jsonString(value);
    // The visible text would be the same on both sides while the raw values differ: say so.
    if (other !== ABSENT && other?.kind === 'string' && other.value !== value && this.scrub(other.value) === redacted) {
      return jsonString(redacted.split(REDACTED).join(REDACTED_CHANGED));
    }
    return jsonString(redacted);
  }

  /** A non-secret string with URL passwords and known secrets taken out. */
  private scrub(value: string): string {
    let out = value.replace(URL_PASSWORD, `$1:${REDACTED}@`);
    for (const secret of this.knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  private member(other: Counterpart, key: string): Counterpart {
    if (other === ABSENT) return ABSENT;
    if (other?.kind !== 'object') return undefined;
    return getMember(other, key);
  }

  private item(other: Counterpart, index: number): Counterpart {
    if (other === ABSENT) return ABSENT;
    return other?.kind === 'array' ? other.items[index] : undefined;
  }
}

function sameScalar(a: JsonNode, b: JsonNode): boolean {
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'number' && b.kind === 'number') return a.raw === b.raw;
  return false;
}

/** Dotted paths of the non-empty values under secret keys (the outermost secret key of each). */
export function secretKeyPaths(node: JsonNode, path = ''): string[] {
  if (node.kind === 'array') return node.items.flatMap((item, i) => secretKeyPaths(item, `${path}[${i}]`));
  if (node.kind !== 'object') return [];
  return node.entries.flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    if (!isSecretKey(key)) return secretKeyPaths(value, at);
    const empty = (value.kind === 'string' && value.value === '') || value.kind === 'literal';
    return empty ? [] : [at];
  });
}
