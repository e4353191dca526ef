import { SsoInputError, ValueDescription } from '../input-error';

/** `scheme://user:password@` at the start of a URL: the user part is everything before the host's `@`. */
const CREDENTIALS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@([^/?#]*)/;

/** Characters Entra refuses in redirect URIs. */
const FORBIDDEN_REDIRECT_CHARACTERS = /[!$'(),;*\s\\]/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_REDIRECT_URI_LENGTH = 256;
export const CALLBACK_PATH = '/api/v1/auth/login-callback/oauth2/';
/** Where Botpress 12 lists its strategies (read by verify and by the restart step's wait). */
export const AUTH_CONFIG_PATH = '/api/v1/admin/auth/config';

/**
 * Checks Botpress's external URL and returns it normalized: lower-case host, no default port,
 * no trailing slash, so that `<base>/api/...` never has a double slash.
 */
export function normalizeBotpressUrl(input: string, field = 'botpressUrl'): string {
  const example = 'https://bots.example.com or https://example.com/botpress';
  // Credentials are refused first, and no message shows them: errors print the URL without them.
  const credentials = CREDENTIALS.exec(input);
  if (credentials) {
    throw new SsoInputError(
      field,
      new ValueDescription(`a URL with a user name or password for ${credentials[2]}, not shown`),
      'contains credentials, which a redirect URI must not carry',
      `remove them: ${input.replace(CREDENTIALS, '$1$2')}`,
    );
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SsoInputError(field, input, 'is not a URL', `write Botpress's full external URL, for example ${example}`);
  }
  const forbidden = FORBIDDEN_REDIRECT_CHARACTERS.exec(input);
  if (forbidden) {
    throw new SsoInputError(
      field,
      input,
      `contains ${JSON.stringify(forbidden[0])}, which Entra does not accept in a redirect URI`,
      'remove it, or percent-encode it if it belongs in the path',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    const https = url.protocol === 'http:' ? input.replace(/^http:/i, 'https:') : example;
    throw new SsoInputError(field, input, 'is not an https URL', `use ${https}; Entra accepts http only for localhost`);
  }
  for (const [mark, part] of [
    ['?', 'a query string'],
    ['#', 'a fragment'],
  ] as const) {
    const at = input.indexOf(mark);
    if (at !== -1)
      throw new SsoInputError(field, input, `has ${part}`, `remove everything from '${mark}': ${input.slice(0, at)}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path.includes('//')) {
    throw new SsoInputError(
      field,
      input,
      'has an empty path segment (//)',
      'write the path prefix with single slashes',
    );
  }
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Botpress's callback URL for an oauth2 strategy on the already normalized `botpressUrl`, checked
 * against Entra's redirect URI limits. `input` is the URL as the caller wrote it, for errors.
 */
export function callbackUrlOf(
  normalizedUrl: string,
  strategyName: string,
  input = normalizedUrl,
  field = 'botpressUrl',
): string {
  const callback = `${normalizedUrl}${CALLBACK_PATH}${strategyName}`;
  if (callback.length > MAX_REDIRECT_URI_LENGTH) {
    throw new SsoInputError(
      field,
      input,
      `gives a callback URL of ${callback.length} characters; Entra accepts at most ${MAX_REDIRECT_URI_LENGTH}`,
      'shorten the path prefix or the strategy name',
    );
  }
  return callback;
}

/** Botpress's callback URL for an oauth2 strategy on `botpressUrl` as written. */
export function callbackUrlFor(botpressUrl: string, strategyName: string, field = 'botpressUrl'): string {
  return callbackUrlOf(normalizeBotpressUrl(botpressUrl, field), strategyName, botpressUrl, field);
}
