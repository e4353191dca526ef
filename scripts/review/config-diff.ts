/** The review's botpress.config.json section: the file before and after, both sides redacted. */
import {
  BACKUP_SUFFIX,
  describeKeptAttributes,
  getMember,
  JsonNode,
  parseJson,
  PREVIEW_PLACEHOLDERS,
  renderJsonText,
  SSO_DEFAULTS,
} from '../../constructs/internal';
import type { ReviewContext } from './review-context';
import { code, fenced } from './markdown';
import { RedactedDiff, redactedDiff } from './redacted-diff';

/** botpress.config.json before and after, both sides redacted. */
export interface ConfigDiff extends RedactedDiff {
  /** The deploy rewrites the file's layout (2-space JSON) as well. */
  readonly reformatted: boolean;
  /** The strategy is in the file already (an earlier deploy). */
  readonly hadStrategy: boolean;
}

export function configDiff({ env, sso, configFile, current }: ReviewContext): ConfigDiff {
  const preview = parseJson(sso.configPreview);
  const strategy = member(preview, 'authStrategies', sso.strategyName);
  const secretNote = sso.secretEnvironmentVariable ? stringAt(strategy, 'options', 'clientSecret') : undefined;
  const harmless = new Set<string>([...Object.values(PREVIEW_PLACEHOLDERS), ...(secretNote ? [secretNote] : [])]);
  return {
    ...redactedDiff(configFile, current, preview, (value) => harmless.has(value)),
    reformatted: renderJsonText(current) !== env.baseConfig,
    hadStrategy: member(current, 'authStrategies', sso.strategyName) !== undefined,
  };
}

export function configDiffSection(
  { env, sso, configFile, databaseEnvFile }: ReviewContext,
  diff: ConfigDiff,
  includeDiff: boolean,
): string[] {
  const { patch, added, removed } = diff;
  const subject = databaseEnvFile
    ? `The config Botpress computes from ${code(configFile)} and the env file`
    : `**${code(configFile)}**`;
  const out = [
    `${subject}: ${patch ? `${added} line${added === 1 ? '' : 's'} added, ${removed} removed` : 'no change'}.`,
    '',
  ];
  if (!databaseEnvFile) {
    out.push(
      `The deploy replaces the file atomically, keeping the previous content in ${code(`${configFile}${BACKUP_SUFFIX}`)}; ${describeKeptAttributes(env.configFileAttributes, sso.resolved.filePermission, SSO_DEFAULTS.newFileMode)}.`,
      '',
    );
  }
  if (diff.reformatted && !databaseEnvFile) {
    out.push(
      "The deploy also rewrites the file in Botpress's own layout (2-space JSON); whitespace-only changes are not shown.",
      '',
    );
  }
  if (patch && sso.entra && diff.hadStrategy) {
    out.push(
      `Strategy ${code(sso.strategyName)} is already in the file (an earlier deploy?). Its clientID and clientSecret lines always show placeholders here, because this review cannot read the Terraform state; ${code(`npx cdktf diff ${env.name}`)} shows whether the deploy keeps them.`,
      '',
    );
  }
  if (!patch) return out;
  if (includeDiff) return [...out, fenced(patch, 'diff'), ''];
  return [
    ...out,
    `The diff (${patch.split('\n').length} lines) is too long for a comment: run ${code('npm run plan-review')} locally to see it.`,
    '',
  ];
}

function member(node: JsonNode | undefined, ...keys: string[]): JsonNode | undefined {
  let current = node;
  for (const key of keys) {
    if (current?.kind !== 'object') return undefined;
    current = getMember(current, key);
  }
  return current;
}

function stringAt(node: JsonNode | undefined, ...keys: string[]): string | undefined {
  const found = member(node, ...keys);
  return found?.kind === 'string' ? found.value : undefined;
}
