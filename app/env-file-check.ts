/**
 * The env file is the tool's own: every deploy replaces it whole, and `enabled: false` deletes
 * it. A file that someone else wrote (a compose `.env` with DATABASE_URL and the rest) would be
 * lost, so synthesis refuses to take one over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SsoInputError } from '../constructs/internal';

/** Every env file the construct writes starts with a comment that says so (render-config.ts). */
const OURS = /^# .*written by botpress-azure-sso/;

/** Whether the env file's text is one the tool wrote (or empty). Pure. */
export function isOwnEnvFile(text: string): boolean {
  return text.trim() === '' || OURS.test(text);
}

/** The error for an existing env file that the tool did not write; undefined when it may replace it. */
export function foreignEnvFileProblem(file: string, field: string, value: string): SsoInputError | undefined {
  if (!existsSync(file) || isOwnEnvFile(readFileSync(file, 'utf8'))) return undefined;
  return new SsoInputError(
    field,
    value,
    'names an existing file that botpress-azure-sso did not write; every deploy replaces the env file whole (and enabled: false deletes it), so what it holds now would be lost',
    'point secret.envFile at a file of its own (for example botpress-sso.env) and hand both files to Botpress (docker --env-file twice, env_file with two entries)',
  );
}
