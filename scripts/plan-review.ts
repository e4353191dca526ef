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
import { App, Token } from 'cdktf';
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import { DEFAULT_SETTINGS_FILE, LoadedEnvironment, LoadedSettings, defineStacks, loadSettings, reportInputError } from '../main';
import { DEFAULT_FILE_MODE, MICROSOFT_GRAPH_CLIENT_ID, PREVIEW_PLACEHOLDERS, SECRET_GRACE_DAYS } from '../constructs/botpress-azure-sso';
import { describeKeptAttributes } from '../constructs/file-ownership';
import type { BotpressSsoStack } from '../constructs/botpress-sso-stack';
import { JsonNode, getMember, parseJson, renderJsonText } from '../constructs/json-document';
import { REDACTED, REDACTED_CHANGED, collectSecretValues, redactSecretChange, scrubText } from '../constructs/secret-fields';

/** Hidden marker that lets the workflow find and update its own comment. */
export const PLAN_REVIEW_MARKER = '<!-- botpress-azure-sso plan review -->';
/** GitHub refuses comments over 65,536 characters; beyond this, diffs are left out. */
export const MAX_REVIEW_LENGTH = 60_000;
/** Secrets at least this long are also scrubbed from the finished text, wherever they appear. */
const MIN_SCRUB_LENGTH = 8;
/** How the review writes the part of an endpoint that only the deploying credentials decide. */
export const DEPLOYER_TENANT = '{tenant id of the deploying credentials}';
const CDKTF_TOKEN = /\$\{TfToken\[[^\]]*\]\}/g;

const AUDIENCES: Readonly<Record<string, string>> = {
  AzureADMyOrg: 'accounts in this organization only',
  AzureADMultipleOrgs: 'work or school accounts of any organization',
  AzureADandPersonalMicrosoftAccount: 'work or school accounts of any organization, and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'personal Microsoft accounts only',
};

export interface PlanReviewOptions {
  /** The folder paths are shown relative to (the project folder). Default: the current directory. */
  readonly projectDir?: string;
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
      return reviewEnvironment(env, stack, projectDir);
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
  return renderPlanReview(loadSettings(settingsFile, projectDir), { projectDir });
}

interface EnvironmentReview {
  /** Secret values of the environment's config, to scrub from the whole text. */
  readonly secrets: readonly string[];
  render(includeDiff: boolean): string[];
}

function reviewEnvironment(env: LoadedEnvironment, stack: BotpressSsoStack, projectDir: string): EnvironmentReview {
  const sso = stack.sso;
  const s = env.settings;
  const entra = sso.entra;
  const configFile = relative(projectDir, env.configFile);

  // --- botpress.config.json, both sides redacted -------------------------------------------
  const current = parseJson(env.baseConfig);
  const preview = parseJson(sso.configPreview);
  const strategy = member(preview, 'authStrategies', sso.strategyName);
  const secretNote = sso.secretEnvironmentVariable ? stringAt(strategy, 'options', 'clientSecret') : undefined;
  const harmless = new Set<string>([...Object.values(PREVIEW_PLACEHOLDERS), ...(secretNote ? [secretNote] : [])]);
  const keep = (value: string) => harmless.has(value);
  const redacted = redactSecretChange(current, preview, { keep });
  const oldText = renderJsonText(redacted.before);
  const newText = renderJsonText(redacted.after);
  const patch = oldText === newText ? '' : createTwoFilesPatch(`a/${configFile}`, `b/${configFile}`, oldText, newText, 'current', 'after deploy', {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  const patchLines = patch.split('\n');
  const added = patchLines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const removed = patchLines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  const reformatted = renderJsonText(current) !== env.baseConfig;
  const hadStrategy = member(current, 'authStrategies', sso.strategyName) !== undefined;
  const secrets = [...collectSecretValues(current, { keep }), ...collectSecretValues(preview, { keep })];

  const render = (includeDiff: boolean): string[] => {
    const out: string[] = [];
    out.push(`### Environment ${code(env.name)}: SSO ${entra ? 'enabled' : 'disabled'}`, '');
    out.push(`Deploy: ${code(`npx cdktf deploy ${env.name}`)}. State: ${s.backend ? `Azure Storage ${code(`${s.backend.storageAccountName}/${s.backend.containerName}`)}` : `local file ${code(`terraform.${env.name}.tfstate`)}`}.`, '');

    if (entra) {
      const audience = entra.application.signInAudienceInput ?? 'AzureADMyOrg';
      const rotationDays = entra.secretRotation.rotationDaysInput;
      const cloud = s.cloud ?? 'public';
      out.push(`**Microsoft Entra ID** (cloud ${code(cloud)}, tenant ${s.tenantId ? code(s.tenantId) : "of the deploying credentials"}):`, '');
      out.push(
        `- App registration ${code(sso.displayName)}, sign-in audience ${code(audience)} (${AUDIENCES[audience] ?? 'see Entra docs'}), ID tokens enabled, v2 access tokens`,
        `- Web redirect URI ${code(sso.callbackUrl)}`,
        `- Microsoft Graph delegated permissions ${code('openid')}, ${code('profile')}, ${code('email')}`,
        '- Service principal (enterprise application) of the app registration',
        `- Client secret, rotated every ${rotationDays ?? '?'} days; each secret stays valid ${SECRET_GRACE_DAYS} days past its rotation date, and the new one is created before the old one is removed`,
        '',
      );
      if (s.adopt) {
        const app = `/applications/${s.adopt.applicationObjectId}`;
        out.push('**Adopting an existing app registration** (Terraform imports these instead of creating new ones):', '');
        out.push(`- App registration from ${code(app)}: its display name, audience and settings become the values above`);
        out.push(`- Web redirect URIs from ${code(`${app}/redirectUris/Web`)}: the list becomes exactly the callback URL`);
        out.push(
          s.adopt.importGraphApiAccess ?? true
            ? `- Microsoft Graph permissions from ${code(`${app}/apiAccess/${MICROSOFT_GRAPH_CLIENT_ID}`)}: they become exactly openid, profile, email (for example the portal's User.Read goes)`
            : '- Microsoft Graph permissions: created (adopt.importGraphApiAccess is false)',
        );
        out.push(
          s.adopt.servicePrincipalObjectId
            ? `- Service principal from ${code(`/servicePrincipals/${s.adopt.servicePrincipalObjectId}`)}`
            : '- Service principal: created; if the app already has an enterprise application, set adopt.servicePrincipalObjectId so that it is imported instead',
        );
        out.push(
          '- **Client secret: cannot be imported.** Entra never reveals an existing secret, so this deploy issues a new one and gives it to Botpress. ' +
            "The app's existing secrets keep working until they expire; delete them in the Entra admin center once Botpress runs with the new one.",
          '',
        );
      }

      out.push(`**Callback URL** (Botpress): ${code(sso.callbackUrl)}`, '');
      const tenantDependent = [sso.endpoints.authorizationUrl, sso.endpoints.tokenUrl].some((url) => Token.isUnresolved(url));
      out.push(`**Endpoints** in strategy ${code(sso.strategyName)}:`, '');
      out.push(
        `- authorize: ${code(readable(sso.endpoints.authorizationUrl))}`,
        `- token: ${code(readable(sso.endpoints.tokenUrl))}`,
        `- userinfo: ${code(readable(sso.endpoints.userInfoUrl))}`,
      );
      if (tenantDependent) {
        out.push(
          `- ${code(DEPLOYER_TENANT)} depends on who deploys: the settings name no tenantId, so the deploy fills in the tenant of its Azure credentials. Set ${code(`environments.${env.name}.tenantId`)} to fix it here.`,
        );
      }
      out.push('');

      const selfSignup = strategy?.kind === 'object' && getMember(strategy, 'allowSelfSignup');
      const selfSignupText = selfSignup && selfSignup.kind === 'literal' && selfSignup.value === true ? 'allowed' : 'not allowed';
      out.push(
        `**Botpress**: strategy ${code(sso.strategyName)} (oauth2) in ${code(configFile)}, listed in ${code('pro.collaboratorsAuthStrategies')}, ` +
          `with ${code('pro.externalAuth.enabled')} true; self-signup ${selfSignupText}.`,
        '',
      );

      if (sso.secretEnvironmentVariable && env.envFile) {
        out.push(
          `**Client secret delivery**: environment variable ${code(sso.secretEnvironmentVariable)} in the env file ${code(relative(projectDir, env.envFile))} (${describeKeptAttributes(env.envFileAttributes, undefined, DEFAULT_FILE_MODE)}); ` +
            "Botpress must start with that file in its environment. The config file's clientSecret only holds a note.",
          '',
        );
      } else {
        out.push(
          `**Client secret delivery**: written into ${code(configFile)} at ${code(`authStrategies.${sso.strategyName}.options.clientSecret`)}.`,
          '',
        );
      }
    } else {
      out.push(
        `No Entra objects are declared. Deploying destroys the app registration, service principal and client secret that this stack created earlier (if any), and removes strategy ${code(sso.strategyName)} from ${code(configFile)}.`,
        '',
      );
    }

    if (sso.warnings.length > 0) {
      out.push('**Warnings**:', '', ...sso.warnings.map((w) => `- ${escapeText(readable(w))}`), '');
    }

    out.push(`**${code(configFile)}**: ${patch ? `${added} line${added === 1 ? '' : 's'} added, ${removed} removed` : 'no change'}.`, '');
    out.push(
      `The deploy replaces the file atomically, keeping the previous content in ${code(`${configFile}.bak`)}; ${describeKeptAttributes(env.configFileAttributes, s.configFileMode, DEFAULT_FILE_MODE)}.`,
      '',
    );
    if (reformatted) {
      out.push("The deploy also rewrites the file in Botpress's own layout (2-space JSON); whitespace-only changes are not shown.", '');
    }
    if (patch && entra && hadStrategy) {
      out.push(
        `Strategy ${code(sso.strategyName)} is already in the file (an earlier deploy?). Its clientID and clientSecret lines always show placeholders here, because this review cannot read the Terraform state; ${code(`npx cdktf diff ${env.name}`)} shows whether the deploy keeps them.`,
        '',
      );
    }
    if (patch) {
      if (includeDiff) out.push(fenced(patch, 'diff'), '');
      else out.push(`The diff (${patchLines.length} lines) is too long for a comment: run ${code('npm run plan-review')} locally to see it.`, '');
    }
    return out;
  };
  return { secrets, render };
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

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** An inline code span that shows `text` literally, whatever backticks it holds. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  if (flat === '') return '(empty)';
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in `text`. */
export function fenced(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${info}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

/** Plain text for Markdown: no HTML, no emphasis, links or tables. */
function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
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
