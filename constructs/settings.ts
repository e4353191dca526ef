import type { AzureCloud, SignInAudience } from './endpoints';
import { validateSettings } from './generated/validators';
import { SsoInputError, SsoInputErrors, fromSchemaErrors } from './input-error';
import { JsonSyntaxError, parseJson, toValue } from './json-document';

/** The settings file (schemas/settings.schema.json). */
export interface Settings {
  readonly environments: Readonly<Record<string, EnvironmentSettings>>;
}

export interface EnvironmentSettings {
  readonly enabled?: boolean;
  readonly botpressUrl: string;
  readonly configFile: string;
  readonly strategyName?: string;
  readonly signInAudience?: SignInAudience;
  readonly cloud?: AzureCloud;
  readonly tenantId?: string;
  readonly displayName?: string;
  readonly label?: string;
  readonly allowSelfSignup?: boolean;
  readonly configFileMode?: string;
  readonly secret?: {
    readonly delivery?: 'config-file' | 'environment';
    readonly envFile?: string;
    readonly rotationDays?: number;
  };
  readonly backend?: AzurermBackendSettings;
  readonly adopt?: {
    readonly applicationObjectId: string;
    readonly servicePrincipalObjectId?: string;
    readonly importGraphApiAccess?: boolean;
  };
}

export interface AzurermBackendSettings {
  readonly type: 'azurerm';
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly key?: string;
  readonly useOidc?: boolean;
}

/** Parses and validates the settings file's text; `source` names it in errors. */
export function parseSettings(text: string, source: string): Settings {
  let data: unknown;
  try {
    data = toValue(parseJson(text));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new SsoInputError(source, `line ${error.line}, column ${error.column}`, `is not valid JSON: ${error.reason}`, `repair ${source} at line ${error.line}, column ${error.column}`);
  }
  if (!validateSettings(data)) {
    const errors = fromSchemaErrors(validateSettings.errors ?? [], '');
    throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  }
  return data as Settings;
}
