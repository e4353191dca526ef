import type { Settings } from './generated/settings';
import { fromSchemaErrors, parseJsonInput, SsoInputErrors, toValue, validateSettings } from '../constructs/internal';

/** The settings file's types, generated from schemas/settings.schema.json (`npm run schemas`). */
export type {
  AdoptSettings,
  BackendSettings,
  EnvironmentSettings,
  SecretSettings,
  Settings,
} from './generated/settings';

/** Parses and validates the settings file's text; `source` names it in errors. */
export function parseSettings(text: string, source: string): Settings {
  const data = toValue(parseJsonInput(text, source, `repair ${source}`));
  if (!validateSettings(data)) {
    const errors = fromSchemaErrors(validateSettings.errors ?? [], '');
    throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  }
  return data as Settings;
}
