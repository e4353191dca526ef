/**
 * Whether the deploying user can place Botpress's files keeping their owner, group and mode: the
 * deploy's rights, judged at synthesis from what the app saw on the host (host-files.ts). Pure.
 */
import { describeOwner, formatMode, ObservedFile, SsoInputError } from '../constructs/internal';

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

function describeDeployer(deployer: Deployer): string {
  return `${deployer.name ?? 'uid'} (uid ${deployer.uid}, gid ${deployer.gid})`;
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
    `run the deploy as ${owner} (for example sudo -u '#${file?.uid ?? deployer.uid}' npx cdktf deploy <environment>, on the Botpress host or against its mounted data folder) or as root, which keep owner, group and mode; or change the file's owner or the settings so that the deploying user may replace it`;
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

/**
 * The stage file an earlier deploy left beside `observation`'s file: the local provider reads and
 * replaces it at every deploy, so it must be the deploying user's (or root's).
 */
export function stageProblem(
  observation: HostFileObservation,
  stage: ObservedFile | undefined,
  deployer: Deployer,
): SsoInputError | undefined {
  if (!stage || deployer.uid === 0 || stage.uid === deployer.uid) return undefined;
  return new SsoInputError(
    observation.field,
    observation.value,
    `has a stage file beside it from an earlier deploy as ${describeOwner(stage)} (mode ${formatMode(stage.mode)}), which ${describeDeployer(deployer)} cannot read or replace`,
    'deploy as that user again, or delete the stage file (.<name>.botpress-sso beside the file; the next deploy writes it anew)',
  );
}
