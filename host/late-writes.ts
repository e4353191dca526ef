/**
 * Writes that land in the file the installer just replaced. Botpress writes its files in place
 * (fs.writeFile: open with O_TRUNC, then write), as its own user, and takes no lock. A write that
 * opened the file after the installer's last check and before its rename goes to the replaced
 * inode, which no name points to any more: without this module it would be lost silently.
 *
 * After the rename the installer reads the replaced inode again through the descriptor it kept.
 * An open with O_TRUNC that came before the rename has truncated it by then, so any such write is
 * seen, finished or not; the installer waits until the content stays the same for a moment (an
 * async writeFile truncates first and writes on a later turn of Botpress's event loop), then puts
 * that content back in place with the same safe replace, over the rendered file only if the
 * rendered file is still there untouched. If Botpress wrote again in between, into the file the
 * installer had put in place, that newer write is the one to keep, and it is checked the same way.
 *
 * What remains (said in the docs): an open that resolved the old name before the rename but
 * truncates after the read that follows it (the kernel's path lookup and truncation are not one
 * step), and a writer that renames its own file over the live one; Botpress 12 does neither.
 */
import { BigIntStats, closeSync, fstatSync, renameSync } from 'node:fs';
import { InstallProgress } from './install-progress';
import { PinnedFolder, pathIn, sameInode } from './pinned-folder';
import { sleepMs } from './platform';
import { openRegular, readAll } from './regular-file';
import { HostFileRefusal } from './refusal';
import { discardTemp, TempFile, TempNamer, writeTemp } from './temp-file';

export interface SettleTiming {
  /** How long a content must stay the same to count as written. */
  readonly stableMs: number;
  /** How long to wait at most for a truncated file to be written. */
  readonly maxMs: number;
}

export const DEFAULT_SETTLE: SettleTiming = { stableMs: 50, maxMs: 2000 };

/** At most this many put-backs in a row (each one a new write by Botpress in a window of microseconds). */
const MAX_PUT_BACKS = 5;

/**
 * What `fd`'s inode holds once writes to it have settled, or undefined when that is `expected`
 * (nothing was written, or the same bytes were). Empty means truncated and never written.
 */
export function settledChange(fd: number, expected: Buffer, timing: SettleTiming = DEFAULT_SETTLE): Buffer | undefined {
  let seen = readAll(fd);
  if (seen.equals(expected)) return undefined;
  let since = Date.now();
  const deadline = since + timing.maxMs;
  while (Date.now() < deadline) {
    sleepMs(5);
    const now = readAll(fd);
    if (!now.equals(seen)) {
      seen = now;
      since = Date.now();
    } else if (seen.length > 0 && Date.now() - since >= timing.stableMs) {
      break;
    }
  }
  return seen.equals(expected) ? undefined : seen;
}

export interface PutBackRequest {
  readonly folder: PinnedFolder;
  readonly name: string;
  /** The file the installer put in place (still open), and what it holds. */
  readonly installed: TempFile;
  readonly installedBytes: Buffer;
  /** What Botpress wrote into the replaced file. */
  readonly late: Buffer;
  /** Owner, group and mode of the replaced file. */
  readonly owner: { readonly uid: number; readonly gid: number };
  readonly mode: number;
  readonly progress: InstallProgress;
  readonly namer?: TempNamer;
  readonly timing?: SettleTiming;
}

const WRITTEN =
  'was written by another process after the installer last checked it and before it was replaced (Botpress writes its ' +
  'files in place, without a lock)';
const DEPLOY_AGAIN =
  "deploy again: synthesis reads the file again and merges the rendered settings into that process's write";

/** Puts Botpress's late write back in place; always ends by throwing (the install did not happen). */
export function putBackLateWrite(request: PutBackRequest): never {
  const { folder, name, progress } = request;
  const at = pathIn(folder, name);
  const temps: TempFile[] = [];
  let holder = request.installed;
  let holderBytes = request.installedBytes;
  let content = request.late;
  try {
    for (let round = 1; ; round++) {
      if (content.length === 0) {
        throw new HostFileRefusal(
          'written-during-install',
          at,
          `was truncated by another process while it was being replaced, and not written within ${(request.timing ?? DEFAULT_SETTLE).maxMs} ms ` +
            '(Botpress writes its files in place): if that write still comes, it goes to the replaced file and is lost',
          `check ${at} and Botpress's log, then deploy again`,
        );
      }
      const temp = writeTemp(folder, name, content, { owner: request.owner, mode: request.mode, namer: request.namer });
      temps.push(temp);
      if (!stillHolds(folder, name, fstatSync(holder.fd, { bigint: true }), holderBytes)) {
        progress.live = 'botpress-last';
        throw new HostFileRefusal('written-during-install', at, `${WRITTEN}, and again after that`, DEPLOY_AGAIN);
      }
      renameSync(temp.name, name);
      progress.live = 'put-back';
      const later = settledChange(holder.fd, holderBytes, request.timing);
      if (!later) throw new HostFileRefusal('written-during-install', at, WRITTEN, DEPLOY_AGAIN);
      if (round >= MAX_PUT_BACKS)
        throw new HostFileRefusal(
          'written-during-install',
          at,
          `${WRITTEN}, ${round + 1} times in a row while the installer put each write back; the last of them went to a replaced file and is lost`,
          `stop whatever writes the file so often, check it, then ${DEPLOY_AGAIN}`,
        );
      holder = temp;
      holderBytes = content;
      content = later;
    }
  } finally {
    for (const temp of temps) discardTemp(temp);
  }
}

/** Whether `name` is still the file `holder` describes, holding exactly `bytes`. */
function stillHolds(folder: PinnedFolder, name: string, holder: BigIntStats, bytes: Buffer): boolean {
  const live = openRegular(folder, name);
  if (!live) return false;
  try {
    return sameInode(live.stat, holder) && readAll(live.fd).equals(bytes);
  } finally {
    closeSync(live.fd);
  }
}
