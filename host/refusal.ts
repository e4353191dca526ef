/**
 * Why the deploy will not touch a file on the Botpress host: what it found, where, and what fixes
 * it. Every module of host/ throws this (never a raw Node error), so that the app and the
 * programs can print it as it is.
 */

/** What kind of problem it is: the app and the programs choose their wording by it. */
export type RefusalCode =
  /** The file itself is a symbolic link. */
  | 'symbolic-link'
  /** A folder on the way is a symbolic link inside a folder that another user can change. */
  | 'link-in-path'
  /** More than MAX_LINK_HOPS links on the way (a loop). */
  | 'too-many-links'
  /** A component of the folder's path is not a folder. */
  | 'not-a-folder'
  /** A FIFO, socket, device or folder where a regular file is expected. */
  | 'not-regular'
  /** A regular file with more than one name, in a folder that another user can change. */
  | 'hard-link'
  /** A folder was swapped while the deploy was opening it. */
  | 'changed-while-opening'
  /** The file is not what synthesis merged into. */
  | 'changed-after-synthesis'
  /** The file changed while the installer was working (before it replaced anything). */
  | 'changed-during-install'
  /** Botpress wrote the file between the installer's last check and its replacement. */
  | 'written-during-install'
  /** The rendered file to install is missing. */
  | 'stage-missing'
  /** A system call failed (disk full, read-only, permission...): `errno` says which. */
  | 'io'
  /** A program was started with an environment it cannot use (an integration error). */
  | 'bad-environment';

export class HostFileRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    /** The path the problem is about, absolute. */
    readonly path: string,
    /** What is wrong, as a phrase that follows the path ("is a symbolic link"). */
    readonly problem: string,
    /** What the user can do about it. */
    readonly fix: string,
    /** The system error code (ENOSPC, ...) when a system call failed. */
    readonly errno?: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'HostFileRefusal';
  }
}
