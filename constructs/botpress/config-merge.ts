import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { validateBotpressConfig } from '../generated/validators';
import { SsoInputError, SsoInputErrors, ValueDescription, fromSchemaErrors } from '../input-error';
import {
  JsonArray,
  JsonNode,
  JsonObject,
  deleteMember,
  getMember,
  jsonArray,
  jsonBoolean,
  jsonObject,
  jsonString,
  setMember,
  toValue,
} from '../text/json-document';

/** What to do with the SSO strategy in botpress.config.json. */
export type StrategyChange =
  | { readonly action: 'upsert'; readonly name: string; readonly entry: JsonObject }
  | { readonly action: 'remove'; readonly name: string };

export interface MergeResult {
  readonly config: JsonObject;
  /** Things an admin should know that do not stop the render. */
  readonly findings: readonly SsoFinding[];
}

/** Botpress's own default, used when the file has no list yet. */
const DEFAULT_COLLABORATOR_STRATEGIES = ['default'];
const DEFAULT_EXTERNAL_AUTH_ALGORITHMS = ['HS256'];

/**
 * Applies the SSO change to an admin's botpress.config.json, keeping every other key, value and
 * key order. Pure: the same inputs give the same document; rendering twice changes nothing.
 *
 * `source` names the file in error messages.
 */
export function mergeBotpressConfig(base: JsonNode, change: StrategyChange, source: string): MergeResult {
  checkShape(base, source);
  const root = base as JsonObject;
  const findings: SsoFinding[] = [];
  const at = (path: string) => `${source} at ${path}`;

  // --- authStrategies.<name> -------------------------------------------------------------------
  let strategies = (getMember(root, 'authStrategies') as JsonObject | undefined) ?? jsonObject([]);
  const existing = getMember(strategies, change.name) as JsonObject | undefined;
  if (existing) {
    const type = toValue(getMember(existing, 'type') ?? { kind: 'literal', value: null });
    if (type !== 'oauth2') {
      throw new SsoInputError(
        at(`authStrategies.${change.name}.type`),
        type,
        `belongs to an existing ${String(type)} strategy named "${change.name}", which SSO would overwrite`,
        'choose another strategyName (for example "azuread")',
      );
    }
  }
  strategies =
    change.action === 'upsert'
      ? setMember(strategies, change.name, change.entry)
      : deleteMember(strategies, change.name);

  // --- pro.collaboratorsAuthStrategies and pro.externalAuth ------------------------------------
  let pro = getMember(root, 'pro') as JsonObject;
  const listNode = getMember(pro, 'collaboratorsAuthStrategies') as JsonArray | undefined;
  const names = listNode ? listNode.items.map((item) => toValue(item) as string) : DEFAULT_COLLABORATOR_STRATEGIES;
  let nextNames: string[];
  if (change.action === 'upsert') {
    nextNames = names.includes(change.name) ? names : [...names, change.name];
  } else {
    nextNames = names.filter((name) => name !== change.name);
    if (nextNames.length === 0 && names.length > 0) {
      findings.push(
        finding(
          FINDING_KINDS.collaboratorsEmptied,
          at('pro.collaboratorsAuthStrategies'),
          'is now empty: nobody can sign in to the admin UI',
          'add a strategy such as "default" to the list',
        ),
      );
    }
  }
  if (!listNode || nextNames.length !== names.length) {
    pro = setMember(pro, 'collaboratorsAuthStrategies', jsonArray(nextNames.map(jsonString)));
  }

  if (change.action === 'upsert') {
    let externalAuth = (getMember(pro, 'externalAuth') as JsonObject | undefined) ?? jsonObject([]);
    externalAuth = setMember(externalAuth, 'enabled', jsonBoolean(true));
    if (!getMember(externalAuth, 'algorithms')) {
      externalAuth = setMember(externalAuth, 'algorithms', jsonArray(DEFAULT_EXTERNAL_AUTH_ALGORITHMS.map(jsonString)));
    }
    pro = setMember(pro, 'externalAuth', externalAuth);
    if (toValue(getMember(pro, 'enabled') ?? jsonBoolean(false)) !== true) {
      findings.push(
        finding(
          FINDING_KINDS.proNotEnabled,
          at('pro.enabled'),
          'is not true: Botpress offers SSO only with Pro enabled and a license',
          'set pro.enabled and pro.licenseKey (or BP_LICENSE_KEY), then restart Botpress',
        ),
      );
    }
  }

  let config = root;
  if (getMember(root, 'authStrategies') || change.action === 'upsert')
    config = setMember(config, 'authStrategies', strategies);
  config = setMember(config, 'pro', pro);
  return { config, findings };
}

function checkShape(base: JsonNode, source: string): void {
  if (base.kind !== 'object') {
    throw new SsoInputError(
      source,
      `a JSON ${base.kind}`,
      'must hold a JSON object',
      `pass the text of Botpress's data/global/botpress.config.json`,
    );
  }
  // Only the parts the schema describes: converting a multi-megabyte file whole costs time.
  const value: Record<string, unknown> = {};
  for (const key of ['authStrategies', 'pro']) {
    const member = getMember(base, key);
    if (member) value[key] = toValue(member);
  }
  if (!validateBotpressConfig(value)) {
    const errors = fromSchemaErrors(validateBotpressConfig.errors ?? [], '').map((e) => withFix(e, source));
    throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  }
}

/**
 * What an error may show of a value from the admin's file. The file holds secrets (client
 * secrets, license keys) anywhere a value is malformed, so only scalars that cannot be one are
 * shown as they are; anything else is described by its kind.
 */
function safeValue(value: unknown, field: string): unknown {
  if (value === undefined || value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (
    typeof value === 'string' &&
    /(^|\.)(type|collaboratorsAuthStrategies(\.\d+)?|algorithms(\.\d+)?)$/.test(field) &&
    value.length <= 40
  )
    return value;
  if (Array.isArray(value)) return new ValueDescription(`a JSON array of ${value.length} items`);
  if (typeof value === 'object') return new ValueDescription('a JSON object');
  return new ValueDescription(`a string of ${String(value).length} characters`);
}

/** Config-file errors get a fix that speaks of the file, not of settings. */
function withFix(schemaError: SsoInputError, source: string): SsoInputError {
  const error = new SsoInputError(
    schemaError.field,
    safeValue(schemaError.value, schemaError.field),
    schemaError.problem,
    schemaError.fix,
  );
  const field = `${source} at ${error.field}`;
  if (error.field === 'pro' && error.value === undefined) {
    return new SsoInputError(
      field,
      undefined,
      'is missing; Botpress reads the file as it is and needs a complete pro section',
      'start Botpress once so that it writes its full default config, then run again',
    );
  }
  if (error.problem === 'is not an accepted value' && /^authStrategies\.[^.]+\.type$/.test(error.field)) {
    return new SsoInputError(
      field,
      error.value,
      'is not a Botpress strategy type',
      'use "basic", "saml", "ldap" or "oauth2"',
    );
  }
  return new SsoInputError(
    field,
    error.value,
    error.problem,
    `edit the file so that ${error.field} ${error.problem} (Botpress 12 writes it that way)`,
  );
}
