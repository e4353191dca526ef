/**
 * The config Botpress 12 computes from its stored config and the process environment, reproduced
 * from botpress/v12 packages/bp/src/core/config/ with the same library (lodash):
 *
 * - config-utils.ts `getValidJsonSchemaProperties`: the eligible paths are the leaves of the config
 *   schema; a map (`additionalProperties`) contributes its own path plus the leaves under each key
 *   the stored config has. Object paths (`pro.externalAuth`) are NOT eligible.
 * - config-loader.ts `_makeBPConfigEnvKey`: `BP_CONFIG_` + the path with dots as underscores, upper-cased.
 * - config-utils.ts `getValueFromEnvKey`: `JSON.parse(value)`, or the raw text when that throws.
 * - config-loader.ts `_loadBotpressConfigFromEnv` / `getBotpressConfig`: `_.set(overrides, path,
 *   value)` for each eligible path (sorted) whose variable is set, then `_.merge(config, overrides)`.
 *
 * Only the parts of the schema SSO touches are listed (botpress.config.ts: `pro`, `ExternalAuthConfig`,
 * `AuthStrategy` and the OAuth2 options); that is enough to tell which of our variables Botpress
 * reads, and `unread` reports any it would ignore.
 */
import _ from 'lodash';

const ADDPROP = 'ADDPROP';
const STRATEGY_LEAVES = [
  'id',
  'type',
  'label',
  'allowSelfSignup',
  'hidden',
  'fieldMapping.email',
  'fieldMapping.fullName',
].concat(
  [
    'authorizationURL',
    'tokenURL',
    'clientID',
    'clientSecret',
    'callbackURL',
    'scope',
    'userInfoURL',
    'jwtTokenKey',
  ].map((k) => `options.${k}`),
);
const SCHEMA_LEAVES = [
  'pro.collaboratorsAuthStrategies',
  'pro.enabled',
  'pro.licenseKey',
  'pro.externalAuth.enabled',
  'pro.externalAuth.audience',
  'pro.externalAuth.issuer',
  'pro.externalAuth.algorithms',
  'pro.externalAuth.publicKey',
  'pro.externalAuth.jwksClient.jwksUri',
  'pro.externalAuth.jwksClient.keyId',
  'appSecret',
  'version',
  ...STRATEGY_LEAVES.map((leaf) => `authStrategies.${ADDPROP}.${leaf}`),
];

/** config-utils.ts resolveAdditionalProperties/expandPath, for one level of maps. */
function eligiblePaths(config: unknown): string[] {
  const paths = new Set<string>();
  for (const path of SCHEMA_LEAVES) {
    const at = path.indexOf(ADDPROP);
    if (at === -1) {
      paths.add(path);
      continue;
    }
    const parent = path.slice(0, at - 1);
    paths.add(parent);
    for (const key of Object.keys(_.get(config, parent) ?? {})) paths.add(path.replace(ADDPROP, key));
  }
  return [...paths].sort();
}

export const botpressVariableName = (path: string) => `BP_CONFIG_${path.split('.').join('_')}`.toUpperCase();

function valueFromEnv(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The effective config, and the variables Botpress would not read at all. */
export function effectiveBotpressConfig(
  storedText: string,
  env: ReadonlyArray<readonly [string, string]>,
): { config: any; unread: string[] } {
  const stored = JSON.parse(storedText);
  const environment = new Map(env.map(([k, v]) => [k, v]));
  const overrides = {};
  const read = new Set<string>();
  for (const path of eligiblePaths(stored)) {
    const name = botpressVariableName(path);
    const text = environment.get(name);
    if (text === undefined) continue;
    read.add(name);
    _.set(overrides, path, valueFromEnv(text));
  }
  return { config: _.merge(stored, overrides), unread: [...environment.keys()].filter((name) => !read.has(name)) };
}
