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
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { defineStacks } from '../app/define-stacks';
import { DEFAULT_SETTINGS_FILE, LoadedSettings, READ_ONLY, loadSettings } from '../app/load-settings';
import { reportInputError } from '../app/report-input-error';
import { rotationStatus } from '../app/rotation-status';
import { readLocalState } from '../app/state-file';
import { REDACTED, REDACTED_CHANGED, scrubText } from '../constructs/internal';
import { reviewEnvironment } from './review/environment-review';
import { code } from './review/markdown';
import { relative } from './review/text';

export { DEPLOYER_TENANT } from './review/text';

/** Hidden marker that lets the workflow find and update its own comment. */
export const PLAN_REVIEW_MARKER = '<!-- botpress-azure-sso plan review -->';
/** GitHub refuses comments over 65,536 characters; beyond this, diffs are left out. */
export const MAX_REVIEW_LENGTH = 60_000;
/** Secrets at least this long are also scrubbed from the finished text, wherever they appear. */
const MIN_SCRUB_LENGTH = 8;

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
    const state = readLocalState(projectDir, env);
    if (state !== undefined) localStates[env.name] = state;
  }
  return renderPlanReview(loaded, { projectDir, localStates });
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
