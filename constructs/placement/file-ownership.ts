import { SsoInputError } from '../input-error';

/** Owner, group and mode of a file on the Botpress host, as synthesis saw them. Plain data. */
export interface ObservedFile {
  /** Owner's user id. */
  readonly uid: number;
  /** Group id. */
  readonly gid: number;
  /** Permission bits (0o7777 part of st_mode). */
  readonly mode: number;
  /**
   * User name of `uid`, where the host knows it.
   * @default unknown: messages show the number
   */
  readonly owner?: string;
  /**
   * Group name of `gid`, where the host knows it.
   * @default unknown: messages show the number
   */
  readonly group?: string;
}

/** An octal file mode as settings and props write it ("0640", or "640"). */
export const FILE_MODE_PATTERN = /^0?[0-7]{3}$/;

/** `0640`-style text of permission bits. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** What is wrong with an octal mode ("0640"), as [problem, fix]; undefined when it is fine. */
export function fileModeProblem(text: string): [problem: string, fix: string] | undefined {
  if (!FILE_MODE_PATTERN.test(text))
    return [
      'is not an octal file mode',
      'write it as four octal digits, for example "0640" (owner read/write, group read)',
    ];
  const mode = Number.parseInt(text, 8);
  if ((mode & 0o600) !== 0o600) {
    return [
      'does not let the owner read and write the file, which Botpress does itself',
      'keep the owner digit at 6, for example "0600" or "0640"',
    ];
  }
  if ((mode & 0o022) !== 0) {
    return [
      'lets users other than the owner write the file, so any of them could point the sign-in elsewhere or read the client secret',
      'give write access to the owner alone: "0600", or "0640" for Botpress\'s group to read',
    ];
  }
  return undefined;
}

/** Checks an octal mode setting ("0640") and returns it with a leading zero. */
export function parseFileMode(text: string, field: string): string {
  const problem = fileModeProblem(text);
  if (problem) throw new SsoInputError(field, text, ...problem);
  return formatMode(Number.parseInt(text, 8));
}

/** `999:999 (botpress:botpress)` */
export function describeOwner(file: ObservedFile): string {
  const names =
    file.owner !== undefined || file.group !== undefined ? ` (${file.owner ?? '?'}:${file.group ?? '?'})` : '';
  return `${file.uid}:${file.gid}${names}`;
}

/**
 * Owner, group and mode the installed file will have, in words (plan review, synth summary).
 * `mode` is the override, `defaultMode` what a new file gets without one.
 */
export function describeKeptAttributes(
  file: ObservedFile | undefined,
  mode: string | undefined,
  defaultMode: string,
): string {
  if (!file) return `new file: owner and group of the deploying user, mode ${mode ?? defaultMode}`;
  const modeText =
    mode === undefined || Number.parseInt(mode, 8) === file.mode
      ? `mode ${formatMode(file.mode)} kept`
      : `mode ${formatMode(file.mode)} changed to ${mode} (configFileMode)`;
  return `owner ${describeOwner(file)} kept, ${modeText}`;
}

/** The mode the installed file will have. */
export function effectiveMode(file: ObservedFile | undefined, mode: string | undefined, defaultMode: string): number {
  return Number.parseInt(mode ?? (file ? formatMode(file.mode) : defaultMode), 8);
}
