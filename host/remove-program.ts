/** The remove program (bundled into REMOVE_PROGRAM, run as `node -e`). Never a stack trace. */
import { runningUser } from './platform';
import type { ProgramIo } from './install-program';
import { PREFIX } from './install-program';
import { removeRequestFromEnv, PROGRAM_ENV } from './program-env';
import { HostFileRefusal } from './refusal';
import { RemoveFailure, removeFile } from './remove-file';

/** Runs the removal the environment describes; returns the exit code. */
export function runRemoveProgram(
  env: Readonly<Record<string, string | undefined>>,
  cwd: () => string,
  io: ProgramIo,
): number {
  const display = env[PROGRAM_ENV.live] ?? '(no file)';
  try {
    const removed = removeFile(removeRequestFromEnv(env, cwd()));
    if (removed.length > 0) io.out(`${PREFIX} removed ${removed.join(', ')}\n`);
    return 0;
  } catch (error) {
    const failure =
      error instanceof RemoveFailure
        ? error
        : new RemoveFailure(
            error instanceof HostFileRefusal
              ? error
              : new HostFileRefusal(
                  'io',
                  '(the remover)',
                  `stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
                  'report this message',
                ),
            [],
          );
    const state =
      failure.removed.length > 0 ? `Removed before stopping: ${failure.removed.join(', ')}.` : 'Nothing was removed.';
    io.err(
      `${PREFIX} could not remove ${display} as ${runningUser()}: ${failure.refusal.message}\n` +
        `  ${state}\n` +
        `  Fix: ${failure.refusal.fix}\n`,
    );
    return 1;
  }
}
