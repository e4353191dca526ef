/**
 * Reaching a folder on the Botpress host without being steered by Botpress's user, who owns the
 * data folder and may put links anywhere in it (and swap folders for links while the deploy runs).
 *
 * The walk starts at `/` and enters the path one name at a time with process.chdir: lstat the
 * name; a folder is entered, and the folder entered (stat of `.`) must be the one lstat saw, else
 * it was swapped in between and the walk stops; a symbolic link is followed only when the folder
 * holding it is trusted (owned by root or the running user, writable by no one else), by walking
 * again from `/` with its target in its place (resolved lexically, at most MAX_LINK_HOPS times). A
 * link anywhere else is refused, naming it. Then the working directory IS the folder (its inode):
 * every later call uses a bare file name, which the kernel resolves in that inode, as openat and
 * renameat would, even if someone renames the folder or swaps one of its parents meanwhile. This
 * is how systemd-tmpfiles (chase with CHASE_SAFE) and Ansible's file modules stay safe in other
 * users' folders; Node has no openat, and the working directory is the one directory handle it has.
 *
 * withFolder restores the working directory when it returns: the app calls it during synthesis.
 * Everything here is synchronous, so no other code of the process runs while the directory is
 * moved.
 */
import { BigIntStats, lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { LINK_FIX } from './io-advice';
import { effectiveUid, POSIX, refusalFrom } from './platform';
import { HostFileRefusal } from './refusal';

/** As Linux's MAXSYMLINKS: more hops than this is a loop. */
export const MAX_LINK_HOPS = 40;

/** The folder the working directory is pinned to. */
export interface PinnedFolder {
  /** Its absolute path, after following trusted links: for messages and for joining names. */
  readonly path: string;
  /** Its stat (bigint: inode numbers may exceed 2^53). */
  readonly stat: BigIntStats;
  /**
   * Owned by root or the running user and writable by no one else: no other user can add,
   * remove or swap its entries, so a link or a hard link in it was put there by a trusted user.
   */
  readonly trusted: boolean;
}

/** Whether a folder with this owner and mode can only be changed by root or the running user. */
export function isTrustedFolder(
  stat: { readonly uid: bigint | number; readonly mode: bigint | number },
  euid = effectiveUid(),
): boolean {
  const uid = Number(stat.uid);
  return (uid === 0 || uid === euid) && (Number(stat.mode) & 0o022) === 0;
}

/** `name` in the pinned folder, as messages show it. */
export function pathIn(folder: PinnedFolder, name: string): string {
  return join(folder.path, name);
}

/** A name the pinned folder holds: one path component, never `.`, `..` or anything with a slash. */
export function assertBareName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || (!POSIX && name.includes('\\')))
    throw new Error(`host/: "${name}" is not a file name`);
}

/**
 * Runs `use` with the working directory pinned to `folder` (absolute), then puts the working
 * directory back. `use` receives undefined when the folder does not exist and `create` is false.
 * With `create`, missing folders are made (mode 0777 under the umask, as the local provider's
 * MkdirAll) and entered the same safe way.
 */
export function withFolder<T>(
  folder: string,
  options: { readonly create: boolean },
  use: (pinned: PinnedFolder | undefined) => T,
): T {
  if (!isAbsolute(folder)) throw new Error(`host/: withFolder needs an absolute path, got "${folder}"`);
  const before = process.cwd();
  try {
    return use(POSIX ? walkTo(folder, options.create) : enterPlainly(folder, options.create));
  } finally {
    process.chdir(before);
  }
}

function lstatOrUndefined(name: string): BigIntStats | undefined {
  try {
    return lstatSync(name, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What a directory entry is, for messages: "a FIFO (named pipe)". */
export function kindOf(stat: BigIntStats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export const sameInode = (a: BigIntStats, b: BigIntStats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Whether `file` (absolute) names an entry of the pinned folder: its folder, looked up by path, is
 * the pinned inode. Only for deciding to leave a file alone (a lookup that follows links can make
 * this say false, never make anything be read or written).
 */
export function isIn(folder: PinnedFolder, file: string): boolean {
  try {
    return sameInode(statSync(dirname(file), { bigint: true }), folder.stat);
  } catch {
    return false;
  }
}

function walkTo(folder: string, create: boolean): PinnedFolder | undefined {
  let target = posix.resolve(folder);
  let hops = 0;
  restart: for (;;) {
    process.chdir('/');
    let here = statSync('.', { bigint: true });
    let walked = '/';
    const names = target.split('/').filter((name) => name !== '');
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const at = posix.join(walked, name);
      let entry: BigIntStats | undefined;
      try {
        entry = lstatOrUndefined(name);
        if (!entry) {
          if (!create) return undefined;
          makeFolder(name);
          entry = lstatSync(name, { bigint: true });
        }
        if (entry.isSymbolicLink()) {
          if (!isTrustedFolder(here)) {
            throw new HostFileRefusal(
              'link-in-path',
              at,
              `is a symbolic link in ${walked}, a folder that another user can change (owner uid ${here.uid}, mode ${octal(here.mode)})`,
              LINK_FIX,
            );
          }
          if (++hops > MAX_LINK_HOPS)
            throw new HostFileRefusal(
              'too-many-links',
              at,
              `leads through more than ${MAX_LINK_HOPS} symbolic links`,
              LINK_FIX,
            );
          target = posix.resolve(walked, readlinkSync(name), ...names.slice(i + 1));
          continue restart;
        }
        if (!entry.isDirectory())
          throw new HostFileRefusal(
            'not-a-folder',
            at,
            `is ${kindOf(entry)}, not a folder`,
            'point the setting at a path whose folders exist',
          );
        enter(name, entry, at);
        here = statSync('.', { bigint: true });
        walked = at;
      } catch (error) {
        throw refusalFrom(error, at);
      }
    }
    return { path: walked, stat: here, trusted: isTrustedFolder(here) };
  }
}

function makeFolder(name: string): void {
  try {
    mkdirSync(name, 0o777);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** chdir into `name`, which lstat saw as `entry`; anything else found there is a swap. */
function enter(name: string, entry: BigIntStats, at: string): void {
  const swapped = () =>
    new HostFileRefusal(
      'changed-while-opening',
      at,
      'changed while the deploy was opening it (a folder was swapped, for example for a symbolic link)',
      'find out who changes it (Botpress does not swap its folders), then deploy again',
    );
  try {
    process.chdir(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') throw swapped();
    throw error;
  }
  if (!sameInode(statSync('.', { bigint: true }), entry)) throw swapped();
}

const octal = (mode: bigint | number) => `0${(Number(mode) & 0o7777).toString(8).padStart(3, '0')}`;

/** Windows (untried): no POSIX owners, no no-follow opens; the folder is entered by its path. */
function enterPlainly(folder: string, create: boolean): PinnedFolder | undefined {
  try {
    if (create) mkdirSync(folder, { recursive: true, mode: 0o777 });
    process.chdir(folder);
  } catch (error) {
    if (!create && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw refusalFrom(error, folder);
  }
  return { path: folder, stat: statSync('.', { bigint: true }), trusted: true };
}
