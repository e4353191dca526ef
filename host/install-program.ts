/**
 * The install program (bundled into INSTALL_PROGRAM, run as `node -e`): the environment in, one
 * line out on success, a message that names the file, its owner and mode, the user, the problem,
 * what was changed and the fix on failure, and an exit code. Never a stack trace.
 */
import { basename } from 'node:path';
import { installFile } from './install-file';
import { describeProgress, InstallFailure, InstallProgress, octal } from './install-progress';
import { BACKUP_SUFFIX } from './names';
import { runningUser } from './platform';
import { installRequestFromEnv, PROGRAM_ENV } from './program-env';
import { HostFileRefusal } from './refusal';

export interface ProgramIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const PREFIX = 'botpress-azure-sso:';

/** Runs the install the environment describes; returns the exit code. */
export function runInstallProgram(
  env: Readonly<Record<string, string | undefined>>,
  cwd: () => string,
  io: ProgramIo,
): number {
  const display = env[PROGRAM_ENV.live] ?? '(no file)';
  let request;
  try {
    request = installRequestFromEnv(env, cwd());
    const result = installFile(request);
    const removed = result.progress.leftoversRemoved;
    if (removed.length > 0) io.out(`${PREFIX} removed leftovers of an interrupted install: ${removed.join(', ')}\n`);
    if (result.kind === 'created') io.out(`${PREFIX} created ${display}\n`);
    if (result.kind === 'replaced')
      io.out(`${PREFIX} installed ${display} (the previous content is in ${basename(request.live)}${BACKUP_SUFFIX})\n`);
    if (result.progress.modeSet !== undefined)
      io.out(`${PREFIX} set the mode of ${display} to ${octal(result.progress.modeSet)}\n`);
    return 0;
  } catch (error) {
    const failure =
      error instanceof InstallFailure
        ? error
        : new InstallFailure(error instanceof HostFileRefusal ? error : unexpected(error), {
            leftoversRemoved: [],
            backupWritten: false,
            live: 'as-was',
            receiptFailed: false,
          });
    io.err(failureMessage(display, request, failure));
    return 1;
  }
}

function unexpected(error: unknown): HostFileRefusal {
  const message = error instanceof Error ? error.message : String(error);
  return new HostFileRefusal('io', '(the installer)', `stopped unexpectedly: ${message}`, 'report this message');
}

function was(progress: InstallProgress): string {
  if (progress.found === null) return ' (a new file)';
  if (!progress.found) return '';
  const { uid, gid, mode } = progress.found;
  return ` (owner ${uid}:${gid}, mode ${octal(mode)})`;
}

export function failureMessage(
  display: string,
  request: { live: string; receipt: string } | undefined,
  failure: InstallFailure,
): string {
  const { refusal, progress } = failure;
  const state = request
    ? describeProgress(progress, { live: request.live, backup: request.live + BACKUP_SUFFIX, receipt: request.receipt })
    : 'Nothing was changed.';
  return (
    `${PREFIX} could not install ${display}${was(progress)} as ${runningUser()}: ${refusal.message}\n` +
    `  ${state}\n` +
    `  Fix: ${refusal.fix}\n`
  );
}
