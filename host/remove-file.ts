/**
 * Removing a file the deploy no longer manages (the env file once secret delivery goes back to
 * the config file): the live file and its `.bak` in their pinned folder, the leftovers of an
 * interrupted install there, and the receipt beside the stage. A missing file or folder is fine
 * (as the local provider's os.Remove). unlink removes the name it is given, a link included, and
 * never what a link points to; a folder under one of these names is refused.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BACKUP_SUFFIX } from './names';
import { isIn, PinnedFolder, pathIn, withFolder } from './pinned-folder';
import { refusalFrom } from './platform';
import { HostFileRefusal } from './refusal';
import { fsyncFolder } from './sync-folder';
import { removeLeftovers } from './temp-file';

export interface RemoveRequest {
  /** The live file, absolute. */
  readonly live: string;
  /** The receipt, absolute. */
  readonly receipt: string;
}

/** A removal that stopped: why, and what had been removed by then. */
export class RemoveFailure extends Error {
  constructor(
    readonly refusal: HostFileRefusal,
    readonly removed: readonly string[],
  ) {
    super(refusal.message);
    this.name = 'RemoveFailure';
  }
}

/** Removes the files; returns the paths removed. */
export function removeFile(request: RemoveRequest): string[] {
  const removed: string[] = [];
  try {
    withFolder(dirname(request.live), { create: false }, (folder) => {
      if (!folder) return;
      const name = basename(request.live);
      for (const entry of [name, name + BACKUP_SUFFIX])
        if (removeEntry(folder, entry)) removed.push(pathIn(folder, entry));
      const keep = isIn(folder, request.receipt) ? [basename(request.receipt)] : [];
      removed.push(...removeLeftovers(name, keep).map((entry) => pathIn(folder, entry)));
      fsyncFolder(folder);
    });
    withFolder(dirname(request.receipt), { create: false }, (folder) => {
      if (folder && removeEntry(folder, basename(request.receipt))) removed.push(request.receipt);
    });
  } catch (error) {
    throw new RemoveFailure(refusalFrom(error, request.live), removed);
  }
  return removed;
}

/** Removes `name` from the pinned folder; false when it was not there. */
function removeEntry(folder: PinnedFolder, name: string): boolean {
  const at = pathIn(folder, name);
  try {
    if (lstatSync(name).isDirectory())
      throw new HostFileRefusal(
        'not-regular',
        at,
        'is a folder, not a file',
        'remove or rename that folder: the deploy only removes files',
      );
    unlinkSync(name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw refusalFrom(error, at);
  }
}
