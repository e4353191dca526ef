/** What every section of an environment's plan review may read. */
import type { LoadedEnvironment } from '../../app/load-settings';
import type { BotpressSsoStack, JsonNode } from '../../constructs/internal';

export interface ReviewContext {
  readonly env: LoadedEnvironment;
  readonly sso: BotpressSsoStack['sso'];
  /** The config file, relative to the project folder. */
  readonly configFile: string;
  /** The config file's current text, parsed once. */
  readonly current: JsonNode;
  readonly projectDir: string;
  /** With database storage: the env file that carries the whole SSO configuration, as shown. */
  readonly databaseEnvFile?: string;
}
