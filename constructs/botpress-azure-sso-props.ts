import type { TerraformProvider } from 'cdktf';
import type { AdoptExistingApplication } from './entra/adoption';
import type { SecretRotationMode } from './entra/client-secret';
import type { AzureCloud, SignInAudience } from './entra/endpoints';
import type { StateLocation } from './entra/rotation-guard';
import type { ObservedFile } from './placement/file-ownership';

/** How Botpress receives the client secret. */
export type SecretDelivery =
  /** Written into botpress.config.json, as Botpress documents. */
  | { readonly kind: 'config-file' }
  /** Written to an env file as `BP_CONFIG_AUTHSTRATEGIES_<NAME>_OPTIONS_CLIENTSECRET`. */
  | { readonly kind: 'environment'; readonly envFilePath: string };

/**
 * Where Botpress keeps its global config. `disk`: data/global/botpress.config.json, which apply
 * rewrites. `database`: BPFS_STORAGE=database (or a config baked into an image); the file is only
 * read, and SSO reaches Botpress through `BP_CONFIG_*` variables in the env file.
 */
export type BotpressStorage = 'disk' | 'database';

/** How the deploy restarts Botpress (the `restart` setting). */
export interface BotpressRestart {
  /**
   * A shell command, run with `sh -c` on the deploy machine, that restarts Botpress so that it
   * reads its config and environment again, and returns when it has. For example
   * `docker compose up -d botpress` (which, unlike `docker restart`, picks up a new env file),
   * `systemctl restart botpress`, or `kubectl rollout restart deployment/botpress && kubectl
   * rollout status deployment/botpress --timeout=5m`.
   */
  readonly command: string;
  /**
   * Seconds from the start of the command until Botpress must list the strategy at
   * `<botpressUrl>/api/v1/admin/auth/config`; 1 to 3600. A command still running then is stopped.
   * @default 120
   */
  readonly timeoutSeconds?: number;
}

/** Who may sign in (the enterprise application's users and groups). */
export interface BotpressAzureSsoAccess {
  /**
   * Object ids of Entra groups whose direct members may sign in (needs Entra ID P1/P2; nested groups do not count).
   * @default [] (no group is assigned)
   */
  readonly groups?: readonly string[];
  /**
   * Object ids of Entra users who may sign in.
   * @default [] (no user is assigned)
   */
  readonly users?: readonly string[];
  /**
   * Whether only assigned users and groups may sign in. `true` with empty lists means the
   * assignments are managed elsewhere (the portal).
   * @default true when `groups` or `users` is non-empty, else false
   */
  readonly assignmentRequired?: boolean;
}

/** Providers to use instead of the stack's default ones (for example aliased providers). */
export interface BotpressAzureSsoProviders {
  /**
   * For the Entra objects.
   * @default the stack's default azuread provider
   */
  readonly azuread?: TerraformProvider;
  /**
   * For the stage files.
   * @default the stack's default local provider
   */
  readonly local?: TerraformProvider;
  /**
   * For the replication wait.
   * @default the stack's default time provider
   */
  readonly time?: TerraformProvider;
}

/** What `BotpressAzureSso` takes: where Botpress is, its config as text, and how SSO should be set up. */
export interface BotpressAzureSsoProps {
  /**
   * Botpress's external URL (`httpServer.externalUrl`): https, or http for localhost only. May
   * carry a path prefix, with or without a trailing slash; no query or fragment.
   * @example 'https://bots.example.com'
   */
  readonly botpressUrl: string;
  /**
   * The current text of Botpress's `data/global/botpress.config.json`. The construct does no
   * file I/O: read the file and pass its content. Everything in it is preserved.
   */
  readonly baseConfig: string;
  /**
   * Where Terraform writes the rendered config: relative to the stack's working directory
   * (`cdktf.out/stacks/<stack>`) or absolute. Must be the file `baseConfig` was read from.
   * @example '../../../botpress/data/global/botpress.config.json'
   */
  readonly configFilePath: string;
  /**
   * Key under `authStrategies`, and the last segment of the callback URL. Letters, digits,
   * `-` and `_`; with environment delivery, no `-`.
   * @default 'azuread'
   */
  readonly strategyName?: string;
  /**
   * Who may sign in: `AzureADMyOrg` (this tenant), `AzureADMultipleOrgs` (any work or school
   * account), `AzureADandPersonalMicrosoftAccount`, `PersonalMicrosoftAccount`.
   * @default 'AzureADMyOrg'
   */
  readonly signInAudience?: SignInAudience;
  /**
   * The Microsoft cloud. Personal-account audiences exist only in `public`.
   * @default 'public'
   */
  readonly cloud?: AzureCloud;
  /**
   * Directory (tenant) id, a GUID. Used in single-tenant endpoints.
   * @default the tenant of the deploying credentials (data source azuread_client_config)
   */
  readonly tenantId?: string;
  /**
   * Display name of the app registration: plain text on one line.
   * @default 'Botpress SSO (<construct path>)', unique per app
   */
  readonly displayName?: string;
  /**
   * Text of the sign-in button in Botpress.
   * @default Botpress's own label for the strategy
   */
  readonly label?: string;
  /**
   * Whether anyone who can sign in to Entra may create a Botpress collaborator account.
   * @default false
   */
  readonly allowSelfSignup?: boolean;
  /**
   * `false` removes SSO: no Entra resources, and the strategy is taken out of the config.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How Botpress receives the client secret.
   * @default { kind: 'config-file' }
   */
  readonly secretDelivery?: SecretDelivery;
  /**
   * `database`: `baseConfig` is an export of the config Botpress stores in its database (no
   * resource writes `configFilePath`), and the whole SSO configuration goes to the env file of
   * `secretDelivery` (then required to be `environment`) as `BP_CONFIG_*` variables.
   * @default 'disk'
   */
  readonly botpressStorage?: BotpressStorage;
  /**
   * Days between client secret rotations, 1 to 730, on a fixed schedule: the first deploy's date
   * (UTC) + n x this many days. Each secret stays valid `SECRET_GRACE_DAYS` past the date it is
   * due to be replaced.
   * @default 180
   */
  readonly secretRotationDays?: number;
  /**
   * A step that restarts Botpress whenever a deploy replaced a file Botpress reads at start (the
   * config, the env file, workspaces.json), then waits until Botpress lists the strategy. With
   * it the client secret is one password, re-issued at each rotation date and deleted only after
   * the restart succeeded. Without it there are two passwords in alternating slots, and Botpress
   * must be restarted onto the newer one before each rotation date (output
   * `client_secret_restart_by`).
   * @default none: two alternating client secrets, Botpress restarted by its operator
   */
  readonly restart?: BotpressRestart;
  /**
   * Where the stack keeps its Terraform state. The rotation guard reads the previous deploy's
   * schedule from there and stops a deploy that would delete a client secret a running Botpress
   * may hold. `BotpressSsoStack` passes its own backend.
   * @default none: no rotation guard
   */
  readonly stateLocation?: StateLocation;
  /**
   * Take over an app registration made by hand (generates import blocks).
   * @default none: a new app registration is created
   */
  readonly adopt?: AdoptExistingApplication;
  /**
   * Octal mode the config file gets at every deploy (the `configFileMode` setting). Without it an
   * existing file keeps its mode, and a new one gets 0600. Owner and group are always kept.
   * @default the file's current mode; '0600' for a new file
   */
  readonly filePermission?: string;
  /**
   * Owner, group and mode of `configFilePath` as seen before synthesis (plain data; the
   * construct does no file I/O). Used for warnings, such as a mode that lets every user read the
   * client secret. Absent: the file is new, or its attributes are unknown.
   * @default unknown: no warning about the file's mode
   */
  readonly configFileAttributes?: ObservedFile;
  /**
   * The same for the env file of `secretDelivery`, when it exists already.
   * @default unknown: no warning about the env file's mode
   */
  readonly envFileAttributes?: ObservedFile;
  /**
   * SHA-256 (hex) of the env file of `secretDelivery` as seen before synthesis, "" when it does
   * not exist (plain data; the construct does no file I/O). The env file is rendered from
   * scratch, so this is how the construct learns what the live file holds: the installer then
   * refuses to replace a file that changed since (no lost update), and a hand edit or a restored
   * backup is put right by the next deploy.
   * @default unknown: the env file is installed whenever its rendered content changes, without
   * checking what the live file holds first, and a hand edit stays until the content changes
   */
  readonly envFileSha256?: string;
  /**
   * The deployer's own folder for the stage files (the rendered files, which may hold the client
   * secret, mode 0600) and the installer's receipts, one of each per managed file (`config`,
   * `env`, `workspaces`): relative to the stack's working directory, or absolute. A folder of the
   * deployer's own, never Botpress's: the local provider writes the stage by path and the plan
   * reads the receipt by path, so in a folder that Botpress's user can change a link planted
   * there would have root write the secret, or read any file, wherever it points.
   * @default '.botpress-sso/<this construct's path within its stack>', inside the stack's
   * working directory (cdktf.out/stacks/<stack>/): unique per construct
   */
  readonly stageDirectory?: string;
  /**
   * Providers to use.
   * @default the stack's default provider of each type
   */
  readonly providers?: BotpressAzureSsoProviders;
  /**
   * Who may sign in.
   * @default anyone the sign-in audience admits (no assignment required)
   */
  readonly access?: BotpressAzureSsoAccess;
  /**
   * Tenant-wide admin consent for the delegated scopes openid, profile and email.
   * @default true when assignment is required, else false
   */
  readonly adminConsent?: boolean;
  /**
   * Object ids (users or service principals) made owners of the registration and the service principal.
   * @default none managed here (Entra makes the deployer of a new registration its owner)
   */
  readonly owners?: readonly string[];
  /**
   * Botpress workspace ids whose `authStrategies` list the strategy, so that SSO users can be
   * added to them. Needs `workspacesConfig`. Not with database storage.
   * @default the lists stay as they are (and the file byte for byte), but for `enabled: false`,
   * which takes the strategy out of all of them
   */
  readonly workspaces?: readonly string[];
  /**
   * The current text of `data/global/workspaces.json` (the construct does no file I/O).
   * @default none: workspaces.json is not managed
   */
  readonly workspacesConfig?: string;
  /**
   * Where Terraform writes workspaces.json, like `configFilePath`. Required with `workspacesConfig`.
   * @default none
   */
  readonly workspacesFilePath?: string;
}

/** The props as the construct uses them: every default applied, the URL normalized. */
export interface ResolvedSsoProps {
  readonly enabled: boolean;
  /** Botpress's external URL, normalized (lower-case host, no default port, no trailing slash). */
  readonly botpressUrl: string;
  /** Botpress's callback URL, registered as the Web redirect URI. */
  readonly callbackUrl: string;
  readonly strategyName: string;
  readonly signInAudience: SignInAudience;
  readonly cloud: AzureCloud;
  /** Lower-cased; undefined means the tenant of the deploying credentials. */
  readonly tenantId?: string;
  readonly displayName: string;
  readonly label?: string;
  readonly allowSelfSignup: boolean;
  readonly secretDelivery: SecretDelivery;
  readonly botpressStorage: BotpressStorage;
  readonly secretRotationDays: number;
  /** The restart step, with its timeout resolved; none: two alternating client secrets. */
  readonly restart?: Required<BotpressRestart>;
  /** `restart` with a restart step, `two-slots` without. */
  readonly secretRotationMode: SecretRotationMode;
  /** The mode override of the config file, normalized ("0640"); undefined: the file keeps its mode. */
  readonly filePermission?: string;
}

export type { AdoptExistingApplication } from './entra/adoption';
export type { BotpressAzureSsoEntra, EntraAccessResources } from './entra/entra-resources';
export type {
  ClientSecret,
  RestartedClientSecret,
  SecretRotation,
  SecretRotationMode,
  SlottedClientSecret,
} from './entra/client-secret';
export type { StateLocation } from './entra/rotation-guard';
