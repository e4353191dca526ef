/**
 * The ready app: one stack per environment of the settings file (app/), synthesized by cdktf.
 *
 *   BOTPRESS_SSO_SETTINGS=path/to/settings.json npx cdktf synth
 */
import { existsSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { defineStacks, settingsFindingText } from './app/define-stacks';
import { DEFAULT_OUTDIR, DEFAULT_SETTINGS_FILE, loadSettings } from './app/load-settings';
import { reportInputError } from './app/report-input-error';
import { rotationStatus, rotationStatusLines } from './app/rotation-status';
import { droppedGuardProblems } from './app/state-check';
import { readLocalState } from './app/state-file';
import {
  accessSummaryLines,
  describeKeptAttributes,
  plainText,
  SSO_DEFAULTS,
  SsoInputErrors,
} from './constructs/internal';

/**
 * cdktf formats a full stack trace for every token it creates (about 3 ms per stack here, a
 * third of the cost of each extra environment); it only shows them when a token fails to
 * resolve. While `fn` runs, traces format to nothing. V8 formats an error's stack when it is
 * first read, so errors read after this returns keep their usual stack.
 */
function withoutTokenStackTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function main(): void {
  const settingsFile = process.env.BOTPRESS_SSO_SETTINGS || DEFAULT_SETTINGS_FILE;
  const outdir = process.env.CDKTF_OUTDIR || DEFAULT_OUTDIR;
  const outdirExisted = existsSync(outdir);
  const app = new App({ outdir, stackTraces: false }); // creates outdir
  try {
    const loaded = loadSettings(settingsFile, process.cwd(), undefined, outdir);
    const stacks = withoutTokenStackTraces(() => {
      const defined = defineStacks(app, loaded);
      // Before anything is written: a plan that would stop at a dropped guard is refused now.
      const dropped = droppedGuardProblems(defined, loaded, process.cwd());
      if (dropped.length > 0) throw dropped.length === 1 ? dropped[0] : new SsoInputErrors(dropped);
      app.synth();
      return defined;
    });
    for (const stack of stacks) {
      const sso = stack.sso;
      const env = loaded.environments.find((e) => e.name === stack.node.id);
      process.stdout.write(
        [
          `Environment "${stack.node.id}" (npx cdktf deploy ${stack.node.id}):`,
          sso.entra
            ? `  Entra: ${sso.entraObjects.map((object) => plainText(object.summary)).join(', ')}`
            : '  SSO disabled: deploy removes the Entra resources and the strategy',
          sso.configFile
            ? `  botpress.config.json: ${env?.configFile} (strategy "${sso.strategyName}"; ${describeKeptAttributes(env?.configFileAttributes, sso.resolved.filePermission, SSO_DEFAULTS.newFileMode)})`
            : `  botpress.config.json: ${env?.configFile}, an export of the stored config, only read (strategy "${sso.strategyName}")`,
          ...accessSummaryLines(sso, env?.workspacesFile ?? 'workspaces.json'),
          ...rotationStatusLines(rotationStatus(stack, env && readLocalState(process.cwd(), env), new Date())).map(
            (line) => `  ${line}`,
          ),
          ...(sso.envFile && env?.envFile
            ? [
                `  env file: ${env.envFile} (${sso.environmentOverrides ? sso.environmentOverrides.map((o) => o.name).join(', ') || 'no variables' : sso.secretEnvironmentVariable})`,
              ]
            : []),
          `  Terraform: ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}/cdk.tf.json`,
          ...[...sso.findings, ...(env?.findings ?? [])].map((f) => `  warning: ${settingsFindingText(f)}`),
          '',
        ].join('\n'),
      );
    }
  } catch (error) {
    if (!reportInputError(error)) throw error;
    // Bad input writes nothing: take back the empty folders App created.
    if (!outdirExisted) {
      for (const dir of [path.join(outdir, 'stacks'), outdir]) {
        try {
          rmdirSync(dir);
        } catch {
          // not empty or already gone: leave it
        }
      }
    }
  }
}

if (require.main === module) main();
