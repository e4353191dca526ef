/**
 * Plan review for pull requests: what a deploy of each environment would declare in Entra ID and
 * write into botpress.config.json, as Markdown for a PR comment. Offline: it builds the same
 * stacks as the app (main.ts's loadSettings and defineStacks) in an App that is never
 * synthesized, and reads only the construct's attributes. Secrets are redacted by key name.
 *
 *   npm run plan-review > review.md
 *   BOTPRESS_SSO_SETTINGS=path/to/settings.json npm run plan-review
 *
 * Bad settings or config files: exit code 1, the same messages as synthesis on stderr, nothing
 * on stdout.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Token } from 'cdktf';
import { defineStacks, settingsFindingText } from '../app/define-stacks';
import {
  DEFAULT_SETTINGS_FILE,
  LoadedEnvironment,
  LoadedSettings,
  READ_ONLY,
  loadSettings,
} from '../app/load-settings';
import { reportInputError } from '../app/report-input-error';
import { describeRotationStatus, RotationStatus, rotationStatus } from '../app/rotation-status';
import { localStateFileName } from '../app/state-file';
import {
  BACKUP_SUFFIX,
  type BotpressSsoStack,
  describeKeptAttributes,
  getMember,
  JsonNode,
  parseJson,
  PREVIEW_PLACEHOLDERS,
  REDACTED,
  REDACTED_CHANGED,
  renderJsonText,
  scrubText,
  SSO_DEFAULTS,
} from '../constructs/internal';
import { reviewAccess } from './review/access-section';
import { environmentVariableLines } from './review/database-section';
import { code, escapeText, fenced, markdown } from './review/markdown';
import { RedactedDiff, redactedDiff } from './review/redacted-diff';

/** Hidden marker that lets the workflow find and update its own comment. */
export const PLAN_REVIEW_MARKER = '<!-- botpress-azure-sso plan review -->';
/** GitHub refuses comments over 65,536 characters; beyond this, diffs are left out. */
export const MAX_REVIEW_LENGTH = 60_000;
/** Secrets at least this long are also scrubbed from the finished text, wherever they appear. */
const MIN_SCRUB_LENGTH = 8;
/** How the review writes the part of an endpoint that only the deploying credentials decide. */
export const DEPLOYER_TENANT = '{tenant id of the deploying credentials}';
const CDKTF_TOKEN = /\$\{TfToken\[[^\]]*\]\}/g;

export interface PlanReviewOptions {
  /** The folder paths are shown relative to (the project folder). Default: the current directory. */
  readonly projectDir?: string;
  /** Local state text by environment, where there is one: it tells key ids and dates. */
  readonly localStates?: Readonly<Record<string, string>>;
  /** The time the review is made. Default: now. */
  readonly now?: Date;
}

/**
 * Builds the stacks of `loaded` (as `cdktf synth` would, without synthesizing) and returns the
 * review as Markdown. Throws SsoInputError(s) for bad settings or config files.
 */
export function renderPlanReview(loaded: LoadedSettings, options: PlanReviewOptions = {}): string {
  const projectDir = options.projectDir ?? process.cwd();
  // The App creates its outdir (and a stacks folder) on construction; nothing else is written.
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'botpress-sso-plan-review-'));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    const stacks = defineStacks(app, loaded, projectDir);
    const reviews = stacks.map((stack) => {
      const env = loaded.environments.find((e) => e.name === stack.node.id);
      if (!env) throw new Error(`internal: no settings for stack ${stack.node.id}`);
      const rotation = rotationStatus(stack, options.localStates?.[env.name], options.now ?? new Date());
      return reviewEnvironment(env, stack, projectDir, rotation);
    });
    const secrets = reviews.flatMap((r) => r.secrets);
    const header = [
      '## Botpress SSO plan review',
      '',
      `Settings ${code(relative(projectDir, loaded.settingsFile))}, ${stacks.length} environment${stacks.length === 1 ? '' : 's'}. ` +
        'Built from this pull request without contacting Azure: values that only the deploy knows are shown as `<placeholders>`, ' +
        `and secrets as ${code(REDACTED)} (${code(REDACTED_CHANGED)} where the value changes).`,
      '',
    ];
    let text = [...header, ...reviews.flatMap((r) => r.render(true))].join('\n');
    if (text.length > MAX_REVIEW_LENGTH) {
      text = [...header, ...reviews.flatMap((r) => r.render(false))].join('\n');
    }
    // Defence in depth: a secret that reached the text some other way is scrubbed too. The
    // marker is added afterwards so that it always survives.
    return `${PLAN_REVIEW_MARKER}\n${scrubText(text, secrets, MIN_SCRUB_LENGTH)}`;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Reads the settings (env BOTPRESS_SSO_SETTINGS, default botpress-sso.json) and renders the review. */
export function buildPlanReview(settingsFile: string, projectDir = process.cwd()): string {
  // Read-only: the deploy's ownership checks are the deploying host's business.
  const loaded = loadSettings(settingsFile, projectDir, READ_ONLY);
  const localStates: Record<string, string> = {};
  for (const env of loaded.environments) {
    const file = path.join(projectDir, localStateFileName(env.name));
    if (!env.settings.backend && existsSync(file)) localStates[env.name] = readFileSync(file, 'utf8');
  }
  return renderPlanReview(loaded, { projectDir, localStates });
}

interface EnvironmentReview {
  /** Secret values of the environment's config, to scrub from the whole text. */
  readonly secrets: readonly string[];
  render(includeDiff: boolean): string[];
}

/** What every section of an environment's review may read. */
interface ReviewContext {
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

function reviewEnvironment(
  env: LoadedEnvironment,
  stack: BotpressSsoStack,
  projectDir: string,
  rotation: RotationStatus | undefined,
): EnvironmentReview {
  const databaseEnvFile =
    stack.sso.botpressStorage === 'database' && env.envFile ? relative(projectDir, env.envFile) : undefined;
  const context: ReviewContext = {
    env,
    sso: stack.sso,
    configFile: relative(projectDir, env.configFile),
    current: parseJson(env.baseConfig),
    projectDir,
    databaseEnvFile,
  };
  const diff = configDiff(context);
  const access = reviewAccess(stack.sso, env.workspacesConfig, env.workspacesFile, projectDir);
  const render = (includeDiff: boolean): string[] => [
    ...headingSection(context),
    ...(context.sso.entra
      ? [
          ...entraSection(context),
          ...adoptionSection(context),
          ...endpointsSection(context),
          ...botpressSection(context),
          ...access.entraLines(),
          ...secretDeliverySection(context),
          ...rotationSection(rotation),
        ]
      : removalSection(context)),
    ...warningsSection(context),
    ...configDiffSection(context, diff, includeDiff),
    ...access.fileLines(includeDiff),
  ];
  return { secrets: [...diff.secrets, ...access.secrets], render };
}

function headingSection({ env, sso }: ReviewContext): string[] {
  const backend = env.settings.backend;
  const state = backend
    ? `Azure Storage ${code(`${backend.storageAccountName}/${backend.containerName}`)}`
    : `local file ${code(localStateFileName(env.name))}`;
  return [
    `### Environment ${code(env.name)}: SSO ${sso.entra ? 'enabled' : 'disabled'}`,
    '',
    `Deploy: ${code(`npx cdktf deploy ${env.name}`)}. State: ${state}.`,
    '',
  ];
}

function entraSection({ sso }: ReviewContext): string[] {
  const { cloud, tenantId } = sso.resolved;
  return [
    `**Microsoft Entra ID** (cloud ${code(cloud)}, tenant ${tenantId ? code(tenantId) : 'of the deploying credentials'}):`,
    '',
    ...sso.entraObjects.map((object) => `- ${markdown(object.detail)}`),
    '',
  ];
}

function adoptionSection({ sso }: ReviewContext): string[] {
  const adopted = sso.entraObjects.filter((object) => object.adoption);
  if (adopted.length === 0) return [];
  return [
    '**Adopting an existing app registration** (Terraform imports these instead of creating new ones):',
    '',
    ...adopted.map((object) => `- ${markdown(object.adoption ?? [])}`),
    '',
  ];
}

function endpointsSection({ env, sso }: ReviewContext): string[] {
  const out = [
    `**Callback URL** (Botpress): ${code(sso.callbackUrl)}`,
    '',
    `**Endpoints** in strategy ${code(sso.strategyName)}:`,
    '',
  ];
  out.push(
    `- authorize: ${code(readable(sso.endpoints.authorizationUrl))}`,
    `- token: ${code(readable(sso.endpoints.tokenUrl))}`,
    `- userinfo: ${code(readable(sso.endpoints.userInfoUrl))}`,
  );
  if ([sso.endpoints.authorizationUrl, sso.endpoints.tokenUrl].some((url) => Token.isUnresolved(url))) {
    out.push(
      `- ${code(DEPLOYER_TENANT)} depends on who deploys: the settings name no tenantId, so the deploy fills in the tenant of its Azure credentials. Set ${code(`environments.${env.name}.tenantId`)} to fix it here.`,
    );
  }
  return [...out, ''];
}

function botpressSection({ env, sso, configFile, current, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile) return environmentVariableLines(sso, current, databaseEnvFile, envFileKept(env));
  const selfSignup = sso.resolved.allowSelfSignup ? 'allowed' : 'not allowed';
  return [
    `**Botpress**: strategy ${code(sso.strategyName)} (oauth2) in ${code(configFile)}, listed in ${code('pro.collaboratorsAuthStrategies')}, ` +
      `with ${code('pro.externalAuth.enabled')} true; self-signup ${selfSignup}.`,
    '',
  ];
}

function secretDeliverySection({ env, sso, configFile, projectDir, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile)
    return [`**Client secret delivery**: inside ${code('BP_CONFIG_AUTHSTRATEGIES')} in the env file.`, ''];
  if (sso.secretEnvironmentVariable && env.envFile) {
    return [
      `**Client secret delivery**: environment variable ${code(sso.secretEnvironmentVariable)} in the env file ${code(relative(projectDir, env.envFile))} (${envFileKept(env)}); ` +
        "Botpress must start with that file in its environment. The config file's clientSecret only holds a note.",
      '',
    ];
  }
  return [
    `**Client secret delivery**: written into ${code(configFile)} at ${code(`authStrategies.${sso.strategyName}.options.clientSecret`)}.`,
    '',
  ];
}

function rotationSection(rotation: RotationStatus | undefined): string[] {
  if (!rotation) return [];
  return [
    '**Client secret rotation**:',
    '',
    ...describeRotationStatus(rotation).map((line) => `- ${markdown(line)}`),
    '',
  ];
}

/** The env file's owner and mode after the deploy, in words. */
function envFileKept(env: LoadedEnvironment): string {
  return describeKeptAttributes(env.envFileAttributes, undefined, SSO_DEFAULTS.newFileMode);
}

function removalSection({ env, sso, configFile, current, databaseEnvFile }: ReviewContext): string[] {
  if (databaseEnvFile) {
    return [
      'No Entra objects are declared. Deploying destroys the app registration, service principal and client secret that this stack created earlier (if any).',
      '',
      ...environmentVariableLines(sso, current, databaseEnvFile, envFileKept(env)),
    ];
  }
  return [
    `No Entra objects are declared. Deploying destroys the app registration, service principal and client secret that this stack created earlier (if any), and removes strategy ${code(sso.strategyName)} from ${code(configFile)}.`,
    '',
  ];
}

function warningsSection({ sso, env }: ReviewContext): string[] {
  const findings = [...sso.findings, ...env.findings];
  if (findings.length === 0) return [];
  return ['**Warnings**:', '', ...findings.map((f) => `- ${escapeText(readable(settingsFindingText(f)))}`), ''];
}

/** botpress.config.json before and after, both sides redacted. */
interface ConfigDiff extends RedactedDiff {
  /** The deploy rewrites the file's layout (2-space JSON) as well. */
  readonly reformatted: boolean;
  /** The strategy is in the file already (an earlier deploy). */
  readonly hadStrategy: boolean;
}

function configDiff({ env, sso, configFile, current }: ReviewContext): ConfigDiff {
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

function configDiffSection(
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

// --- helpers -------------------------------------------------------------------------------

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

function relative(projectDir: string, file: string): string {
  return path.relative(projectDir, file).split(path.sep).join('/') || '.';
}

/** Text with cdktf tokens (the deployer's tenant) replaced by readable words. */
function readable(text: string): string {
  const out = text.replace(CDKTF_TOKEN, DEPLOYER_TENANT);
  if (Token.isUnresolved(out)) throw new Error(`internal: an unresolved value reached the review: ${out}`);
  return out;
}

export function main(): void {
  const settingsFile = process.env.BOTPRESS_SSO_SETTINGS || DEFAULT_SETTINGS_FILE;
  let review: string;
  try {
    review = buildPlanReview(settingsFile);
  } catch (error) {
    if (reportInputError(error)) return;
    throw error;
  }
  process.stdout.write(review.endsWith('\n') ? review : `${review}\n`);
}

if (require.main === module) main();
