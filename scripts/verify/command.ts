/**
 * The verify command as a function: arguments, settings and live files in, the report out, an exit
 * code back (0 no check failed, 1 one failed, 2 bad input). Everything it touches comes through
 * VerifyIo, so tests run it against local stand-ins.
 */
import { DEFAULT_SETTINGS_FILE, READ_ONLY, loadSettings } from '../../app/load-settings';
import { scrubText, SsoInputError, SsoInputErrors } from '../../constructs/internal';
import type { VerifyHttp, VerifyTarget } from './check';
import { renderJsonResult, renderText } from './report';
import { exitCodeFor, runChecks } from './run-checks';
import { targetFor } from './target';

interface VerifyArgs {
  readonly environment: string;
  readonly outputsFile?: string;
  readonly json: boolean;
}

const USAGE = 'npm run verify -- <environment> [--outputs <file from npx cdktf output <environment> --json>] [--json]';

function parseArgs(argv: readonly string[]): VerifyArgs {
  let environment: string | undefined;
  let outputsFile: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--outputs') {
      outputsFile = argv[++i];
      if (!outputsFile) throw new SsoInputError('--outputs', undefined, 'needs a file', USAGE);
    } else if (arg.startsWith('-')) throw new SsoInputError('arguments', arg, 'is not an option of verify', USAGE);
    else if (environment === undefined) environment = arg;
    else throw new SsoInputError('arguments', arg, 'is one environment too many', USAGE);
  }
  if (environment === undefined) throw new SsoInputError('arguments', undefined, 'name no environment', USAGE);
  return { environment, outputsFile, json };
}

export interface VerifyIo {
  readonly http: VerifyHttp;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now?: () => Date;
  readonly projectDir?: string;
  readonly settingsFile?: string;
}

/** The whole command; returns the exit code. Output passes through a scrub of the secret. */
export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<0 | 1 | 2> {
  const projectDir = io.projectDir ?? process.cwd();
  let target: VerifyTarget;
  let args: VerifyArgs;
  try {
    args = parseArgs(argv);
    // Read-only: verify needs to read the files, not to be able to replace them.
    const loaded = loadSettings(io.settingsFile ?? DEFAULT_SETTINGS_FILE, projectDir, READ_ONLY);
    const env = loaded.environments.find((e) => e.name === args.environment);
    if (!env) {
      throw new SsoInputError(
        'environment',
        args.environment,
        'is not in the settings file',
        `use one of ${loaded.environments.map((e) => e.name).join(', ')}`,
      );
    }
    target = targetFor(env, args.outputsFile, projectDir);
  } catch (error) {
    if (error instanceof SsoInputError || error instanceof SsoInputErrors) {
      io.stderr(`botpress-azure-sso verify: the arguments, settings or files need a fix.\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const verdicts = await runChecks(target, io.http, io.now?.() ?? new Date());
  const text = args.json ? renderJsonResult(target.environment, verdicts) : renderText(target.environment, verdicts);
  // Defence in depth: no verdict holds the secret, and none may reach the output anyway.
  io.stdout(scrubText(text, [target.options.clientSecret, JSON.stringify(target.options.clientSecret).slice(1, -1)]));
  return exitCodeFor(verdicts);
}
