/**
 * Where verify may send the client secret: only to the token endpoint the settings derive (cloud,
 * audience and tenantId, as the construct renders it), never to whatever the live config says.
 * The config is Botpress's file, which Botpress's user and bot code can write: a tokenURL pointed
 * at their own server would otherwise receive the secret (and an authorizationURL, the client id
 * with the callback URL). Without tenantId, a single-tenant (AzureADMyOrg) config's tenant segment
 * is taken from the config only when it is a GUID on the cloud's login host. Pure.
 */
import { type AzureCloud, CLOUDS, oauthEndpoints, type SignInAudience } from '../../constructs/internal';

export type EntraEndpoints =
  /** The config names the endpoints the settings derive; requests go to these URLs, built here. */
  | {
      readonly kind: 'derived';
      readonly loginHost: string;
      readonly authority: string;
      readonly tokenUrl: string;
      readonly authorizationUrl: string;
    }
  /** The config names something else: nothing that carries the secret or the client id goes there. */
  | { readonly kind: 'elsewhere'; readonly problems: readonly string[] };

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What is wrong with `configured` (option `name`) when the settings give `expected` (`wanted`
 * describes it): the host it names when that is not the cloud's login host, else the whole URL.
 */
function difference(name: string, configured: string, wanted: string, loginHost: string, cloud: AzureCloud): string {
  let url: URL | undefined;
  try {
    url = new URL(configured);
  } catch {
    return `${name} ${JSON.stringify(configured)} is not a URL; the settings give ${wanted}`;
  }
  if (url.protocol !== 'https:' || url.host !== loginHost)
    return `${name} names host ${url.host || '(none)'} (${url.protocol}), not ${loginHost}, the login host of cloud ${cloud}; the settings give ${wanted}`;
  return `${name} is ${url.href} (another path on ${loginHost}); the settings give ${wanted}`;
}

export function entraEndpointsFor(
  settings: { readonly cloud: AzureCloud; readonly signInAudience: SignInAudience; readonly tenantId?: string },
  configured: { readonly tokenURL: string; readonly authorizationURL: string },
): EntraEndpoints {
  const { cloud, signInAudience, tenantId } = settings;
  const loginHost = CLOUDS[cloud].loginHost;
  let tenant = tenantId;
  if (tenant === undefined && signInAudience === 'AzureADMyOrg') {
    const match = new RegExp(`^https://${escape(loginHost)}/(${GUID})/oauth2/v2\\.0/token$`).exec(configured.tokenURL);
    if (!match) {
      const wanted = `https://${loginHost}/<tenant id, a GUID>/oauth2/v2.0/token`;
      return { kind: 'elsewhere', problems: [difference('tokenURL', configured.tokenURL, wanted, loginHost, cloud)] };
    }
    tenant = match[1];
  }
  // For the multi-tenant audiences the tenant does not appear in the endpoints.
  const expected = oauthEndpoints(cloud, signInAudience, (tenant ?? 'organizations').toLowerCase());
  const problems = (
    [
      ['tokenURL', configured.tokenURL, expected.tokenUrl],
      ['authorizationURL', configured.authorizationURL, expected.authorizationUrl],
    ] as const
  )
    .filter(([, actual, wanted]) => !sameEndpoint(actual, wanted))
    .map(([name, actual, wanted]) => difference(name, actual, wanted, loginHost, cloud));
  if (problems.length > 0) return { kind: 'elsewhere', problems };
  const authority = new URL(expected.tokenUrl).pathname.split('/')[1];
  return {
    kind: 'derived',
    loginHost,
    authority,
    tokenUrl: expected.tokenUrl,
    authorizationUrl: expected.authorizationUrl,
  };
}

/** Equal, but for the case of the tenant GUID (Entra's ids are case-insensitive). */
function sameEndpoint(actual: string, wanted: string): boolean {
  const guid = new RegExp(GUID, 'g');
  return actual.replace(guid, (id) => id.toLowerCase()) === wanted.replace(guid, (id) => id.toLowerCase());
}
