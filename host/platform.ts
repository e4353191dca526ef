/**
 * What the host offers: POSIX owners and no-follow opens, or Windows, where neither exists
 * (fs.constants.O_NOFOLLOW is undefined there). The Windows branch of host/ keeps the 0.2
 * installer's behaviour (paths, no owners) and is untried.
 */
import { constants } from 'node:fs';
import { userInfo } from 'node:os';
import { asRefusal, IoContext } from './io-advice';
import type { HostFileRefusal } from './refusal';

export const POSIX = process.platform !== 'win32';

export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO opened for reading with it returns at once instead of waiting for a writer. */
export const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
/** Opening a terminal device never makes it the controlling terminal. */
export const O_NOCTTY = constants.O_NOCTTY ?? 0;
export const O_DIRECTORY = constants.O_DIRECTORY ?? 0;

/** The effective user id, or -1 where there is none (Windows). */
export function effectiveUid(): number {
  return process.geteuid?.() ?? -1;
}

export function runningAsRoot(): boolean {
  return effectiveUid() === 0;
}

/** The running user as messages name it: "root (uid 0, gid 0)". */
export function runningUser(): string {
  const ids = POSIX ? `uid ${process.geteuid?.()}, gid ${process.getegid?.()}` : undefined;
  try {
    const name = userInfo().username;
    return ids ? `${name} (${ids})` : name;
  } catch {
    // no passwd entry (containers with an arbitrary uid)
    return ids ?? 'the current user';
  }
}

/** Sleeps without an event loop (the programs are synchronous from start to end). */
export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The context a failed call on `path` is explained in: who runs, as root or not. */
export function ioContext(path: string, action: IoContext['action'] = 'change'): IoContext {
  return { path, asRoot: runningAsRoot(), user: runningUser(), action };
}

/** `error` (from a call on `path` to read it or to change it) as a refusal with advice that fits its cause. */
export function refusalFrom(error: unknown, path: string, action: IoContext['action'] = 'change'): HostFileRefusal {
  return asRefusal(error, ioContext(path, action));
}
