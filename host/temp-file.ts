/**
 * The installers' temporary files, in the pinned folder of the file they will replace (same file
 * system, so the final rename is atomic): created under a random name with
 * O_CREAT|O_EXCL|O_NOFOLLOW (nothing planted under that name, link or not, is ever opened: the
 * create fails and another name is drawn), given their owner, group and mode through the
 * descriptor, written and flushed before they are renamed into place.
 *
 * Leftovers of an interrupted install (ours, and the 0.2 installer's fixed names) are removed
 * with unlink on the bare name, which removes a link itself, never what it points to.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { O_NOFOLLOW, POSIX, refusalFrom } from './platform';
import { assertBareName, PinnedFolder, pathIn } from './pinned-folder';

/** The mark in every temporary name of ours: `.<name>.botpress-sso-<16 hex digits>.tmp`. */
const MARK = 'botpress-sso';

/** A random temporary name for `name` (injectable in tests to plant something under it first). */
export type TempNamer = (name: string) => string;

export const randomTempName: TempNamer = (name) => `.${name}.${MARK}-${randomBytes(8).toString('hex')}.tmp`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `entry` of the folder is a leftover of an interrupted install of `name`: one of our
 * temporary files, or of the 0.2 installer's (`.<name>.<pid>.tmp`, `.<name>.bak.<pid>.tmp`), or
 * 0.2's receipt (`.<name>.botpress-sso-receipt`, now kept beside the stage) and its temporary file.
 */
export function isLeftover(name: string, entry: string): boolean {
  const n = escape(name);
  return new RegExp(
    `^(\\.${n}\\.${MARK}-[0-9a-f]{16}\\.tmp|\\.${n}(\\.bak)?\\.[0-9]+\\.tmp|\\.${n}\\.${MARK}-receipt|\\.\\.${n}\\.${MARK}-receipt\\.[0-9]+\\.tmp)$`,
  ).test(entry);
}

/**
 * Removes the leftovers of `name` from the pinned folder, except `keep` (a file of this deploy
 * that happens to match, such as a receipt kept in the same folder). Returns the names removed;
 * one that cannot be removed is left (it is in no one's way: new names are random).
 */
export function removeLeftovers(name: string, keep: readonly string[] = []): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync('.')) {
    if (!isLeftover(name, entry) || keep.includes(entry)) continue;
    try {
      unlinkSync(entry);
      removed.push(entry);
    } catch {
      // a folder under such a name, or a race with another remover: not ours to fight over
    }
  }
  return removed;
}

/** A temporary file written and flushed, still open (its descriptor follows the inode after the rename). */
export interface TempFile {
  readonly name: string;
  readonly fd: number;
}

export interface TempFileOptions {
  /** The owner and group it must have; undefined keeps the creator's (a new file: the deployer). */
  readonly owner?: { readonly uid: number; readonly gid: number };
  readonly mode: number;
  readonly namer?: TempNamer;
}

/**
 * Creates a temporary file for `name` in the pinned folder holding `bytes`, with the owner and
 * mode asked for, flushed to disk. On failure nothing of it is left behind.
 */
export function writeTemp(folder: PinnedFolder, name: string, bytes: Uint8Array, options: TempFileOptions): TempFile {
  assertBareName(name);
  const namer = options.namer ?? randomTempName;
  let temp: TempFile | undefined;
  for (let attempt = 0; !temp; attempt++) {
    const candidate = namer(name);
    assertBareName(candidate);
    try {
      temp = {
        name: candidate,
        fd: openSync(candidate, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20)
        throw refusalFrom(error, pathIn(folder, candidate));
    }
  }
  try {
    if (POSIX && options.owner) {
      const stat = fstatSync(temp.fd);
      // A folder with the setgid bit gives new files its group: compare with what was made.
      if (stat.uid !== options.owner.uid || stat.gid !== options.owner.gid)
        fchownSync(temp.fd, options.owner.uid, options.owner.gid);
    }
    // After fchown, which clears set-id bits; the umask does not apply to fchmod.
    fchmodSync(temp.fd, options.mode);
    let written = 0;
    while (written < bytes.length) written += writeSync(temp.fd, bytes, written, bytes.length - written, written);
    fsyncSync(temp.fd);
    return temp;
  } catch (error) {
    discardTemp(temp);
    throw refusalFrom(error, pathIn(folder, temp.name));
  }
}

/** Closes a temporary file and removes its name (a missing name is fine). */
export function discardTemp(temp: TempFile): void {
  try {
    closeSync(temp.fd);
  } catch {
    // already closed
  }
  try {
    unlinkSync(temp.name);
  } catch {
    // already renamed into place, or removed
  }
}
