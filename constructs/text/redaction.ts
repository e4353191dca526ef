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

/** Where a scalar sits: its path, and the path of the outermost secret key above it, if any. */
interface ScalarPlace {
  readonly path: ReadonlyArray<string | number>;
  /** Length of the path prefix that ends at the outermost secret key; 0 when not under one. */
  readonly secretDepth: number;
}

/**
 * The one tree walk of this module: rebuilds `node`, handing every string and number to `visit`
 * with its place, and keeping key order, booleans, null and holes as they are. Collecting
 * functions ignore the rebuilt tree.
 */
function mapScalars(
  node: JsonNode,
  visit: (scalar: JsonString | JsonNumber, place: ScalarPlace) => JsonNode,
  path: Array<string | number> = [],
  secretDepth = 0,
): JsonNode {
  switch (node.kind) {
    case 'object':
      return jsonObject(
        node.entries.map(([key, value]) => {
          const depth = secretDepth === 0 && isSecretKey(key) ? path.length + 1 : secretDepth;
          return [key, mapScalars(value, visit, [...path, key], depth)] as const;
        }),
      );
    case 'array':
      return jsonArray(node.items.map((item, index) => mapScalars(item, visit, [...path, index], secretDepth)));
    case 'string':
    case 'number':
      return visit(node, { path, secretDepth });
    default:
      return node;
  }
}

/** The node at `path` of `node`, or undefined. */
function nodeAt(node: JsonNode | undefined, path: ReadonlyArray<string | number>): JsonNode | undefined {
  let current = node;
  for (const step of path) {
    if (current?.kind === 'object' && typeof step === 'string') current = getMember(current, step);
    else if (current?.kind === 'array' && typeof step === 'number') current = current.items[step];
    else return undefined;
  }
  return current;
}

/** The secret in a scalar: its value under a secret key, or a URL's password elsewhere. */
function secretOf(
  scalar: JsonString | JsonNumber,
  place: ScalarPlace,
  keep: (value: string) => boolean,
): string | undefined {
  if (place.secretDepth > 0) {
    if (scalar.kind === 'number') return scalar.raw;
    return scalar.value === '' || keep(scalar.value) ? undefined : scalar.value;
  }
  return scalar.kind === 'string' ? URL_PASSWORD.exec(scalar.value)?.[2] : undefined;
}

const keepNothing = () => false;

/**
 * The document with every secret replaced by `<redacted>`: strings and numbers under a secret
 * key (in nested objects and arrays too), passwords in URLs, and occurrences of
 * `options.knownSecrets` inside other strings. Empty strings, booleans, null and holes stay, as
 * they reveal nothing.
 */
export function redactSecrets(node: JsonNode, options: RedactOptions = {}): JsonNode {
  return redact(node, undefined, options);
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
  const knownSecrets = [
    ...(options.knownSecrets ?? []),
    ...collectSecretValues(before, options),
    ...collectSecretValues(after, options),
  ];
  const withKnown = { ...options, knownSecrets };
  return { before: redact(before, undefined, withKnown), after: redact(after, before, withKnown) };
}

/**
 * Redacts `node`; with `counterpart` (the old document), secrets are compared with the value at
 * the same place there, so that a changed secret is marked instead of looking unchanged.
 */
function redact(node: JsonNode, counterpart: JsonNode | undefined, options: RedactOptions): JsonNode {
  const keep = options.keep ?? keepNothing;
  // Only scrub substrings long enough not to be ordinary words.
  const known = (options.knownSecrets ?? []).filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  const scrub = (value: string): string => {
    let out = value.replace(URL_PASSWORD, `$1:${REDACTED}@`);
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const paired = counterpart !== undefined;
  return mapScalars(node, (scalar, place) => {
    const other = paired ? nodeAt(counterpart, place.path) : undefined;
    if (place.secretDepth > 0) {
      if (scalar.kind === 'string' && (scalar.value === '' || keep(scalar.value))) return scalar;
      if (other === undefined) return jsonString(REDACTED);
      return jsonString(sameScalar(scalar, other) ? REDACTED : REDACTED_CHANGED);
    }
    if (scalar.kind === 'number') return scalar;
    const redacted = scrub(scalar.value);
    if (redacted === scalar.value) return scalar;
    // The visible text would be the same on both sides while the raw values differ: say so.
    if (other?.kind === 'string' && other.value !== scalar.value && scrub(other.value) === redacted) {
      return jsonString(redacted.split(REDACTED).join(REDACTED_CHANGED));
    }
    return jsonString(redacted);
  });
}

/**
 * The secret strings of a document (values under secret keys, URL passwords), longest first,
 * without duplicates and without the values `options.keep` accepts. For scrubbing text that is
 * built from the document by other means.
 */
export function collectSecretValues(node: JsonNode, options: Pick<RedactOptions, 'keep'> = {}): string[] {
  const found = new Set<string>();
  const keep = options.keep ?? keepNothing;
  mapScalars(node, (scalar, place) => {
    const secret = secretOf(scalar, place, keep);
    if (secret !== undefined) found.add(secret);
    return scalar;
  });
  return [...found].sort((a, b) => b.length - a.length);
}

/** Dotted paths of the non-empty values under secret keys (the outermost secret key of each). */
export function secretKeyPaths(node: JsonNode): string[] {
  const paths = new Set<string>();
  mapScalars(node, (scalar, place) => {
    if (place.secretDepth > 0 && !(scalar.kind === 'string' && scalar.value === '')) {
      paths.add(dottedPath(place.path.slice(0, place.secretDepth)));
    }
    return scalar;
  });
  return [...paths];
}

/** `a.b[0].c`, the way errors and warnings name a place in a document. */
function dottedPath(path: ReadonlyArray<string | number>): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** Replaces every occurrence of the given secrets in `text` (only those of `minLength` or more). */
export function scrubText(text: string, secrets: readonly string[], minLength = 1): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= minLength) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function sameScalar(a: JsonNode, b: JsonNode): boolean {
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'number' && b.kind === 'number') return a.raw === b.raw;
  return false;
}
