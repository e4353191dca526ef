import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { SsoInputError } from '../input-error';
import { JsonNode, getMember } from '../text/json-document';

/** Botpress replaces every match in the file's text by an environment variable before parsing. */
const BOTPRESS_ENV_REFERENCE = /%([a-zA-Z0-9_]+)%/;
/** First version whose SSO works under a path prefix (botpress/v12#1654). */
export const PATH_PREFIX_SSO_VERSION = '12.28.1';

export interface HostCheckInput {
  /** botpressUrl, normalized (no trailing slash). */
  readonly botpressUrl: string;
  /** Strings this tool writes into the file, by the setting they come from. */
  readonly addedStrings: ReadonlyArray<readonly [field: string, value: string]>;
}

/**
 * Checks of the Botpress host that synthesis can make from the config file alone. Returns
 * findings; throws an SsoInputError for text Botpress would silently alter. Pure.
 * (`pro.enabled` not true is warned about by mergeBotpressConfig already.)
 */
export function hostChecks(config: JsonNode, input: HostCheckInput): SsoFinding[] {
  for (const [field, value] of input.addedStrings) {
    const match = BOTPRESS_ENV_REFERENCE.exec(value);
    if (match) {
      throw new SsoInputError(
        field,
        value,
        `contains ${match[0]}, which Botpress replaces with the environment variable ${match[1]} (or the text "undefined") when it reads botpress.config.json`,
        `write it without %...% around letters, digits or "_" (for example percent-encode or drop one "%")`,
      );
    }
  }
  const findings: SsoFinding[] = [];
  const externalUrl = stringAt(config, 'httpServer', 'externalUrl');
  if (externalUrl === undefined || externalUrl.trim() === '') {
    findings.push(
      finding(
        FINDING_KINDS.externalUrlEmpty,
        'baseConfig at httpServer.externalUrl',
        'is empty: Botpress then builds its URL, and the callback, from EXTERNAL_URL or falls back to http://localhost:3000, which Entra will refuse',
        `start Botpress with EXTERNAL_URL=${input.botpressUrl} (or set httpServer.externalUrl to it)`,
      ),
    );
  } else {
    const difference = urlDifference(externalUrl, input.botpressUrl);
    if (difference) {
      findings.push(
        finding(
          FINDING_KINDS.externalUrlDiffers,
          `baseConfig at httpServer.externalUrl = ${JSON.stringify(externalUrl)}`,
          `differs from botpressUrl ${JSON.stringify(input.botpressUrl)} (${difference}): Botpress would send a callback URL Entra does not know (AADSTS50011), unless EXTERNAL_URL overrides it`,
          `make them the same URL (set httpServer.externalUrl or EXTERNAL_URL to ${input.botpressUrl}, or botpressUrl to Botpress's URL)`,
        ),
      );
    }
  }
  const prefix = new URL(input.botpressUrl).pathname.replace(/\/+$/, '');
  const version = stringAt(config, 'version');
  if (prefix !== '' && version !== undefined && compareVersions(version, PATH_PREFIX_SSO_VERSION) < 0) {
    findings.push(
      finding(
        FINDING_KINDS.pathPrefixOnOldBotpress,
        'botpressUrl',
        `has the path prefix ${JSON.stringify(prefix)}, and baseConfig at version = ${JSON.stringify(version)} says Botpress is older than ${PATH_PREFIX_SSO_VERSION}, where SSO under a path prefix is broken (botpress/v12#1654)`,
        `upgrade Botpress to ${PATH_PREFIX_SSO_VERSION} or later, or serve it without a path prefix`,
      ),
    );
  }
  return findings;
}

/** What differs between two URLs, or undefined; a trailing slash alone is no difference. */
export function urlDifference(a: string, b: string): string | undefined {
  let x: URL;
  let y: URL;
  try {
    x = new URL(a);
    y = new URL(b);
  } catch {
    return 'not a URL';
  }
  const parts: string[] = [];
  if (x.protocol !== y.protocol) parts.push('scheme');
  if (x.hostname !== y.hostname) parts.push('host');
  if (x.port !== y.port) parts.push('port');
  if (x.pathname.replace(/\/+$/, '') !== y.pathname.replace(/\/+$/, '')) parts.push('path');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Compares dotted numeric versions ("12.30.9"); a non-number part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const y = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function stringAt(node: JsonNode, ...keys: string[]): string | undefined {
  let current: JsonNode | undefined = node;
  for (const key of keys) {
    if (current?.kind !== 'object') return undefined;
    current = getMember(current, key);
  }
  return current?.kind === 'string' ? current.value : undefined;
}
