import { Annotations, Fn, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import type { File } from '@cdktf/provider-local/lib/file';
import type { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import type {
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressRestart,
  BotpressStorage,
  ResolvedSsoProps,
} from './botpress-azure-sso-props';
import { AUTH_CONFIG_PATH } from './botpress/callback-url';
import type { EnvironmentOverride } from './botpress/environment-overrides';
import { HoleName, secretEnvironmentVariable } from './botpress/strategy-entry';
import { SSO_DEFAULTS } from './defaults';
import { OAuthEndpoints, oauthEndpoints } from './entra/endpoints';
import { EntraObjectDescription, declareEntraObjects } from './entra/entra-objects';
import { SsoFinding, findingText } from './findings';
import { inConstruct } from './input-error';
import { claimFile } from './private/file-claims';
import { ConfigFileGuard } from './placement/config-file-guard';
import { declareGuardedFile } from './placement/guarded-file';
import { ManagedFile, RemovedFile } from './placement/managed-file';
import { defaultStageDirectory } from './placement/stage-files';
import { RenderedConfig, renderBotpressConfig } from './private/render-config';
import { RenderedWorkspaces, renderWorkspaces } from './botpress/render-workspaces';
import { AccessOptions, validateAccessOptions } from './private/validate-access';
import { RestartStep } from './private/restart-step';
import { escapeTemplateLiteral } from './text/terraform-template';
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
  /** The resource that renders botpress.config.json to its stage file (none with database storage: the file is only read). */
  readonly configFile?: File | SensitiveFile;
  /** botpress.config.json: the stage and the installer that puts it in place keeping owner, group and mode. */
  readonly managedConfigFile?: ManagedFile;
  /** The resource that renders the env file to its stage file, with environment delivery or database storage. */
  readonly envFile?: File | SensitiveFile;
  /** The env file's stage and installer. */
  readonly managedEnvFile?: ManagedFile;
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
  readonly workspaces?: RenderedWorkspaces & { readonly file: ManagedFile };
  /** The deployer's folder for the stage files and receipts, as Terraform sees it (unescaped). */
  readonly stageDirectory: string;
  /** With `restart`: the `terraform_data` that restarts Botpress and waits until it lists the strategy. */
  readonly restartStep?: TerraformResource;

  constructor(scope: Construct, id: string, props: BotpressAzureSsoProps) {
    super(scope, id);
    // Errors name this construct's path: an app may hold several.
    try {
      // 1. Validate the props and apply the defaults.
      const options = validateProps(props, this.node.path);
      const providers = props.providers ?? {};
      this.resolved = options;
      this.access = validateAccessOptions(props);
      this.strategyName = options.strategyName;
      this.displayName = options.displayName;
      this.callbackUrl = options.callbackUrl;
      this.botpressStorage = options.botpressStorage;
      this.secretEnvironmentVariable =
        options.enabled && options.secretDelivery.kind === 'environment' && options.botpressStorage === 'disk'
          ? secretEnvironmentVariable(options.strategyName)
          : undefined;

      // 2. Declare the Entra objects.
      this.endpoints = this.declareEndpoints(options, providers.azuread);
      const entra = options.enabled
        ? declareEntraObjects(
            this,
            { ...options, stateLocation: props.stateLocation },
            providers,
            props.adopt,
            this.access,
          )
        : undefined;
      this.entra = entra?.resources;
      this.entraObjects = entra?.objects ?? [];
      this.clientId = this.entra?.application.clientId;

      // 3. Render the files (pure functions).
      const config = this.renderConfig(props, options);
      // With database storage Botpress reads workspaces from the database: the file is not ours.
      const workspaces =
        options.botpressStorage === 'disk'
          ? renderWorkspaces(props.workspacesConfig, options.strategyName, props.workspaces, options.enabled)
          : undefined;
      this.configPreview = config.preview;
      this.baseConfigSha256 = config.baseSha256;
      this.environmentOverrides = config.environmentOverrides;

      // 4. Report what an admin should know.
      this.findings = [
        ...config.findings,
        ...(options.enabled ? this.access.findings : []),
        ...(workspaces?.findings ?? []),
      ].map((f) => ({ ...f, construct: this.node.path }));
      this.warnings = this.findings.map(findingText);
      for (const warning of this.warnings) Annotations.of(this).addWarning(warning);

      // 5. Declare the files, staged in the deployer's own folder.
      this.stageDirectory = props.stageDirectory ?? defaultStageDirectory(this.pathInStack());
      claimFile(this, 'stageDirectory', this.stageDirectory);
      this.managedConfigFile =
        config.templateChunks && this.declareConfigFile(config.templateChunks, config.baseSha256, props, options);
      this.configFile = this.managedConfigFile?.stage;
      this.workspaces = workspaces && { ...workspaces, file: this.declareWorkspacesFile(workspaces, props) };
      this.managedEnvFile = this.declareEnvFile(options, config.envFileTemplate, providers.local, props.envFileSha256);
      this.envFile = this.managedEnvFile?.stage;

      // 6. Restart Botpress when a deploy replaced a file it reads at start.
      this.restartStep = options.restart && this.declareRestartStep(options);
    } catch (error) {
      throw inConstruct(error, this.node.path);
    }
  }

  /** This construct's path below its stack (`sso` in the app's stacks). */
  private pathInStack(): string {
    const stack = TerraformStack.of(this);
    return this.node.scopes
      .slice(this.node.scopes.indexOf(stack) + 1)
      .map((scope) => scope.node.id)
      .join('/');
  }

  /**
   * The restart step, after every installed file Botpress reads at start. It depends on the
   * client secret through them, so Terraform deletes a replaced secret only after it succeeded.
   */
  private declareRestartStep(options: ResolvedSsoProps): RestartStep {
    const installed = {
      config: this.managedConfigFile,
      env_file: this.managedEnvFile,
      workspaces: this.workspaces?.file,
    };
    return new RestartStep(this, 'restart_botpress', {
      restart: options.restart as Required<BotpressRestart>,
      authConfigUrl: `${options.botpressUrl}${AUTH_CONFIG_PATH}`,
      strategyName: options.strategyName,
      expectListed: options.enabled,
      replacementTriggers: Object.fromEntries(
        Object.entries(installed).flatMap(([name, file]) => (file ? [[name, file.replacementTrigger]] : [])),
      ),
    });
  }

  private declareWorkspacesFile(workspaces: RenderedWorkspaces, props: BotpressAzureSsoProps): ManagedFile {
    claimFile(this, 'workspacesFilePath', props.workspacesFilePath as string);
    return declareGuardedFile(
      this,
      {
        chunks: 'workspaces_chunks',
        file: 'rendered_workspaces',
        guard: 'workspaces_file_guard',
      },
      {
        path: props.workspacesFilePath as string, // validateProps requires it with workspacesConfig
        templateChunks: workspaces.templateChunks,
        baseSha256: workspaces.baseSha256,
        sensitive: false,
        defaultMode: SSO_DEFAULTS.newFileMode,
        provider: props.providers?.local,
        stageDirectory: this.stageDirectory,
        role: 'workspaces',
        name: 'workspaces.json',
      },
    );
  }

  /** The strategy's endpoints; only an enabled single-tenant app without a tenantId asks who deploys. */
  private declareEndpoints(options: ResolvedSsoProps, azuread: TerraformProvider | undefined): OAuthEndpoints {
    const tenant =
      options.tenantId ??
      (options.enabled
        ? new DataAzureadClientConfig(this, 'deployer', { provider: azuread }).tenantId
        : 'organizations');
    return oauthEndpoints(options.cloud, options.signInAudience, tenant);
  }

  private renderConfig(props: BotpressAzureSsoProps, options: ResolvedSsoProps): RenderedConfig {
    const entra = this.entra;
    const applyTimeValues: Record<HoleName, string> | undefined = entra && {
      clientId: entra.application.clientId,
      clientSecret: entra.clientSecret.value,
      authorizationUrl: this.endpoints.authorizationUrl,
      tokenUrl: this.endpoints.tokenUrl,
    };
    return renderBotpressConfig({
      baseConfig: props.baseConfig,
      observedConfigFile: props.configFileAttributes,
      observedEnvFile: props.envFileAttributes,
      options,
      endpoints: this.endpoints,
      endpointsKnown: options.tenantId !== undefined || options.signInAudience !== 'AzureADMyOrg',
      secretEnvironmentVariable: this.secretEnvironmentVariable,
      applyTimeJson: applyTimeValues && ((hole) => Fn.jsonencode(applyTimeValues[hole])),
    });
  }

  private declareConfigFile(
    templateChunks: readonly string[],
    baseSha256: string,
    props: BotpressAzureSsoProps,
    options: ResolvedSsoProps,
  ): ManagedFile {
    claimFile(this, 'configFilePath', props.configFilePath);
    // Rendered to a stage file and installed keeping owner, group and mode (ManagedFile). A new
    // id (rendered_config): moving the old config_file's filename would make Terraform delete
    // the live file (docs/file-placement.md, "Upgrading from 0.1").
    return declareGuardedFile(
      this,
      {
        chunks: 'botpress_config_chunks',
        file: 'rendered_config',
        guard: 'config_file_guard',
      },
      {
        path: props.configFilePath,
        templateChunks,
        baseSha256,
        sensitive: options.enabled && !this.secretEnvironmentVariable,
        mode: options.filePermission,
        defaultMode: SSO_DEFAULTS.newFileMode,
        provider: props.providers?.local,
        stageDirectory: this.stageDirectory,
        role: 'config',
        name: 'botpress.config.json',
      },
    );
  }

  /** The env file: the secret alone (environment delivery), or the whole SSO configuration (database storage). */
  private declareEnvFile(
    options: ResolvedSsoProps,
    template: string | undefined,
    local: TerraformProvider | undefined,
    synthesizedSha256: string | undefined,
  ): ManagedFile | undefined {
    if (options.secretDelivery.kind !== 'environment') return undefined;
    const path = options.secretDelivery.envFilePath;
    claimFile(this, 'secretDelivery.envFilePath', path);
    if (template === undefined) {
      // enabled: false removes the env file (and its backup), as the local provider's Delete did.
      new RemovedFile(this, 'removed_env_file', { path, stageDirectory: this.stageDirectory, role: 'env' });
      return undefined;
    }
    // With database storage the env file is the SSO configuration: `cdktf destroy` stops at a guard,
    // as it does for botpress.config.json (destroying the app would leave the file's secret dead).
    if (options.botpressStorage === 'database')
      new ConfigFileGuard(this, 'env_file_guard', escapeTemplateLiteral(path));
    return new ManagedFile(this, 'rendered_env_file', {
      provider: local,
      path,
      sensitiveStage: true,
      content: template,
      defaultMode: SSO_DEFAULTS.newFileMode,
      stageDirectory: this.stageDirectory,
      role: 'env',
      synthesizedSha256,
    });
  }
}
