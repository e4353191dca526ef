/**
 * The plan review's part for botpressStorage "database": each BP_CONFIG_* variable of the env
 * file, the config paths it changes and its value (secrets redacted), so that a reviewer sees
 * what the config Botpress computes at start becomes. The diff of the export against that
 * config is plan-review.ts's usual diff, fed with the construct's `configPreview` (the export
 * with the variables applied).
 */
import {
  applyOverrides,
  type BotpressAzureSso,
  type HoleName,
  JsonNode,
  PREVIEW_PLACEHOLDERS,
  redactSecrets,
  renderJson,
  unexpressedDifferences,
} from '../../constructs/internal';
import { code } from './markdown';

/** What each variable is for, by name. */
const PURPOSE: Readonly<Record<string, string>> = {
  BP_CONFIG_PRO_ENABLED:
    'turns Pro on at start (needed with database storage: Botpress decides before it reads the database)',
  BP_CONFIG_AUTHSTRATEGIES: 'adds the strategy next to the stored ones, client secret included',
  BP_CONFIG_PRO_COLLABORATORSAUTHSTRATEGIES:
    'the whole list, stored names in their order and ours once (Botpress merges lists by index)',
};

/**
 * Markdown lines: the variables, or the note that there are none.
 * `envFile` is the env file's path as the review shows it, `kept` its owner and mode in words,
 * `base` the parsed export.
 */
export function environmentVariableLines(
  sso: BotpressAzureSso,
  base: JsonNode,
  envFile: string,
  kept: string,
): string[] {
  const overrides = sso.environmentOverrides ?? [];
  const out = [
    `**Botpress** (database storage): the config file is an export of the stored config and is only read; nothing writes it. ` +
      `The env file ${code(envFile)} (${kept}) holds ${overrides.length === 0 ? 'no variables' : `${overrides.length} variables`}; ` +
      'Botpress applies them at every start, so restart every Botpress container or pod with it after the deploy.',
    '',
  ];
  if (overrides.length === 0) {
    out.push('No `BP_CONFIG_*` variables: Botpress uses its stored config as it is.', '');
    return out;
  }
  const keep = (value: string) => Object.values(PREVIEW_PLACEHOLDERS).includes(value);
  let before = base;
  for (const override of overrides) {
    const after = applyOverrides(before, [override]);
    const changed = unexpressedDifferences(before, after);
    before = after;
    const value = renderJson(redactSecrets(override.value, { keep }), 'compact')
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(PREVIEW_PLACEHOLDERS[part.name as HoleName])))
      .join('');
    const purpose = PURPOSE[override.name] ?? 'a leaf of pro.externalAuth (Botpress ignores the object path itself)';
    out.push(
      `- ${code(override.name)}: ${purpose}; changes ${changed.length === 0 ? 'nothing in the export' : changed.map(code).join(', ')}. Value: ${code(value)}`,
    );
  }
  out.push('');
  return out;
}
