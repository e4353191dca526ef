/**
 * What a failed system call means for the user, by its error code, and what fits as a fix: a
 * full disk is not fixed by running as root, and root is not told to run as root. Pure.
 */
import { HostFileRefusal } from './refusal';

export interface IoContext {
  /** The file or folder the call was about, absolute. */
  readonly path: string;
  /** Whether the deploy runs as root. */
  readonly asRoot: boolean;
  /** The running user, as messages name it. */
  readonly user: string;
  /** What the failed call was for: reading, or changing (creating, writing, renaming). */
  readonly action?: 'read' | 'change';
}

interface Advice {
  readonly problem: string;
  readonly fix: string;
}

const ROOT_REFUSED_FIX =
  'root itself was refused: look for an immutable or append-only attribute (lsattr), a network mount that maps root ' +
  'to nobody (NFS root_squash), or a security module (SELinux, AppArmor) and its log; fix that, then deploy again';

/** The advice for `errno` (ENOSPC, ...); `message` is Node's text, used when the code is unknown. */
export function adviceFor(errno: string | undefined, message: string, context: IoContext): Advice {
  switch (errno) {
    case 'ENOSPC':
      return {
        problem: 'cannot be written: the disk (or its inodes) is full',
        fix: 'free space on the disk that holds it (df -h, df -i), then deploy again',
      };
    case 'EDQUOT':
      return {
        problem: "cannot be written: a disk quota is exhausted (the new file is charged to its owner's quota)",
        fix: "free space or raise the quota of the file's owner (quota -v), then deploy again",
      };
    case 'EROFS':
      return {
        problem: 'is on a read-only file system',
        fix: 'remount it read-write (or deploy where it is writable, e.g. not inside a container that mounts it read-only), then deploy again',
      };
    case 'EACCES':
    case 'EPERM': {
      const verb = context.action === 'read' ? 'read' : 'changed';
      return context.asRoot
        ? { problem: `cannot be ${verb}: permission denied to root (${errno})`, fix: ROOT_REFUSED_FIX }
        : {
            problem: `cannot be ${verb}: permission denied to ${context.user} (${errno})`,
            fix:
              "run the deploy as the file's owner or as root (the owner, group and mode are kept), and give that " +
              "user write access to the file's folder",
          };
    }
    case 'ELOOP':
      return {
        problem: 'is a symbolic link',
        fix: LINK_FIX,
      };
    case 'ENOTDIR':
      return { problem: 'has a part that is not a folder', fix: 'point the setting at a path whose folders exist' };
    case 'EISDIR':
      return { problem: 'is a folder', fix: 'remove or rename that folder: the deploy only replaces regular files' };
    case 'ENAMETOOLONG':
      return { problem: 'is too long a path', fix: 'use a shorter path' };
    case 'EMFILE':
    case 'ENFILE':
      return {
        problem: `cannot be opened: too many open files (${errno})`,
        fix: 'raise the open-file limit (ulimit -n)',
      };
    case 'EIO':
      return {
        problem: 'cannot be read or written: an input/output error (EIO)',
        fix: "check the disk and the kernel's log (dmesg)",
      };
    default:
      return { problem: `cannot be used: ${message}`, fix: 'fix the cause named above, then deploy again' };
  }
}

/** Why a symbolic link is refused, and what to do: said once for every place that refuses one. */
export const LINK_FIX =
  'remove the link and put the real file there, or name the real path in the settings: the deploy never follows a ' +
  "link in a folder that another user (such as Botpress's) can change, because that user could point it anywhere";

/** `error` as a refusal: kept as it is if it already is one, explained by its code otherwise. */
export function asRefusal(error: unknown, context: IoContext): HostFileRefusal {
  if (error instanceof HostFileRefusal) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const advice = adviceFor(errno, message, context);
  return new HostFileRefusal(
    errno === 'ELOOP' ? 'symbolic-link' : 'io',
    context.path,
    advice.problem,
    advice.fix,
    errno,
  );
}
