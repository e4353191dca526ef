import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { BotpressAzureSso } from './botpress-azure-sso';
import type { BotpressAzureSsoProps } from './botpress-azure-sso-props';
import { SSO_DEFAULTS } from './defaults';
import { CLOUDS } from './entra/endpoints';

/** Terraform state in an Azure Storage container (the azurerm backend). */
export interface AzurermBackendProps {
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  /**
   * Blob name of the state.
   * @default 'botpress-sso/<stack name>.tfstate'
   */
  readonly key?: string;
  /**
   * Sign in with OIDC (GitHub Actions).
   * @default the stack's `useOidc`
   */
  readonly useOidc?: boolean;
}

export interface BotpressSsoStackProps {
  /** The SSO construct's props; paths are relative to the stack's working directory. */
  readonly sso: BotpressAzureSsoProps;
  /** Shared state in Azure Storage; absent means local state at `localStatePath`. */
  readonly backend?: AzurermBackendProps;
  /** Local state file, relative to the stack's working directory (never inside cdktf.out). */
  readonly localStatePath: string;
  /** Whether the azurerm backend and provider should sign in with OIDC (GitHub Actions). */
  readonly useOidc?: boolean;
}

/** The SSO construct's id in its stack: its path below the stack, which names its stage directory. */
export const SSO_CONSTRUCT_ID = 'sso';

/** One environment: providers, state, the SSO construct and its outputs. */
export class BotpressSsoStack extends TerraformStack {
  readonly sso: BotpressAzureSso;

  constructor(scope: Construct, name: string, props: BotpressSsoStackProps) {
    super(scope, name);
    const cloud = props.sso.cloud ?? SSO_DEFAULTS.cloud;
    const useOidc = props.backend?.useOidc ?? props.useOidc ?? false;

    new AzureadProvider(this, 'azuread', {
      environment: CLOUDS[cloud]?.providerEnvironment,
      tenantId: props.sso.tenantId,
      useOidc: useOidc || undefined,
    });
    new LocalProvider(this, 'local');
    new TimeProvider(this, 'time');

    if (props.backend) {
      new AzurermBackend(this, {
        resourceGroupName: props.backend.resourceGroupName,
        storageAccountName: props.backend.storageAccountName,
        containerName: props.backend.containerName,
        key: props.backend.key ?? `botpress-sso/${name}.tfstate`,
        useOidc: useOidc || undefined,
        useAzureadAuth: true,
      });
    } else {
      new LocalBackend(this, { path: props.localStatePath });
    }

    this.sso = new BotpressAzureSso(this, SSO_CONSTRUCT_ID, props.sso);
    const sso = this.sso;
    new TerraformOutput(this, 'callback_url', {
      value: sso.callbackUrl,
      description: 'Web redirect URI registered in Entra',
    });
    if (sso.managedConfigFile) {
      new TerraformOutput(this, 'config_file', {
        value: sso.managedConfigFile.path,
        description: 'botpress.config.json written by apply',
      });
    }
    if (sso.entra) {
      new TerraformOutput(this, 'client_id', {
        value: sso.entra.application.clientId,
        description: 'Application (client) ID',
      });
      new TerraformOutput(this, 'authorization_url', { value: sso.endpoints.authorizationUrl });
      new TerraformOutput(this, 'token_url', { value: sso.endpoints.tokenUrl });
      new TerraformOutput(this, 'client_secret_key_id', {
        value: sso.entra.clientSecret.keyId,
        description: 'Key id of the current client secret (not the secret)',
      });
      new TerraformOutput(this, 'client_secret_expires_at', {
        value: sso.entra.clientSecret.endDate,
        description: 'When the current client secret stops working',
      });
      new TerraformOutput(this, 'client_secret_next_rotation', {
        value: sso.entra.secretRotation.rotationRfc3339,
        description: 'The first deploy after this date issues a new secret',
      });
    }
    if (sso.secretEnvironmentVariable) {
      new TerraformOutput(this, 'secret_environment_variable', { value: sso.secretEnvironmentVariable });
    }
  }
}
