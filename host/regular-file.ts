/**
 * Opening a file by its bare name in a pinned folder (pinned-folder.ts) as the one regular file
 * the deploy expects, and reading it through the descriptor: what is checked, read, changed (its
 * mode) and reported (owner, group, mode) is the same inode, whatever happens to the name.
 *
 * Refused, naming the path: a symbolic link (O_NOFOLLOW); a FIFO, socket, device or folder (an
 * lstat first keeps them from being opened at all; O_NONBLOCK keeps a FIFO swapped in after that
 * from blocking the open, and fstat refuses it); and, in a folder another user can change, a
 * regular file with more than one name: a hard link that user made to a file they cannot read
 * (where the kernel allows it: fs.protected_hardlinks=0) would otherwise be read, or have its
 * mode changed, as root.
 */
import { BigIntStats, closeSync, fstatSync, lstatSync, openSync, readSync, constants } from 'node:fs';
import { LINK_FIX } from './io-advice';
import { kindOf, PinnedFolder, assertBareName, pathIn } from './pinned-folder';
import { O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, refusalFrom } from './platform';
import { HostFileRefusal } from './refusal';

export interface OpenedFile {
  readonly fd: number;
  /** fstat of the descriptor. */
  readonly stat: BigIntStats;
  /** The file's path, for messages. */
  readonly path: string;
}

const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

export const linkRefusal = (at: string) => new HostFileRefusal('symbolic-link', at, 'is a symbolic link', LINK_FIX);

export function notRegularRefusal(at: string, stat: BigIntStats): HostFileRefusal {
  return new HostFileRefusal(
    'not-regular',
    at,
    `is ${kindOf(stat)}, not a regular file`,
    'remove it and put the regular file there (or name the real file in the settings)',
  );
}

export function hardLinkRefusal(at: string, stat: BigIntStats, folder: PinnedFolder): HostFileRefusal {
  return new HostFileRefusal(
    'hard-link',
    at,
    `is a hard link (one of ${stat.nlink} names of the same file) in ${folder.path}, a folder that another user can change`,
    'replace it with a copy of its own (cp --remove-destination), so that it is not also another file elsewhere',
  );
}

/**
 * Opens `name` in `folder` for reading, or returns undefined when it does not exist. The caller
 * closes `fd`.
 */
export function openRegular(folder: PinnedFolder, name: string): OpenedFile | undefined {
  assertBareName(name);
  const at = pathIn(folder, name);
  let fd: number | undefined;
  try {
    let entry: BigIntStats;
    try {
      entry = lstatSync(name, { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (entry.isSymbolicLink()) throw linkRefusal(at);
    if (!entry.isFile()) throw notRegularRefusal(at, entry);
    try {
      fd = openSync(name, READ_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined; // removed since the lstat: absent now
      if (code === 'ELOOP') throw linkRefusal(at); // swapped for a link since the lstat
      if (code === 'ENXIO') throw notRegularRefusal(at, lstatSync(name, { bigint: true }));
      throw error;
    }
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw notRegularRefusal(at, stat);
    if (stat.nlink > 1n && !folder.trusted) throw hardLinkRefusal(at, stat, folder);
    return { fd, stat, path: at };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw refusalFrom(error, at, 'read');
  }
}

/** The whole content behind `fd`, read from offset 0 whatever the descriptor's position. */
export function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
}

/** Opens, reads and closes: the content, the fstat it was read under, or undefined when absent. */
export function readRegular(folder: PinnedFolder, name: string): { bytes: Buffer; stat: BigIntStats } | undefined {
  const opened = openRegular(folder, name);
  if (!opened) return undefined;
  try {
    return { bytes: readAll(opened.fd), stat: opened.stat };
  } catch (error) {
    throw refusalFrom(error, opened.path, 'read');
  } finally {
    closeSync(opened.fd);
  }
}
