import type { OAuthEndpoints } from '../entra/endpoints';
import { GRAPH_SCOPES } from '../entra/graph';
import { JsonObject, fromValue, jsonBoolean, jsonHole, jsonObject, jsonString } from '../private/text/json-document';

/** Strings of the strategy that are known only at apply time, by hole name. */
export const HOLES = {
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  authorizationUrl: 'authorizationUrl',
  tokenUrl: 'tokenUrl',
} as const;
export type HoleName = (typeof HOLES)[keyof typeof HOLES];

/** The strategy's `scope` option: the app's Graph scopes. */
export const SCOPE = GRAPH_SCOPES.join(' ');

export interface StrategyEntryOptions {
  readonly allowSelfSignup: boolean;
  readonly label?: string;
  readonly callbackUrl: string;
  readonly userInfoUrl: string;
  /** Known endpoints, or undefined when they depend on the deployer's tenant (then holes). */
  readonly endpoints?: Pick<OAuthEndpoints, 'authorizationUrl' | 'tokenUrl'>;
  /** A literal clientSecret (environment delivery), or undefined for the real secret (a hole). */
  readonly clientSecretText?: string;
}

/**
 * The `authStrategies.<name>` entry as Botpress 12 documents it for Entra ID, with the fields
 * its schema requires (`hidden`, the six options). Key order follows the documentation.
 */
export function strategyEntry(options: StrategyEntryOptions): JsonObject {
  const known = (name: HoleName, value: string | undefined) =>
    value === undefined ? jsonHole(name) : jsonString(value);
  return jsonObject([
    ['type', jsonString('oauth2')],
    ['allowSelfSignup', jsonBoolean(options.allowSelfSignup)],
    ['hidden', jsonBoolean(false)],
    ...(options.label !== undefined ? [['label', jsonString(options.label)] as const] : []),
    [
      'options',
      jsonObject([
        ['authorizationURL', known(HOLES.authorizationUrl, options.endpoints?.authorizationUrl)],
        ['tokenURL', known(HOLES.tokenUrl, options.endpoints?.tokenUrl)],
        ['clientSecret', known(HOLES.clientSecret, options.clientSecretText)],
        ['clientID', jsonHole(HOLES.clientId)],
        ['callbackURL', jsonString(options.callbackUrl)],
        ['scope', jsonString(SCOPE)],
        ['userInfoURL', jsonString(options.userInfoUrl)],
      ]),
    ],
    ['fieldMapping', fromValue({ email: 'email' })],
  ]);
}

/** The Botpress environment override that replaces the secret (Botpress upper-cases the path). */
export function secretEnvironmentVariable(strategyName: string): string {
  return `BP_CONFIG_AUTHSTRATEGIES_${strategyName.toUpperCase()}_OPTIONS_CLIENTSECRET`;
}
