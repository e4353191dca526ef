/**
 * Local Terraform state holds the client secret in clear text (Terraform stores every attribute,
 * and with config-file delivery the whole rendered config). OpenTofu and Terraform create the
 * state file and its `.backup` with mode 0666 under the umask, so with the usual umask 022 every
 * user on the host who can reach the folder reads them. Synthesis reports it (BPSSO-W013) for the
 * state file, its backup, or, before the first deploy, what the umask would give them.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { FINDING_KINDS, finding, formatMode, type SsoFinding } from '../constructs/internal';

/** What the edge saw of the local state and the folders above it. */
export interface StateFilesSeen {
  /** The state file as settings and messages name it (`terraform.prod.tfstate`). */
  readonly shown: string;
  /** The folder it lives in, absolute. */
  readonly folder: string;
  /** Permission bits of the state file and of its backup, where they exist. */
  readonly stateMode?: number;
  readonly backupMode?: number;
  /** Permission bits of the folder and of every folder above it, up to `/`. */
  readonly folderModes: readonly number[];
  /** The process's umask: a new state file gets 0666 & ~umask. */
  readonly umask: number;
}

const OTHERS_READ = 0o004;
const OTHERS_SEARCH = 0o001;

/** The finding when every user can read the state (or will, once written); undefined otherwise. Pure. */
export function stateExposureFinding(seen: StateFilesSeen): SsoFinding | undefined {
  // Every folder on the way must let others through, or the file is out of their reach whatever its mode.
  if (!seen.folderModes.every((mode) => (mode & OTHERS_SEARCH) !== 0)) return undefined;
  const newMode = 0o666 & ~seen.umask;
  const exposed: string[] = [];
  if (seen.stateMode !== undefined && (seen.stateMode & OTHERS_READ) !== 0)
    exposed.push(`it has mode ${formatMode(seen.stateMode)}`);
  if (seen.backupMode !== undefined && (seen.backupMode & OTHERS_READ) !== 0)
    exposed.push(`its .backup has mode ${formatMode(seen.backupMode)}`);
  if (seen.stateMode === undefined && (newMode & OTHERS_READ) !== 0)
    exposed.push(`the first deploy creates it with mode ${formatMode(newMode)} (umask ${formatMode(seen.umask)})`);
  if (exposed.length === 0) return undefined;
  return finding(
    FINDING_KINDS.localStateReadable,
    seen.shown,
    `(local state) holds the client secret in clear text, and every user on the host can read it: ${seen.folder} and the folders above it let every user in, and ${exposed.join(', and ')}`,
    `chmod 700 ${seen.folder} (it keeps the state, its backup and cdktf.out/ private), or chmod 600 ${seen.shown} ${seen.shown}.backup and deploy with umask 077; or keep state in Azure Storage (backend)`,
  );
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * The finding for the local state file `shown`, relative to `projectDir` (the deployer's own
 * folder: stat by path is fine there). POSIX only.
 */
export function localStateFinding(projectDir: string, shown: string): SsoFinding | undefined {
  if (process.platform === 'win32') return undefined;
  const file = path.resolve(projectDir, shown);
  const folder = path.dirname(file);
  const folderModes: number[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const mode = modeOf(dir);
    // A folder not there yet is made by the deploy (0777 under the umask): judged as that.
    folderModes.push(mode ?? 0o777 & ~process.umask());
    if (path.dirname(dir) === dir) break;
  }
  return stateExposureFinding({
    shown,
    folder,
    stateMode: modeOf(file),
    backupMode: modeOf(`${file}.backup`),
    folderModes,
    umask: process.umask(),
  });
}
