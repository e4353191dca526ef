/**
 * botpress.config.json as the construct renders it: one pure function from the admin's current
 * text and the resolved props to Terraform template chunks, a preview for reviews, the hash the
 * lost-update guard compares, and the findings an admin should know about.
 */
import { createHash } from 'node:crypto';
import { hostChecks } from '../botpress/host-checks';
import { SSO_DEFAULTS } from '../defaults';
import { ObservedFile, effectiveMode, formatMode } from '../placement/file-ownership';
import type { ResolvedSsoProps } from '../botpress-azure-sso-props';
import { mergeBotpressConfig } from '../botpress/config-merge';
import {
  EnvironmentOverride,
  applyOverrides,
  checkCompleteExport,
  environmentOverrides,
  renderEnvFile,
  unexpressedDifferences,
  unexpressedFindings,
  withProEnabled,
} from '../botpress/environment-overrides';
import { HoleName, PREVIEW_PLACEHOLDERS, strategyEntry } from '../botpress/strategy-entry';
import { GRAPH_SCOPES } from '../entra/graph';
import { CLOUDS, OAuthEndpoints, oauthEndpoints } from '../entra/endpoints';
import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import {
  validateAuthStrategy,
  validateCollaboratorsAuthStrategies,
  validateExternalAuth,
} from '../generated/validators';
import { JsonNode, JsonObject, getMember, parseJsonInput, renderJson, toValue } from '../text/json-document';
import { secretKeyPaths } from '../text/redaction';
import { toTerraformTemplateChunks } from '../text/terraform-template';

const SAMPLE_GUID = '00000000-0000-0000-0000-000000000000';

export interface ConfigRenderInput {
  /** The current text of botpress.config.json. */
  readonly baseConfig: string;
  /** Its owner, group and mode as synthesis saw them, if known (for the mode warning). */
  readonly observedConfigFile?: ObservedFile;
  /** The same for the env file, if it exists (it keeps its mode; a new one gets 0600). */
  readonly observedEnvFile?: ObservedFile;
  readonly options: ResolvedSsoProps;
  readonly endpoints: OAuthEndpoints;
  /** Whether the endpoints are known at synthesis (else they are filled in at apply). */
  readonly endpointsKnown: boolean;
  /** With environment delivery: the variable that carries the secret instead of the file. */
  readonly secretEnvironmentVariable?: string;
  /** For each value only apply knows, a Terraform template giving its JSON encoding (enabled only). */
  readonly applyTimeJson?: (hole: HoleName) => string;
}

export interface RenderedConfig {
  /** Disk storage: Terraform templates whose concatenation (`join("", ...)`) is the file. */
  readonly templateChunks?: readonly string[];
  /** Database storage: the `BP_CONFIG_*` variables (none when SSO is disabled). */
  readonly environmentOverrides?: readonly EnvironmentOverride[];
  /**
   * The env file as a Terraform template: the client secret alone (environment delivery), or the
   * whole SSO configuration (database storage). Absent when there is none to write.
   */
  readonly envFileTemplate?: string;
  /**
   * The file with placeholders for the values only apply knows. Database storage: the config
   * Botpress computes from the stored one and the variables.
   */
  readonly preview: string;
  /** SHA-256 of `baseConfig`, for the lost-update guard. */
  readonly baseSha256: string;
  readonly findings: readonly SsoFinding[];
}

export function renderBotpressConfig(input: ConfigRenderInput): RenderedConfig {
  const { options, secretEnvironmentVariable: envVariable } = input;
  const database = options.botpressStorage === 'database';
  const base = parseBaseConfig(input.baseConfig);
  const merged = mergeBotpressConfig(
    // With database storage BP_CONFIG_PRO_ENABLED=true turns Pro on (see environment-overrides.ts).
    database && options.enabled ? withProEnabled(base) : base,
    options.enabled
      ? {
          action: 'upsert',
          name: options.strategyName,
          entry: strategyEntry({
            allowSelfSignup: options.allowSelfSignup,
            label: options.label,
            callbackUrl: options.callbackUrl,
            userInfoUrl: input.endpoints.userInfoUrl,
            scope: GRAPH_SCOPES.join(' '),
            endpoints: input.endpointsKnown ? input.endpoints : undefined,
            clientSecretText: envVariable ? `set by the environment variable ${envVariable}` : undefined,
          }),
        }
      : { action: 'remove', name: options.strategyName },
    'baseConfig',
  );
  checkRenderedFragments(merged.config, options);
  const staleFindings = staleStrategies(base, options);
  const hostFindings = options.enabled
    ? [...hostChecks(base, { botpressUrl: options.botpressUrl, addedStrings: addedStrings(options) })]
    : [];
  const jsonEncodedHole = (name: string) => {
    const json = input.applyTimeJson?.(name as HoleName);
    if (json === undefined) throw new Error(`internal: no value for ${name}`);
    return json;
  };
  const preview = (document: JsonNode) =>
    renderJson(document)
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(PREVIEW_PLACEHOLDERS[part.name as HoleName])))
      .join('');
  const baseSha256 = createHash('sha256').update(input.baseConfig, 'utf8').digest('hex');

  if (database) {
    checkCompleteExport(base as JsonObject, 'baseConfig');
    const overrides = environmentOverrides(base as JsonObject, merged.config, options.strategyName);
    const effective = applyOverrides(base, overrides);
    const envFile = renderEnvFile(databaseEnvFileComments(options.strategyName, overrides.length > 0), overrides);
    return {
      environmentOverrides: overrides,
      envFileTemplate: toTerraformTemplateChunks(envFile, jsonEncodedHole).join(''),
      preview: preview(effective),
      baseSha256,
      findings: [
        ...merged.findings,
        ...hostFindings,
        ...staleFindings,
        ...unexpressedFindings(unexpressedDifferences(effective, merged.config), 'baseConfig'),
        ...(options.enabled ? readableByAll('secretDelivery.envFilePath', input.observedEnvFile, undefined) : []),
      ],
    };
  }
  return {
    templateChunks: toTerraformTemplateChunks(renderJson(merged.config), jsonEncodedHole),
    // JSON-encoded: Botpress JSON.parses override values first, so a JSON string arrives
    // exactly, whatever the secret holds (a bare "123" or "true" would not).
    envFileTemplate:
      envVariable && options.enabled
        ? `# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\n${envVariable}=${jsonEncodedHole('clientSecret')}\n`
        : undefined,
    preview: preview(merged.config),
    baseSha256,
    findings: [
      ...merged.findings,
      ...hostFindings,
      ...staleFindings,
      ...(envVariable ? exposedSecrets(merged.config, options.strategyName) : []),
      ...(options.enabled && !envVariable
        ? readableByAll('configFilePath', input.observedConfigFile, options.filePermission)
        : []),
      ...(options.enabled && envVariable
        ? readableByAll('secretDelivery.envFilePath', input.observedEnvFile, undefined)
        : []),
    ],
  };
}

/** The env file's comment lines with database storage. */
function databaseEnvFileComments(strategyName: string, enabled: boolean): string[] {
  return [
    `Botpress SSO (strategy "${strategyName}") for Botpress with BPFS_STORAGE=database, written by botpress-azure-sso. Keep private: it holds the client secret.`,
    'Values are JSON, taken as written by docker run --env-file, compose env_file with format: raw, and kubectl create secret generic --from-env-file.',
    'Not for systemd EnvironmentFile= or shells: they remove backslashes and quotes. Restart Botpress after every change.',
    ...(enabled ? [] : ['SSO is disabled: no variables, so Botpress uses its stored config as it is.']),
  ];
}

/** Strings this tool writes into the file, by the prop they come from (Botpress may alter some). */
function addedStrings(options: ResolvedSsoProps): Array<[string, string]> {
  const added: Array<[string, string]> = [['botpressUrl', options.callbackUrl]];
  if (options.label !== undefined) added.push(['label', options.label]);
  return added;
}

/** A file that holds the client secret: a mode that lets every user read it is worth a warning. */
function readableByAll(
  subject: string,
  observed: ObservedFile | undefined,
  modeOverride: string | undefined,
): SsoFinding[] {
  const mode = effectiveMode(observed, modeOverride, SSO_DEFAULTS.newFileMode);
  if ((mode & 0o004) === 0) return [];
  return [
    finding(
      FINDING_KINDS.secretFileReadableByAll,
      subject,
      `will have mode ${formatMode(mode)}, which lets every user on the host read the client secret in it`,
      subject === 'configFilePath'
        ? `give it mode "0640" (Botpress's group) or "0600" (configFileMode in the settings, filePermission on the construct)`
        : 'chmod 0600 the file (it keeps the mode it has)',
    ),
  ];
}

/**
 * Other oauth2 strategies with this Botpress's callback and Microsoft's endpoints: what renaming
 * the strategy leaves behind. Their client secret stays in the file, and with it in cdk.tf.json.
 */
function staleStrategies(base: JsonNode, options: ResolvedSsoProps): SsoFinding[] {
  const strategies = base.kind === 'object' ? getMember(base, 'authStrategies') : undefined;
  if (strategies?.kind !== 'object') return [];
  const callbackBase = options.callbackUrl.slice(0, options.callbackUrl.length - options.strategyName.length);
  const loginHosts = Object.values(CLOUDS).map((cloud) => cloud.loginHost);
  return strategies.entries.flatMap(([name, entry]) => {
    if (name === options.strategyName || entry.kind !== 'object') return [];
    const value = toValue(entry) as { type?: unknown; options?: { callbackURL?: unknown; authorizationURL?: unknown } };
    const callback = value.options?.callbackURL;
    const authorize = value.options?.authorizationURL;
    const microsoft =
      typeof authorize === 'string' && loginHosts.some((host) => authorize.startsWith(`https://${host}/`));
    if (value.type !== 'oauth2' || typeof callback !== 'string' || !callback.startsWith(callbackBase) || !microsoft)
      return [];
    return [
      finding(
        FINDING_KINDS.staleStrategy,
        `baseConfig at authStrategies.${name}`,
        `is an oauth2 strategy for this Botpress and Microsoft's sign-in, like the one rendered as "${options.strategyName}": an earlier name of it? Its client secret stays in the file, and with it in cdk.tf.json`,
        `if the strategy was renamed, remove "${name}" from authStrategies and pro.collaboratorsAuthStrategies`,
      ),
    ];
  });
}

function parseBaseConfig(text: string): JsonNode {
  return parseJsonInput(text, 'baseConfig', 'repair the file (Botpress cannot read it either)');
}

/** With environment delivery the config is a plain local_file, which plans print whole. */
function exposedSecrets(config: JsonNode, strategyName: string): SsoFinding[] {
  const ours = `authStrategies.${strategyName}.options.clientSecret`;
  const exposed = secretKeyPaths(config).filter((path) => path !== ours);
  if (exposed.length === 0) return [];
  const listed = `${exposed.slice(0, 5).join(', ')}${exposed.length > 5 ? ', ...' : ''}`;
  return [
    finding(
      FINDING_KINDS.plansShowConfigSecrets,
      'baseConfig',
      `holds other secrets (${listed}), which plans show in full with environment delivery of the secret`,
      'move them to environment variables (BP_CONFIG_<PATH>) or use "config-file" delivery',
    ),
  ];
}

/** The rendered fragments must satisfy their schemas; a failure here is a bug, not bad input. */
function checkRenderedFragments(config: JsonObject, options: ResolvedSsoProps): void {
  const sample = oauthEndpoints(options.cloud, options.signInAudience, SAMPLE_GUID);
  const sampleValues: Record<HoleName, string> = {
    clientId: SAMPLE_GUID,
    clientSecret: 'sample-secret',
    authorizationUrl: sample.authorizationUrl,
    tokenUrl: sample.tokenUrl,
  };
  const pro = getMember(config, 'pro') as JsonObject;
  const fragment = (node: JsonNode | undefined) =>
    node === undefined ? undefined : toValue(node, (name) => sampleValues[name as HoleName]);
  const checks: Array<[string, (data: unknown) => boolean, JsonNode | undefined]> = [
    [
      'pro.collaboratorsAuthStrategies',
      validateCollaboratorsAuthStrategies,
      getMember(pro, 'collaboratorsAuthStrategies'),
    ],
  ];
  if (options.enabled) {
    const strategies = getMember(config, 'authStrategies') as JsonObject;
    checks.push([
      `authStrategies.${options.strategyName}`,
      validateAuthStrategy,
      getMember(strategies, options.strategyName),
    ]);
    checks.push(['pro.externalAuth', validateExternalAuth, getMember(pro, 'externalAuth')]);
  }
  for (const [path, validate, node] of checks) {
    if (!validate(fragment(node))) throw new Error(`internal: the rendered ${path} does not match its schema`);
  }
}
