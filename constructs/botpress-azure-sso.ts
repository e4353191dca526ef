import { createHash } from 'node:crypto';
import { Annotations, Fn, TerraformLocal, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApplicationApiAccess } from '@cdktf/provider-azuread/lib/application-api-access';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { File } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { mergeBotpressConfig } from './botpress-config';
import { ConfigFileGuard } from './config-file-guard';
import { effectiveMode, formatMode, parseFileMode } from './file-ownership';
import { hostChecks } from './host-checks';
import { callbackUrlFor } from './botpress-url';
import { OAuthEndpoints, oauthEndpoints } from './endpoints';
import {
  validateAuthStrategy,
  validateCollaboratorsAuthStrategies,
  validateExternalAuth,
} from './generated/validators';
import { SsoInputError } from './input-error';
import { JsonNode, JsonObject, JsonSyntaxError, getMember, parseJson, renderJson, toValue } from './json-document';
import { ManagedFile, RemovedFile } from './managed-file';
import { secretKeyPaths } from './secret-fields';
import type {
  AdoptExistingApplication,
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
} from './botpress-azure-sso-props';
import { SsoOptions, validateSsoOptions } from './sso-options';
import { HOLES, HoleName, secretEnvironmentVariable, strategyEntry } from './strategy-entry';
import { escapeTemplateLiteral, toTerraformTemplateChunks } from './terraform-template';

/** Microsoft Graph's application (client) id, the same in every cloud. */
export const MICROSOFT_GRAPH_CLIENT_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH_SCOPES = ['openid', 'profile', 'email'] as const;
const SAMPLE_GUID = '00000000-0000-0000-0000-000000000000';
/** Days a rotated-out secret stays valid, so that a deploy that runs late never strands Botpress. */
export const SECRET_GRACE_DAYS = 30;
/** Mode of a config or env file that does not exist yet (without configFileMode). */
export const DEFAULT_FILE_MODE = '0600';

/** What the plan review shows in place of values that only apply knows. */
export const PREVIEW_PLACEHOLDERS: Readonly<Record<HoleName, string>> = {
  clientId: '<application (client) id, known after deploy>',
  clientSecret: '<client secret, issued by Entra at deploy; never shown>',
  authorizationUrl: "<authorize endpoint of the deploying credentials' tenant>",
  tokenUrl: "<token endpoint of the deploying credentials' tenant>",
};

/**
 * Microsoft Entra ID single sign-on for Botpress 12: the app registration, its Web redirect URI
 * (the Botpress callback), delegated Graph scopes, service principal and rotating client
 * secret, and botpress.config.json rendered with the oauth2 strategy, everything else kept.
 */
export class BotpressAzureSso extends Construct {
  /** The strategy's key under `authStrategies`. */
  readonly strategyName: string;
  /** Display name of the app registration (as Entra shows it). */
  readonly displayName: string;
  /** Botpress's callback URL, registered as the Web redirect URI. */
  readonly callbackUrl: string;
  /** Endpoints written into the strategy (may contain Terraform expressions for the tenant). */
  readonly endpoints: OAuthEndpoints;
  /** The application (client) id (a Terraform expression), when enabled. */
  readonly clientId?: string;
  /** The Entra resources, when enabled. */
  readonly entra?: BotpressAzureSsoEntra;
  /** The resource that renders botpress.config.json (to a stage file beside it; see `managedConfigFile`). */
  readonly configFile: File;
  /** botpress.config.json: the stage resource and the installer that puts it in place keeping owner, group and mode. */
  readonly managedConfigFile: ManagedFile;
  /** The resource that renders the env file (to a stage file beside it), with environment delivery. */
  readonly envFile?: SensitiveFile;
  /** The env file's stage and installer, with environment delivery. */
  readonly managedEnvFile?: ManagedFile;
  /** Name of the variable in the env file, with environment delivery. */
  readonly secretEnvironmentVariable?: string;
  /** SHA-256 of `baseConfig`; apply refuses to run if the file on disk no longer matches. */
  readonly baseConfigSha256: string;
  /** The rendered config with placeholders for values only apply knows (for reviews). */
  readonly configPreview: string;
  /** Things about the config an admin should know; also reported as synth warnings. */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: BotpressAzureSsoProps) {
    super(scope, id);
    const options = validateSsoOptions(props);
    this.strategyName = options.strategyName;
    this.displayName = options.displayName;
    this.callbackUrl = callbackUrlFor(props.botpressUrl, options.strategyName);
    const providers = props.providers ?? {};

    const base = parseBaseConfig(props.baseConfig);

    // Only an enabled single-tenant app without a tenantId needs to ask who is deploying.
    const tenant =
      options.tenantId ??
      (options.enabled ? new DataAzureadClientConfig(this, 'deployer', { provider: providers.azuread }).tenantId : 'organizations');
    this.endpoints = oauthEndpoints(options.cloud, options.signInAudience, tenant);
    const tenantKnown = options.tenantId !== undefined || options.signInAudience !== 'AzureADMyOrg';
    const envVariable = options.secretDelivery.kind === 'environment' ? secretEnvironmentVariable(options.strategyName) : undefined;

    const merged = mergeBotpressConfig(
      base,
      options.enabled
        ? {
            action: 'upsert',
            name: options.strategyName,
            entry: strategyEntry({
              allowSelfSignup: options.allowSelfSignup,
              label: options.label,
              callbackUrl: this.callbackUrl,
              userInfoUrl: this.endpoints.userInfoUrl,
              endpoints: tenantKnown ? this.endpoints : undefined,
              clientSecretText: envVariable ? `set by the environment variable ${envVariable}` : undefined,
            }),
          }
        : { action: 'remove', name: options.strategyName },
      'configFile',
    );
    const warnings = [...merged.warnings];
    if (envVariable) warnings.push(...exposedSecretsWarning(merged.config, options.strategyName));
    const configFileMode = props.filePermission === undefined ? undefined : parseFileMode(props.filePermission, 'configFileMode');
    if (options.enabled) {
      const added: Array<[string, string]> = [['botpressUrl', this.callbackUrl]];
      if (options.label !== undefined) added.push(['label', options.label]);
      warnings.push(...hostChecks(base, { botpressUrl: options.botpressUrl, addedStrings: added }));
      const mode = effectiveMode(props.configFileAttributes, configFileMode, DEFAULT_FILE_MODE);
      if (!envVariable && (mode & 0o004) !== 0) {
        warnings.push(
          `configFile will have mode ${formatMode(mode)}, which lets every user on the host read the client secret in it: set configFileMode to "0640" (Botpress's group) or "0600"`,
        );
      }
    }
    this.warnings = warnings;
    for (const warning of warnings) Annotations.of(this).addWarning(warning);
    checkRenderedFragments(merged.config, options);

    const holes = new Map<HoleName, string>();
    if (options.enabled) {
      const entra = this.declareEntra(options, providers, props.adopt);
      this.entra = entra;
      this.clientId = entra.application.clientId;
      holes.set(HOLES.clientId, entra.application.clientId);
      holes.set(HOLES.clientSecret, entra.clientSecret.value);
      holes.set(HOLES.authorizationUrl, this.endpoints.authorizationUrl);
      holes.set(HOLES.tokenUrl, this.endpoints.tokenUrl);
    }

    const renderedParts = renderJson(merged.config);
    const templateChunks = toTerraformTemplateChunks(renderedParts, (name) => {
      const value = holes.get(name as HoleName);
      if (value === undefined) throw new Error(`internal: no value for ${name}`);
      return Fn.jsonencode(value);
    });
    this.configPreview = renderedParts
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(PREVIEW_PLACEHOLDERS[part.name as HoleName])))
      .join('');
    this.baseConfigSha256 = createHash('sha256').update(props.baseConfig, 'utf8').digest('hex');

    const filePath = escapeTemplateLiteral(props.configFilePath);
    const secretInFile = options.enabled && !envVariable;
    const rendered = new TerraformLocal(this, 'botpress_config_chunks', templateChunks);
    const renderedText = Fn.join('', rendered.asList);
    const synthesizedSha = new TerraformLocal(this, 'botpress_config_sha256_at_synth', this.baseConfigSha256);
    // Rendered by the local provider to a stage file, installed by a built-in terraform_data
    // that keeps owner, group and mode (ManagedFile). A new id: moving config_file's filename
    // would make Terraform delete the live file (README, "Upgrading").
    this.managedConfigFile = new ManagedFile(this, 'rendered_config', {
      provider: providers.local,
      path: props.configFilePath,
      // One resource type whatever the secret delivery, so that switching never makes Terraform
      // delete one resource's file while it creates the other's at the same path.
      content: secretInFile ? Fn.sensitive(renderedText) : renderedText,
      mode: configFileMode,
      defaultMode: DEFAULT_FILE_MODE,
      preconditions: [
        {
          // Terraform wants a condition to refer to something in the configuration: a local.
          condition: `\${try(filesha256(${hclString(props.configFilePath)}), "") == local.${TerraformStack.of(this).getLogicalId(synthesizedSha)}}`,
          errorMessage:
            'botpress.config.json changed after synthesis (or is missing); applying would overwrite that change. Run cdktf synth (or cdktf deploy) again.',
        },
      ],
    });
    this.configFile = this.managedConfigFile.stage as File;
    // `cdktf destroy` and configFile moves stop at this guard instead of deleting the config.
    new ConfigFileGuard(this, 'config_file_guard', filePath);

    if (options.secretDelivery.kind === 'environment' && envVariable && this.entra) {
      this.secretEnvironmentVariable = envVariable;
      this.managedEnvFile = new ManagedFile(this, 'rendered_env_file', {
        provider: providers.local,
        path: options.secretDelivery.envFilePath,
        sensitiveStage: true,
        // JSON-encoded: Botpress JSON.parses override values first, so a JSON string arrives
        // exactly, whatever the secret holds (a bare "123" or "true" would not).
        content: `# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\n${envVariable}=${Fn.jsonencode(this.entra.clientSecret.value)}\n`,
        defaultMode: DEFAULT_FILE_MODE,
      });
      this.envFile = this.managedEnvFile.stage as SensitiveFile;
    } else if (options.secretDelivery.kind === 'environment') {
      // enabled: false removes the env file (and its backup), as the local provider's Delete did.
      new RemovedFile(this, 'removed_env_file', options.secretDelivery.envFilePath);
    }
  }

  private declareEntra(
    options: SsoOptions,
    providers: BotpressAzureSsoProviders,
    adopt: AdoptExistingApplication | undefined,
  ): BotpressAzureSsoEntra {
    const provider = providers.azuread;
    const application = new ApplicationRegistration(this, 'application', {
      provider,
      displayName: escapeTemplateLiteral(options.displayName),
      signInAudience: options.signInAudience,
      implicitIdTokenIssuanceEnabled: true,
      // v2 tokens: required by the personal-account audiences, right for all.
      requestedAccessTokenVersion: 2,
      homepageUrl: options.botpressUrl,
      notes: 'Managed by botpress-azure-sso with Terraform; changes made in the portal are overwritten.',
    });
    const redirectUris = new ApplicationRedirectUris(this, 'redirect_uris', {
      provider,
      applicationId: application.id,
      type: 'Web',
      redirectUris: [this.callbackUrl],
    });
    const graph = new DataAzureadServicePrincipal(this, 'microsoft_graph', { provider, clientId: MICROSOFT_GRAPH_CLIENT_ID });
    const apiAccess = new ApplicationApiAccess(this, 'graph_access', {
      provider,
      applicationId: application.id,
      apiClientId: MICROSOFT_GRAPH_CLIENT_ID,
      scopeIds: GRAPH_SCOPES.map((scope) => graph.oauth2PermissionScopeIds.lookup(scope)),
    });
    const servicePrincipal = new ServicePrincipal(this, 'service_principal', { provider, clientId: application.clientId });
    const secretRotation = new Rotating(this, 'secret_rotation', { provider: providers.time, rotationDays: options.secretRotationDays });
    const clientSecret = new ApplicationPasswordA(this, 'client_secret', {
      provider,
      applicationId: application.id,
      displayName: 'botpress-sso',
      endDate: Fn.timeadd(secretRotation.rotationRfc3339, `${SECRET_GRACE_DAYS * 24}h`),
      rotateWhenChanged: { rotation: secretRotation.id },
      // The new secret exists before the old one goes: Botpress always has a valid one.
      lifecycle: { createBeforeDestroy: true },
    });

    if (adopt) {
      const app = `/applications/${adopt.applicationObjectId}`;
      application.importFrom(app, provider);
      redirectUris.importFrom(`${app}/redirectUris/Web`, provider);
      if (adopt.importGraphApiAccess ?? true) apiAccess.importFrom(`${app}/apiAccess/${MICROSOFT_GRAPH_CLIENT_ID}`, provider);
      if (adopt.servicePrincipalObjectId) servicePrincipal.importFrom(`/servicePrincipals/${adopt.servicePrincipalObjectId}`, provider);
    }
    return { application, redirectUris, apiAccess, servicePrincipal, clientSecret, secretRotation };
  }
}

/** A Terraform string literal (for use inside an interpolation) holding exactly `text`. */
function hclString(text: string): string {
  return escapeTemplateLiteral(JSON.stringify(text));
}

function parseBaseConfig(text: string): JsonNode {
  try {
    return parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new SsoInputError(
      'configFile',
      `line ${error.line}, column ${error.column}`,
      `is not valid JSON: ${error.reason}`,
      `repair the file at line ${error.line}, column ${error.column} (Botpress cannot read it either)`,
    );
  }
}

/** With environment delivery the config is a plain local_file, which plans print whole. */
function exposedSecretsWarning(config: JsonNode, strategyName: string): string[] {
  const ours = `authStrategies.${strategyName}.options.clientSecret`;
  const exposed = secretKeyPaths(config).filter((path) => path !== ours);
  if (exposed.length === 0) return [];
  const listed = `${exposed.slice(0, 5).join(', ')}${exposed.length > 5 ? ', ...' : ''}`;
  return [
    `configFile holds other secrets (${listed}), which plans show in full with secret.delivery "environment": move them to environment variables (BP_CONFIG_<PATH>) or use "config-file" delivery`,
  ];
}

/** The rendered fragments must satisfy their schemas; a failure here is a bug, not bad input. */
function checkRenderedFragments(config: JsonObject, options: SsoOptions): void {
  const sample = oauthEndpoints(options.cloud, options.signInAudience, SAMPLE_GUID);
  const sampleValues: Record<HoleName, string> = {
    clientId: SAMPLE_GUID,
    clientSecret: 'sample-secret',
    authorizationUrl: sample.authorizationUrl,
    tokenUrl: sample.tokenUrl,
  };
  const pro = getMember(config, 'pro') as JsonObject;
  const fragment = (node: JsonNode | undefined) => (node === undefined ? undefined : toValue(node, (name) => sampleValues[name as HoleName]));
  const checks: Array<[string, (data: unknown) => boolean, JsonNode | undefined]> = [
    ['pro.collaboratorsAuthStrategies', validateCollaboratorsAuthStrategies, getMember(pro, 'collaboratorsAuthStrategies')],
  ];
  if (options.enabled) {
    const strategies = getMember(config, 'authStrategies') as JsonObject;
    checks.push([`authStrategies.${options.strategyName}`, validateAuthStrategy, getMember(strategies, options.strategyName)]);
    checks.push(['pro.externalAuth', validateExternalAuth, getMember(pro, 'externalAuth')]);
  }
  for (const [path, validate, node] of checks) {
    if (!validate(fragment(node))) throw new Error(`internal: the rendered ${path} does not match its schema`);
  }
}
