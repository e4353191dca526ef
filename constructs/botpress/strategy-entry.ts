import { JsonObject, fromValue, jsonBoolean, jsonHole, jsonObject, jsonString } from '../text/json-document';

/** Strings of the strategy that are known only at apply time, by hole name. */
export const HOLES = {
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  authorizationUrl: 'authorizationUrl',
  tokenUrl: 'tokenUrl',
} as const;
export type HoleName = (typeof HOLES)[keyof typeof HOLES];

/** What the plan review shows in place of values that only apply knows. */
export const PREVIEW_PLACEHOLDERS: Readonly<Record<HoleName, string>> = {
  clientId: '<application (client) id, known after deploy>',
  clientSecret: '<client secret, issued by Entra at deploy; never shown>',
  authorizationUrl: "<authorize endpoint of the deploying credentials' tenant>",
  tokenUrl: "<token endpoint of the deploying credentials' tenant>",
};

export interface StrategyEntryOptions {
  readonly allowSelfSignup: boolean;
  readonly label?: string;
  readonly callbackUrl: string;
  readonly userInfoUrl: string;
  /** The `scope` option: the delegated scopes the app requests, space-separated. */
  readonly scope: string;
  /** Known endpoints, or undefined when they depend on the deployer's tenant (then holes). */
  readonly endpoints?: { readonly authorizationUrl: string; readonly tokenUrl: string };
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
        ['scope', jsonString(options.scope)],
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
