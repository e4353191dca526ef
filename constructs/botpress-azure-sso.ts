import { Annotations, Fn, TerraformLocal, TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { File } from '@cdktf/provider-local/lib/file';
import type { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import type { BotpressAzureSsoEntra, BotpressAzureSsoProps, BotpressStorage, ResolvedSsoProps } from './botpress-azure-sso-props';
import type { EnvironmentOverride } from './botpress/environment-overrides';
import { declareEnvFile } from './private/env-file';
import { HoleName, secretEnvironmentVariable } from './botpress/strategy-entry';
import { EntraObjectDescription, declareEntraObjects } from './entra/entra-objects';
import { OAuthEndpoints, oauthEndpoints } from './entra/endpoints';
import { FINDING_KINDS, SsoFinding, finding, findingText } from './findings';
import { SsoInputError } from './input-error';
import { WorkspacesMerge, mergeWorkspaces } from './botpress/workspaces-merge';
import { AccessOptions, validateAccessOptions } from './private/validate-access';
import { renderJson } from './private/text/json-document';
import { declareWorkspacesFile } from './private/workspaces-file';
import { ConfigFileGuard } from './private/config-file-guard';
import { RenderedConfig, renderBotpressConfig } from './private/render-config';
import { escapeTemplateLiteral } from './private/text/terraform-template';
import { validateProps } from './private/validate-props';

/**
 * Microsoft Entra ID single sign-on for Botpress 12: the app registration, its Web redirect URI
 * (the Botpress callback), delegated Graph scopes, service principal and rotating client
 * secret, and botpress.config.json rendered with the oauth2 strategy, everything else kept.
 */
export class BotpressAzureSso extends Construct {
  /** The props with every default applied (what the construct actually uses). */
  readonly resolved: ResolvedSsoProps;
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
  /** The Entra objects described for people (empty when disabled), in declaration order. */
  readonly entraObjects: readonly EntraObjectDescription[];
  /** The resource that writes botpress.config.json (none with database storage: the file is only read). */
  readonly configFile?: File;
  /** The resource that writes the env file, with environment delivery or database storage. */
  readonly envFile?: SensitiveFile;
  /** Name of the variable in the env file, with environment delivery on disk storage. */
  readonly secretEnvironmentVariable?: string;
  /** Where Botpress keeps its config. */
  readonly botpressStorage: BotpressStorage;
  /** With database storage: the `BP_CONFIG_*` variables of the env file (none when disabled). */
  readonly environmentOverrides?: readonly EnvironmentOverride[];
  /** SHA-256 of `baseConfig`; apply refuses to run if the file on disk no longer matches. */
  readonly baseConfigSha256: string;
  /**
   * The rendered config with placeholders for values only apply knows (for reviews). With
   * database storage: the config Botpress will compute from the export and the variables.
   */
  readonly configPreview: string;
  /** Things an admin should know, as data (id, level, subject, problem, fix). */
  readonly findings: readonly SsoFinding[];
  /** The findings as text; also reported as synth warnings. */
  readonly warnings: readonly string[];
  /** Who may sign in, consent and owners, with defaults applied (declared only when enabled). */
  readonly access: AccessOptions;
  /** workspaces.json: the change and its resource, when the file is managed. */
  readonly workspaces?: WorkspacesMerge & { readonly file: File; readonly preview: string };

  constructor(scope: Construct, id: string, props: BotpressAzureSsoProps) {
    super(scope, id);
    const options = validateProps(props);
    this.resolved = options;
    this.access = validateAccessOptions(props);
    this.strategyName = options.strategyName;
    this.displayName = options.displayName;
    this.callbackUrl = options.callbackUrl;
    this.botpressStorage = options.botpressStorage;
    const providers = props.providers ?? {};

    this.endpoints = this.declareEndpoints(options, providers.azuread);
    this.secretEnvironmentVariable =
      options.enabled && options.secretDelivery.kind === 'environment' && options.botpressStorage === 'disk'
        ? secretEnvironmentVariable(options.strategyName)
        : undefined;

    const entra = options.enabled ? declareEntraObjects(this, options, providers, props.adopt, this.access) : undefined;
    this.entra = entra?.resources;
    this.entraObjects = entra?.objects ?? [];
    this.clientId = this.entra?.application.clientId;

    const rendered = this.renderConfig(props.baseConfig, options);
    this.configPreview = rendered.preview;
    this.baseConfigSha256 = rendered.baseSha256;
    this.environmentOverrides = rendered.environmentOverrides;
    const workspaces = mergeWorkspaces(props.workspacesConfig, options.strategyName, props.workspaces, options.enabled);

    this.findings = [
      ...rendered.findings,
      ...(options.enabled ? this.access.findings : []),
      ...(workspaces?.findings ?? []),
      ...(workspaces && !workspaces.fromSettings ? [workspacesKeptManaged(options.strategyName, workspaces.listed)] : []),
    ];
    this.warnings = this.findings.map(findingText);
    for (const warning of this.warnings) Annotations.of(this).addWarning(warning);

    this.configFile = rendered.templateChunks && this.declareConfigFile(rendered.templateChunks, rendered.baseSha256, props, options);
    this.workspaces = workspaces && this.declareWorkspacesFile(workspaces, props, options);
    this.envFile = this.declareEnvFile(options, rendered, providers.local);
  }

  private declareWorkspacesFile(
    workspaces: WorkspacesMerge,
    props: BotpressAzureSsoProps,
    options: ResolvedSsoProps,
  ): WorkspacesMerge & { readonly file: File; readonly preview: string } {
    if (props.workspacesFilePath === undefined || props.workspacesConfig === undefined) {
      throw new SsoInputError('workspacesFilePath', undefined, 'is required with workspacesConfig', 'pass where Terraform writes workspaces.json, like configFilePath');
    }
    const rendered = renderJson(workspaces.document);
    return {
      ...workspaces,
      preview: rendered.filter((part): part is string => typeof part === 'string').join(''),
      file: declareWorkspacesFile(this, {
        filePath: props.workspacesFilePath,
        rendered,
        baseText: props.workspacesConfig,
        filePermission: options.filePermission,
        provider: props.providers?.local,
      }),
    };
  }

  /** The strategy's endpoints; only an enabled single-tenant app without a tenantId asks who deploys. */
  private declareEndpoints(options: ResolvedSsoProps, azuread: TerraformProvider | undefined): OAuthEndpoints {
    const tenant =
      options.tenantId ??
      (options.enabled ? new DataAzureadClientConfig(this, 'deployer', { provider: azuread }).tenantId : 'organizations');
    return oauthEndpoints(options.cloud, options.signInAudience, tenant);
  }

  private renderConfig(baseConfig: string, options: ResolvedSsoProps): RenderedConfig {
    const entra = this.entra;
    const applyTimeValues: Record<HoleName, string> | undefined = entra && {
      clientId: entra.application.clientId,
      clientSecret: entra.clientSecret.value,
      authorizationUrl: this.endpoints.authorizationUrl,
      tokenUrl: this.endpoints.tokenUrl,
    };
    return renderBotpressConfig({
      baseConfig,
      options,
      endpoints: this.endpoints,
      endpointsKnown: options.tenantId !== undefined || options.signInAudience !== 'AzureADMyOrg',
      secretEnvironmentVariable: this.secretEnvironmentVariable,
      applyTimeJson: applyTimeValues && ((hole) => Fn.jsonencode(applyTimeValues[hole])),
    });
  }

  private declareConfigFile(templateChunks: readonly string[], baseSha256: string, props: BotpressAzureSsoProps, options: ResolvedSsoProps): File {
    const filePath = escapeTemplateLiteral(props.configFilePath);
    const secretInFile = options.enabled && !this.secretEnvironmentVariable;
    const chunks = new TerraformLocal(this, 'botpress_config_chunks', templateChunks);
    const renderedText = Fn.join('', chunks.asList);
    const synthesizedSha = new TerraformLocal(this, 'botpress_config_sha256_at_synth', baseSha256);
    const file = new File(this, 'config_file', {
      provider: props.providers?.local,
      filename: filePath,
      // One resource type whatever the secret delivery, so that switching never makes Terraform
      // delete one resource's file while it creates the other's at the same path.
      content: secretInFile ? Fn.sensitive(renderedText) : renderedText,
      filePermission: options.filePermission,
      lifecycle: {
        precondition: [
          {
            // Terraform wants a condition to refer to something in the configuration: a local.
            condition: `\${try(filesha256(${hclString(props.configFilePath)}), "") == local.${TerraformStack.of(this).getLogicalId(synthesizedSha)}}`,
            errorMessage:
              'botpress.config.json changed after synthesis (or is missing); applying would overwrite that change. Run cdktf synth (or cdktf deploy) again.',
          },
        ],
      },
    });
    // `cdktf destroy` and configFile moves stop at this guard instead of deleting the config.
    new ConfigFileGuard(this, 'config_file_guard', filePath);
    return file;
  }

  /** The env file: the secret alone (environment delivery), or the whole SSO configuration (database storage). */
  private declareEnvFile(options: ResolvedSsoProps, rendered: RenderedConfig, local: TerraformProvider | undefined): SensitiveFile | undefined {
    if (options.secretDelivery.kind !== 'environment') return undefined;
    const filename = escapeTemplateLiteral(options.secretDelivery.envFilePath);
    if (rendered.envFileTemplate !== undefined) {
      return declareEnvFile(this, 'env_file', { provider: local, filename, content: rendered.envFileTemplate });
    }
    if (!this.secretEnvironmentVariable || !this.entra) return undefined;
    return declareEnvFile(this, 'env_file', {
      provider: local,
      filename,
      // JSON-encoded: Botpress JSON.parses override values first, so a JSON string arrives
      // exactly, whatever the secret holds (a bare "123" or "true" would not).
      content: `# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\n${this.secretEnvironmentVariable}=${Fn.jsonencode(this.entra.clientSecret.value)}\n`,
    });
  }
}

function workspacesKeptManaged(strategyName: string, listed: readonly string[]): SsoFinding {
  return finding(
    FINDING_KINDS.workspacesKeptManaged,
    'workspaces',
    `is not set while workspaces.json lists strategy "${strategyName}" in ${listed.map((id) => `"${id}"`).join(', ')}: the file stays managed as it is (so that Terraform does not delete it)`,
    'set workspaces to choose them',
  );
}

/** A Terraform string literal (for use inside an interpolation) holding exactly `text`. */
function hclString(text: string): string {
  return escapeTemplateLiteral(JSON.stringify(text));
}
