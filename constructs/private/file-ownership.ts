import { SsoInputError } from '../input-error';

/** Owner, group and mode of a file on the Botpress host, as synthesis saw them. Plain data. */
export interface ObservedFile {
  readonly uid: number;
  readonly gid: number;
  /** Permission bits (0o7777 part of st_mode). */
  readonly mode: number;
  /** User name of `uid`, where the host knows it. */
  readonly owner?: string;
  /** Group name of `gid`, where the host knows it. */
  readonly group?: string;
}

/** Who runs the synthesis (and so, on the same host, the deploy). */
export interface Deployer {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups. */
  readonly groups: readonly number[];
  readonly name?: string;
}

/** What the edge saw of one file the deploy will install. */
export interface HostFileObservation {
  /** Settings field, e.g. `environments.prod.configFile`. */
  readonly field: string;
  /** The value as the settings wrote it. */
  readonly value: string;
  /** Absolute path. */
  readonly path: string;
  /** Absent when the file does not exist yet. */
  readonly file?: ObservedFile;
  /** Whether the deployer may create and rename files in the file's folder. */
  readonly folderWritable: boolean;
}

const OCTAL_MODE = /^0?[0-7]{3}$/;

/** `0640`-style text of permission bits. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** What is wrong with an octal mode ("0640"), as [problem, fix]; undefined when it is fine. */
export function fileModeProblem(text: string): [problem: string, fix: string] | undefined {
  if (!OCTAL_MODE.test(text))
    return [
      'is not an octal file mode',
      'write it as four octal digits, for example "0640" (owner read/write, group read)',
    ];
  if ((Number.parseInt(text, 8) & 0o600) !== 0o600) {
    return [
      'does not let the owner read and write the file, which Botpress does itself',
      'keep the owner digit at 6, for example "0600" or "0640"',
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

function describeDeployer(deployer: Deployer): string {
  return `${deployer.name ?? 'uid'} (uid ${deployer.uid}, gid ${deployer.gid})`;
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

/**
 * Whether `deployer` can replace the file keeping its owner, group and mode: root can; anyone
 * else must own the file, belong to its group (to give the new file that group), and be able to
 * write the folder (the new file is created there and renamed over the old one). Returns the
 * error to stop synthesis with, or undefined. POSIX only: on Windows the edge does not call it.
 */
export function ownershipProblem(observation: HostFileObservation, deployer: Deployer): SsoInputError | undefined {
  const { file } = observation;
  const who = describeDeployer(deployer);
  const fixes = (owner: string) =>
    `run the deploy as ${owner} (for example sudo -u '#${file?.uid ?? deployer.uid}' npx cdktf deploy <environment>, on the Botpress host or against its mounted data folder) or as root, which keep owner, group and mode; or change the file's owner or the settings (configFile) so that the deploying user may replace it`;
  if (deployer.uid !== 0 && file) {
    const problems: string[] = [];
    if (file.uid !== deployer.uid)
      problems.push('the deploying user is not its owner and cannot give a new file that owner');
    else if (file.gid !== deployer.gid && !deployer.groups.includes(file.gid))
      problems.push(`the deploying user is not in its group ${file.group ?? file.gid}`);
    if (problems.length > 0) {
      return new SsoInputError(
        observation.field,
        observation.value,
        `is ${observation.path}, owned by ${describeOwner(file)} with mode ${formatMode(file.mode)}, and the deploy runs as ${who}: ${problems.join('; ')}, so Botpress could lose access to it`,
        fixes(file.owner ?? `uid ${file.uid}`),
      );
    }
  }
  if (!observation.folderWritable) {
    const where = file
      ? `is ${observation.path}, owned by ${describeOwner(file)} with mode ${formatMode(file.mode)}, in a folder`
      : `is ${observation.path} (not there yet), in a folder`;
    return new SsoInputError(
      observation.field,
      observation.value,
      `${where} that ${who} cannot write: the deploy writes the new file beside the old one and renames it into place`,
      fixes(file?.owner ?? "the folder's owner"),
    );
  }
  return undefined;
}
