/**
 * Installing a rendered file on the Botpress host, as root or as the file's owner, in a folder
 * that Botpress's user owns and may tamper with (pinned-folder.ts, regular-file.ts say how no
 * link is ever followed there). In order:
 *
 * 1. read the stage (the rendered file) and the receipt, both in the deployer's own folder;
 * 2. pin the live file's folder (created if missing), remove leftovers of an interrupted install;
 * 3. open the live file; refuse a `.bak` that is not a regular file;
 * 4. if it already holds the rendered bytes, only set the mode override (fchmod, on descriptors);
 * 5. lost-update check: it must still hold what synthesis merged into (expectSha256);
 * 6. write `<name>.bak` (the content as found, same owner and mode) and the new file, each as a
 *    temporary file renamed into place;
 * 7. immediately before the rename, check the live file again: same inode, same content;
 * 8. after it, read the replaced inode again and put back what Botpress wrote there meanwhile
 *    (late-writes.ts);
 * 9. extend the receipt.
 * A file that does not exist yet is created with link(), which fails rather than replace a file
 * that appeared meanwhile (Botpress writes a default config when it finds none).
 */
import { closeSync, fchmodSync, linkSync, lstatSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InstallFailure, InstallProgress, newProgress } from './install-progress';
import { DEFAULT_SETTLE, putBackLateWrite, settledChange, SettleTiming } from './late-writes';
import { BACKUP_SUFFIX } from './names';
import { isIn, PinnedFolder, pathIn, sameInode, withFolder } from './pinned-folder';
import { refusalFrom } from './platform';
import { extendReceipt, readReceipt, sha256Hex } from './receipt';
import { OpenedFile, openRegular, readAll, readRegular } from './regular-file';
import { HostFileRefusal } from './refusal';
import { fsyncFolder } from './sync-folder';
import { discardTemp, removeLeftovers, TempNamer, writeTemp } from './temp-file';

export interface InstallRequest {
  /** The rendered file, absolute, in the deployer's own folder. */
  readonly stage: string;
  /** The receipt, absolute, in the deployer's own folder. */
  readonly receipt: string;
  /** The live file, absolute. */
  readonly live: string;
  /** Mode the live file always gets; undefined keeps the live file's (masked to 0o777). */
  readonly mode?: number;
  /** Mode of a live file that does not exist yet, when `mode` is undefined. */
  readonly defaultMode: number;
  /** SHA-256 (hex) of the content synthesis merged into, "" for "no file"; undefined: no check. */
  readonly expectSha256?: string;
  /** The file's name in messages ("botpress.config.json"). */
  readonly name: string;
}

/** Seams for tests: the bundled programs never pass them. */
export interface InstallHooks {
  readonly namer?: TempNamer;
  /** Runs right after the last check of the live file, before the rename. */
  readonly afterLastCheck?: () => void;
  readonly settle?: SettleTiming;
}

export interface InstallResult {
  /** `created` (no file was there), `replaced`, or `unchanged` (only the mode may have been set). */
  readonly kind: 'created' | 'replaced' | 'unchanged';
  readonly progress: InstallProgress;
}

/** Installs `request.stage` as `request.live`; throws InstallFailure saying what it had changed. */
export function installFile(request: InstallRequest, hooks: InstallHooks = {}): InstallResult {
  const progress = newProgress();
  let outcome: { kind: InstallResult['kind']; replacedSha256?: string };
  try {
    const staged = readStage(request.stage);
    readReceipt(request.receipt); // a link or worse there stops the install before anything changes
    outcome = withFolder(dirname(request.live), { create: true }, (folder) =>
      placeLive(folder as PinnedFolder, request, staged, progress, hooks),
    );
  } catch (error) {
    throw new InstallFailure(refusalFrom(error, request.live), progress);
  }
  if (outcome.replacedSha256 !== undefined) {
    try {
      extendReceipt(request.receipt, outcome.replacedSha256);
    } catch (error) {
      progress.receiptFailed = true;
      throw new InstallFailure(refusalFrom(error, request.receipt), progress);
    }
  }
  return { kind: outcome.kind, progress };
}

function readStage(stage: string): Buffer {
  const read = withFolder(dirname(stage), { create: false }, (folder) =>
    folder ? readRegular(folder, basename(stage)) : undefined,
  );
  if (!read)
    throw new HostFileRefusal(
      'stage-missing',
      stage,
      'does not exist (the rendered file the deploy writes just before installing it)',
      'deploy again (cdktf deploy): the stage is written by the step the installer depends on',
    );
  return read.bytes;
}

function placeLive(
  folder: PinnedFolder,
  request: InstallRequest,
  staged: Buffer,
  progress: InstallProgress,
  hooks: InstallHooks,
): { kind: InstallResult['kind']; replacedSha256?: string } {
  const name = basename(request.live);
  const backupName = name + BACKUP_SUFFIX;
  // A receipt kept in this folder under a leftover's name is this deploy's, not a leftover.
  const keep = isIn(folder, request.receipt) ? [basename(request.receipt)] : [];
  progress.leftoversRemoved = removeLeftovers(name, keep);
  progress.found = foundAs(name); // for the message, should the open fail (fstat replaces it below)
  const current = openRegular(folder, name);
  try {
    if (current) {
      const mode = Number(current.stat.mode) & 0o7777;
      progress.found = { uid: Number(current.stat.uid), gid: Number(current.stat.gid), mode };
    } else {
      progress.found = null;
    }
    const backup = openRegular(folder, backupName); // refuses a link, a FIFO, a hard link...
    if (backup) closeSync(backup.fd);
    return current
      ? replaceLive(folder, request, staged, current, progress, hooks)
      : createLive(folder, request, staged, progress, hooks);
  } finally {
    if (current) closeSync(current.fd);
  }
}

/** Owner, group and mode of `name` as lstat sees it: null when absent, undefined when not a regular file. */
function foundAs(name: string): InstallProgress['found'] {
  try {
    const stat = lstatSync(name);
    return stat.isFile() ? { uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777 } : undefined;
  } catch {
    return null;
  }
}

const changedAfterSynthesis = (at: string, problem: string) =>
  new HostFileRefusal(
    'changed-after-synthesis',
    at,
    problem,
    'deploy again (cdktf deploy): synthesis reads the file again and merges into what it holds now',
  );

const changedDuringInstall = (at: string, problem: string) =>
  new HostFileRefusal(
    'changed-during-install',
    at,
    problem,
    'deploy again (cdktf deploy): synthesis reads the file again',
  );

function createLive(
  folder: PinnedFolder,
  request: InstallRequest,
  staged: Buffer,
  progress: InstallProgress,
  hooks: InstallHooks,
): { kind: 'created'; replacedSha256: string } {
  const name = basename(request.live);
  const at = pathIn(folder, name);
  if (request.expectSha256)
    throw changedAfterSynthesis(at, 'was removed after synthesis (synthesis merged into its content)');
  const temp = writeTemp(folder, name, staged, { mode: request.mode ?? request.defaultMode, namer: hooks.namer });
  try {
    hooks.afterLastCheck?.();
    createFrom(temp.name, name, at);
    progress.live = 'created';
  } finally {
    discardTemp(temp);
  }
  fsyncFolder(folder);
  return { kind: 'created', replacedSha256: '' };
}

/** Gives `temp`'s file the name `name`, failing if that name exists (link(), which never replaces). */
function createFrom(temp: string, name: string, at: string): void {
  try {
    linkSync(temp, name);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw changedDuringInstall(
        at,
        'was created by another process while the installer was working (Botpress writes a default file when it finds none)',
      );
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code ?? '')) throw error;
  }
  // A file system without hard links: the next best is a rename right after seeing no file there.
  try {
    lstatSync(name);
    throw changedDuringInstall(at, 'was created by another process while the installer was working');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  renameSync(temp, name);
}

function replaceLive(
  folder: PinnedFolder,
  request: InstallRequest,
  staged: Buffer,
  current: OpenedFile,
  progress: InstallProgress,
  hooks: InstallHooks,
): { kind: 'replaced' | 'unchanged'; replacedSha256?: string } {
  const name = basename(request.live);
  const at = pathIn(folder, name);
  const previous = readAll(current.fd);
  const owner = { uid: Number(current.stat.uid), gid: Number(current.stat.gid) };
  const foundMode = Number(current.stat.mode) & 0o7777;
  if (previous.equals(staged)) {
    if (request.mode !== undefined) setModes(folder, name + BACKUP_SUFFIX, current, request.mode, progress);
    return { kind: 'unchanged' };
  }
  if (request.expectSha256 === '')
    throw changedAfterSynthesis(at, 'was created after synthesis (synthesis found no file)');
  if (request.expectSha256 !== undefined && sha256Hex(previous) !== request.expectSha256)
    throw changedAfterSynthesis(
      at,
      'changed after synthesis: it no longer holds what synthesis merged the settings into',
    );
  const mode = request.mode ?? foundMode & 0o777;

  const backup = writeTemp(folder, name, previous, { owner, mode, namer: hooks.namer });
  try {
    renameSync(backup.name, name + BACKUP_SUFFIX);
  } finally {
    discardTemp(backup);
  }
  progress.backupWritten = true;

  const next = writeTemp(folder, name, staged, { owner, mode, namer: hooks.namer });
  try {
    lastCheck(folder, name, current, previous);
    hooks.afterLastCheck?.();
    renameSync(next.name, name);
    progress.live = 'installed';
    const late = settledChange(current.fd, previous, hooks.settle ?? DEFAULT_SETTLE);
    if (late) {
      const timing = hooks.settle;
      putBackLateWrite({
        folder,
        name,
        installed: next,
        installedBytes: staged,
        late,
        owner,
        mode,
        progress,
        namer: hooks.namer,
        timing,
      });
    }
  } catch (error) {
    if (progress.live !== 'as-was') flushAfterFailure(folder);
    throw error;
  } finally {
    discardTemp(next);
  }
  fsyncFolder(folder);
  return { kind: 'replaced', replacedSha256: sha256Hex(previous) };
}

/** A failure after a rename: the renames made stand, and are flushed if the disk lets us. */
function flushAfterFailure(folder: PinnedFolder): void {
  try {
    fsyncFolder(folder);
  } catch {
    // the failure being reported matters more
  }
}

/** The live file, opened again by its name: still the same inode, still holding `previous`. */
function lastCheck(folder: PinnedFolder, name: string, current: OpenedFile, previous: Buffer): void {
  const at = pathIn(folder, name);
  const again = openRegular(folder, name);
  if (!again) throw changedDuringInstall(at, 'was removed while the installer was working');
  try {
    if (!sameInode(again.stat, current.stat))
      throw changedDuringInstall(at, 'was replaced by another file while the installer was working');
    if (!readAll(again.fd).equals(previous))
      throw changedDuringInstall(at, 'was written by another process while the installer was working');
  } finally {
    closeSync(again.fd);
  }
}

/** The mode override on the live file and its backup, through descriptors. */
function setModes(
  folder: PinnedFolder,
  backupName: string,
  current: OpenedFile,
  mode: number,
  progress: InstallProgress,
): void {
  if ((Number(current.stat.mode) & 0o7777) !== mode) {
    fchmodSync(current.fd, mode);
    progress.modeSet = mode;
  }
  const backup = openRegular(folder, backupName);
  if (!backup) return;
  try {
    // Only a backup of the same owner is ours to change: anything else was put there by someone.
    const sameOwner = backup.stat.uid === current.stat.uid && backup.stat.gid === current.stat.gid;
    if (sameOwner && (Number(backup.stat.mode) & 0o7777) !== mode) fchmodSync(backup.fd, mode);
  } finally {
    closeSync(backup.fd);
  }
}
