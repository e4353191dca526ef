/**
 * Two environments that would write one file: each deploy would put its own strategy and secret
 * in and take the other's out (or replace the env file whole), silently. Synthesis refuses them,
 * naming both. Files are the same when they are one inode (links and other spellings included)
 * or, where one does not exist yet, the same absolute path. Pure: the edge supplies identities.
 */
import { SsoInputError } from '../constructs/internal';

/** A file an environment writes, as the edge saw it. */
export interface WrittenFile {
  /** Settings path of the field that names it (`environments.prod.configFile`). */
  readonly field: string;
  /** The value as written in the settings. */
  readonly value: string;
  /** Absolute path. */
  readonly path: string;
  /** `dev:ino` when the file exists. */
  readonly identity?: string;
}

export function sharedFileProblems(files: readonly WrittenFile[]): SsoInputError[] {
  const first = new Map<string, WrittenFile>();
  const problems: SsoInputError[] = [];
  for (const file of files) {
    const keys = [`path:${file.path}`, ...(file.identity ? [`inode:${file.identity}`] : [])];
    const earlier = keys.map((key) => first.get(key)).find((f) => f !== undefined);
    if (earlier && earlier.field.split('.')[1] !== file.field.split('.')[1]) {
      problems.push(
        new SsoInputError(
          file.field,
          file.value,
          `is the same file as ${earlier.field} (${earlier.path}); two environments writing one file would each undo the other's change at every deploy`,
          'give each environment its own file (one Botpress takes one strategy per environment; for several tenants use signInAudience AzureADMultipleOrgs)',
        ),
      );
      continue;
    }
    for (const key of keys) if (!first.has(key)) first.set(key, file);
  }
  return problems;
}
