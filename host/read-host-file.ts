/**
 * The app's read of a file on the Botpress host at synthesis (botpress.config.json,
 * workspaces.json, the env file): the same safe walk and open as the installer's, so that a root
 * synthesis never reads, through a link Botpress's user planted, a file that user cannot read.
 * Owner, group and mode come from the descriptor the content was read through.
 */
import { accessSync, constants } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { withFolder } from './pinned-folder';
import { refusalFrom } from './platform';
import { readRegular } from './regular-file';

export interface HostFileRead {
  readonly bytes: Buffer;
  readonly uid: number;
  readonly gid: number;
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  /** Whether its folder can only be changed by root or the running user (pinned-folder.ts). */
  readonly folderTrusted: boolean;
  /** Whether the running user may create and rename files in its folder. */
  readonly folderWritable: boolean;
}

/**
 * Reads `file` (absolute, or relative to the working directory). Returns undefined when it or its
 * folder does not exist; throws a HostFileRefusal (code, path, problem, fix) for a link, a FIFO,
 * socket, device or folder, a hard link in a folder another user can change, or a failed read.
 */
export function readHostFile(file: string): HostFileRead | undefined {
  const absolute = resolve(file);
  try {
    return withFolder(dirname(absolute), { create: false }, (folder) => {
      if (!folder) return undefined;
      const read = readRegular(folder, basename(absolute));
      if (!read) return undefined;
      return {
        bytes: read.bytes,
        uid: Number(read.stat.uid),
        gid: Number(read.stat.gid),
        mode: Number(read.stat.mode) & 0o7777,
        folderTrusted: folder.trusted,
        folderWritable: writable('.'),
      };
    });
  } catch (error) {
    throw refusalFrom(error, absolute, 'read');
  }
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
