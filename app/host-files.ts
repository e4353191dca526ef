/**
 * What synthesis sees of the files on the Botpress host (I/O at the edge): their bytes, owner,
 * group and mode, read the safe way the installer reads them (host/read-host-file.ts: a pinned
 * walk of the folders and a no-follow open), so that a root synthesis never reads, through a link
 * or a hard link Botpress's user planted, a file that user cannot read, and never hangs on a FIFO.
 * Owner, group, mode and identity come from the descriptor the bytes were read through. The
 * decisions are pure (deploy-rights.ts, shared-files.ts, utf8.ts).
 */
import { accessSync, constants, lstatSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostFileRefusal, readHostFile } from '../host';
import { type ObservedFile, SsoInputError } from '../constructs/internal';
import type { Deployer, HostFileObservation } from './deploy-rights';
import { firstInvalidUtf8Offset } from './utf8';

/** The user running this process. */
export function currentDeployer(): Deployer {
  let name: string | undefined;
  try {
    name = os.userInfo().username;
  } catch {
    // no passwd entry (containers with an arbitrary uid)
  }
  return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, groups: process.getgroups?.() ?? [], name };
}

const names = new Map<string, Map<number, string>>();

/** Names from /etc/passwd or /etc/group, where the host has them (each database read once). */
function nameOf(database: '/etc/passwd' | '/etc/group', id: number): string | undefined {
  let byId = names.get(database);
  if (!byId) {
    byId = new Map();
    try {
      for (const line of readFileSync(database, 'utf8').split('\n')) {
        const [name, , number] = line.split(':');
        // The first entry of an id wins, as getpwuid(3) finds it.
        if (number !== undefined && !byId.has(Number(number))) byId.set(Number(number), name);
      }
    } catch {
      // no such database (macOS keeps users elsewhere): numbers only
    }
    names.set(database, byId);
  }
  return byId.get(id);
}

function observed(uid: number, gid: number, mode: number): ObservedFile {
  return { uid, gid, mode: mode & 0o7777, owner: nameOf('/etc/passwd', uid), group: nameOf('/etc/group', gid) };
}

/**
 * Owner, group and mode of a file in the deployer's own folder (the stage an earlier deploy left),
 * or undefined when it does not exist. lstat: a link there is judged as the link, never followed.
 */
export function observeOwnFile(file: string): ObservedFile | undefined {
  try {
    const stat = lstatSync(file);
    return observed(stat.uid, stat.gid, stat.mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A file on the Botpress host as synthesis read it. */
export interface HostFileSeen extends HostFileObservation {
  /** Its text, when it exists (checked to be UTF-8). */
  readonly text?: string;
  /** SHA-256 (hex) of its bytes, when it exists. */
  readonly sha256?: string;
  /** `dev:ino`, when it exists: the same file under two names has one identity. */
  readonly identity?: string;
}

/**
 * Reads `field`'s file (`value` as the settings wrote it, `absolute` resolved) the safe way.
 * Throws SsoInputError naming the field, the value, the path and the fix for a link, a FIFO,
 * socket, device or folder, a hard link in a folder Botpress's user can change, bytes that are
 * not UTF-8 (with the offset), or a failed read. A missing file is no error here: the result has
 * no text.
 */
export function readHostText(field: string, value: string, absolute: string): HostFileSeen {
  let read;
  try {
    read = readHostFile(absolute);
  } catch (error) {
    if (!(error instanceof HostFileRefusal)) throw error;
    throw new SsoInputError(field, value, `cannot be read safely: ${error.path} ${error.problem}`, error.fix);
  }
  if (!read) return { field, value, path: absolute, folderWritable: folderWritable(path.dirname(absolute)) };
  const offset = firstInvalidUtf8Offset(read.bytes);
  if (offset !== undefined) {
    throw new SsoInputError(
      field,
      value,
      `is ${absolute}, whose byte ${offset} (0x${read.bytes[offset].toString(16).padStart(2, '0')}) does not start a valid UTF-8 sequence; Botpress reads the file as UTF-8, so synthesis would render text the file does not hold`,
      `save the file as UTF-8 (the bytes around offset ${offset}: od -c -j ${Math.max(0, offset - 8)} -N 24 '${absolute}'), then run again`,
    );
  }
  return {
    field,
    value,
    path: absolute,
    file: observed(read.uid, read.gid, read.mode),
    folderWritable: read.folderWritable,
    text: read.bytes.toString('utf8'),
    sha256: createHash('sha256').update(read.bytes).digest('hex'),
    identity: read.identity,
  };
}

/** Whether the deployer may create and rename files in `folder` (a folder not there yet is made by the deploy). */
function folderWritable(folder: string): boolean {
  try {
    // access(2) only asks about permissions: nothing is opened or read, whatever the path leads to.
    accessSync(folder, constants.W_OK | constants.X_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
