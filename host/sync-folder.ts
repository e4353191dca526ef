/** Flushing a pinned folder's entries (a rename is durable only once its folder is). */
import { closeSync, constants, fsyncSync, openSync } from 'node:fs';
import { PinnedFolder } from './pinned-folder';
import { O_DIRECTORY, POSIX, refusalFrom } from './platform';

export function fsyncFolder(folder: PinnedFolder): void {
  if (!POSIX) return; // Windows cannot open a folder as a file
  let fd: number | undefined;
  try {
    fd = openSync('.', constants.O_RDONLY | O_DIRECTORY);
    fsyncSync(fd);
  } catch (error) {
    // Some file systems (several FUSE ones) cannot flush a folder: the rename stands anyway.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw refusalFrom(error, folder.path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
