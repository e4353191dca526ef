/**
 * Real disk failures for the host programs' messages: a tmpfs filled to the last page (ENOSPC),
 * remounted read-only (EROFS), and ext4's immutable attribute, which refuses even root (EPERM).
 * Each is a requirement, probed once, because containers may forbid mount or chattr.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Requirement } from './requirements';

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' });

function probe(what: string, attempt: (dir: string) => boolean): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(tmpdir(), `bpsso-probe-${what}-`));
  try {
    return attempt(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Root may mount a tmpfs (and remount it read-only). */
export const TMPFS_MOUNT: Requirement = {
  met: probe('mount', (dir) => {
    if (run('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]).status !== 0) return false;
    const ro = run('mount', ['-o', 'remount,ro', dir]).status === 0;
    run('umount', [dir]);
    return ro;
  }),
  missing:
    'root allowed to mount a tmpfs (mount -t tmpfs; a container needs CAP_SYS_ADMIN): the disk-full and read-only tests use one',
};

/** chattr +i works on the temporary folder's file system (ext4, xfs, btrfs; not tmpfs). */
export const IMMUTABLE_ATTRIBUTE: Requirement = {
  met: probe('chattr', (dir) => {
    const file = path.join(dir, 'f');
    writeFileSync(file, '');
    if (run('chattr', ['+i', file]).status !== 0) return false;
    run('chattr', ['-i', file]);
    return true;
  }),
  missing: `chattr +i on ${tmpdir()} (a file system with the immutable attribute, and CAP_LINUX_IMMUTABLE): the "root is refused" test uses it`,
};

/** A tmpfs of `kb` KiB mounted at `dir` (which must exist); `unmount` always, even after a failure. */
export function mountTmpfs(dir: string, kb: number, mode = '0755') {
  const mounted = run('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=${mode}`, 'tmpfs', dir]);
  if (mounted.status !== 0) throw new Error(`mount: ${mounted.stderr}`);
  return {
    readOnly() {
      const result = run('mount', ['-o', 'remount,ro', dir]);
      if (result.status !== 0) throw new Error(`remount: ${result.stderr}`);
    },
    readWrite() {
      const result = run('mount', ['-o', 'remount,rw', dir]);
      if (result.status !== 0) throw new Error(`remount: ${result.stderr}`);
    },
    unmount() {
      run('umount', ['-l', dir]);
    },
  };
}

/**
 * Fills the file system holding `folder` with `filler`, then frees `freeBytes` of it (tmpfs
 * counts whole pages): what is left is all the next writes get.
 */
export function fillLeaving(filler: string, freeBytes: number): void {
  const fd = openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
    const size = fstatSync(fd).size;
    ftruncateSync(fd, Math.max(0, size - freeBytes));
  } finally {
    closeSync(fd);
  }
}

export function chattr(flag: '+i' | '-i', file: string): void {
  const result = run('chattr', [flag, file]);
  if (result.status !== 0) throw new Error(`chattr ${flag} ${file}: ${result.stderr}`);
}
