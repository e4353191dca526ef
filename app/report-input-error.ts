import { SsoInputError, SsoInputErrors } from '../constructs/internal';

/** Prints input errors as the user should see them, without a stack trace. */
export function reportInputError(error: unknown): boolean {
  if (error instanceof SsoInputError || error instanceof SsoInputErrors) {
    process.stderr.write(
      `botpress-azure-sso: the settings or a config file need a fix; nothing was written.\n${error.message}\n`,
    );
    process.exitCode = 1;
    return true;
  }
  return false;
}
