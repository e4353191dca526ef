import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { BotpressAzureSso } from './botpress-azure-sso';
import type { BotpressAzureSsoProps, StateLocation } from './botpress-azure-sso-props';
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

    const key = props.backend?.key ?? `botpress-sso/${name}.tfstate`;
    // The rotation guard reads the previous deploy's schedule from this stack's own state.
    let stateLocation: StateLocation;
    if (props.backend) {
      const { resourceGroupName, storageAccountName, containerName } = props.backend;
      const storage = { resourceGroupName, storageAccountName, containerName, key };
      new AzurermBackend(this, { ...storage, useOidc: useOidc || undefined, useAzureadAuth: true });
      stateLocation = { backend: 'azurerm', ...storage, useOidc };
    } else {
      new LocalBackend(this, { path: props.localStatePath });
      stateLocation = { backend: 'local', path: props.localStatePath };
    }
    this.sso = new BotpressAzureSso(this, SSO_CONSTRUCT_ID, {
      ...props.sso,
      stateLocation: props.sso.stateLocation ?? stateLocation,
    });
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
      const secret = sso.entra.clientSecret;
      new TerraformOutput(this, 'client_secret_key_id', {
        value: secret.keyId,
        description: 'Key id of the client secret the config holds (not the secret)',
      });
      new TerraformOutput(this, 'client_secret_expires_at', {
        value: secret.endDate,
        description: 'When the client secret the config holds stops working',
      });
      new TerraformOutput(this, 'client_secret_next_rotation', {
        value: sso.entra.secretRotation.nextRotation,
        description: 'The next rotation date: the first deploy on or after it issues a new secret',
      });
      new TerraformOutput(this, 'client_secret_rotation', {
        value: secret.mode,
        description: '"restart": re-issued with a Botpress restart by the deploy; "two-slots": two alternating secrets',
      });
      if (secret.mode === 'two-slots') {
        new TerraformOutput(this, 'client_secret_slot', {
          value: secret.slot,
          description: 'The slot ("a" or "b") whose secret the config holds: the newer one',
        });
        new TerraformOutput(this, 'client_secret_restart_by', {
          value: secret.restartBy,
          description:
            'Restart Botpress before this date, so that it runs on the secret the config holds: then the older slot is re-issued (or its secret expires)',
        });
        new TerraformOutput(this, 'client_secret_older_key_id', {
          value: secret.olderKeyId,
          description:
            "Key id of the older slot's secret, which a Botpress not restarted since the last rotation still runs on",
        });
      }
    }
    if (sso.secretEnvironmentVariable) {
      new TerraformOutput(this, 'secret_environment_variable', { value: sso.secretEnvironmentVariable });
    }
  }
}
