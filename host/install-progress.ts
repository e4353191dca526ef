/**
 * What an install had changed when it stopped, and that state said as it is: a failure message
 * says "Nothing was changed" only when nothing was. Pure.
 */
import { HostFileRefusal } from './refusal';

export interface InstallProgress {
  /** Owner, group and mode of the live file as the install found it; null when there was none. */
  found?: { readonly uid: number; readonly gid: number; readonly mode: number } | null;
  /** Leftovers of an interrupted install removed from the live file's folder. */
  leftoversRemoved: string[];
  /** The live file's mode was set to this (its content already was the rendered one). */
  modeSet?: number;
  /** `<name>.bak` was rewritten with the live content as this install found it. */
  backupWritten: boolean;
  /**
   * The live file: as it was; `installed`/`created` (the rendered content is in place);
   * `put-back` (Botpress wrote it during the install and that write was put back in place);
   * `botpress-last` (Botpress wrote it again after the replacement; its write is in place).
   */
  live: 'as-was' | 'installed' | 'created' | 'put-back' | 'botpress-last';
  /** The receipt was to be extended and could not be. */
  receiptFailed: boolean;
}

export const newProgress = (): InstallProgress => ({
  leftoversRemoved: [],
  backupWritten: false,
  live: 'as-was',
  receiptFailed: false,
});

/** An install that stopped: why, and what it had changed. */
export class InstallFailure extends Error {
  constructor(
    readonly refusal: HostFileRefusal,
    readonly progress: InstallProgress,
  ) {
    super(refusal.message);
    this.name = 'InstallFailure';
  }
}

export interface InstallPaths {
  readonly live: string;
  readonly backup: string;
  readonly receipt: string;
}

export const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** The state the files are in, in sentences. */
export function describeProgress(progress: InstallProgress, paths: InstallPaths): string {
  const sentences: string[] = [];
  if (progress.leftoversRemoved.length > 0)
    sentences.push(`Leftovers of an interrupted install were removed: ${progress.leftoversRemoved.join(', ')}.`);
  const before = `${paths.backup} holds the content from before this install`;
  switch (progress.live) {
    case 'as-was':
      if (progress.modeSet !== undefined)
        sentences.push(`The mode of ${paths.live} was set to ${octal(progress.modeSet)}.`);
      if (progress.backupWritten)
        sentences.push(
          `${paths.live} was left as it is; ${paths.backup} was rewritten with the content it had when this install started.`,
        );
      sentences.push(sentences.length === 0 ? 'Nothing was changed.' : 'Nothing else was changed.');
      break;
    case 'created':
      sentences.push(`${paths.live} WAS created with the rendered content (it did not exist).`);
      break;
    case 'installed':
      sentences.push(`${paths.live} WAS replaced with the rendered content (owner, group and mode kept); ${before}.`);
      break;
    case 'put-back':
      sentences.push(
        `That write was put back in ${paths.live} (owner, group and mode kept): the rendered content is NOT installed; ${before}.`,
      );
      break;
    case 'botpress-last':
      sentences.push(
        `${paths.live} holds the other process's last write, made after the installer replaced the file: the rendered content is NOT installed; ${before}.`,
      );
      break;
  }
  if (progress.receiptFailed)
    sentences.push(
      `Only the receipt ${paths.receipt} could not be updated: the next deploy runs the installer again, which finds the ` +
        'rendered content in place and changes nothing.',
    );
  return sentences.join(' ');
}
