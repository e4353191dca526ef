/**
 * Reading the settings file and every file it names: the app's only input I/O. The constructs
 * take the texts as data. Botpress's files are read the safe way (host-files.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  defaultStageDirectory,
  type ObservedFile,
  type SsoFinding,
  SSO_CONSTRUCT_ID,
  SsoInputError,
  SsoInputErrors,
  stageFilesFor,
} from '../constructs/internal';
import { Deployer, ownershipProblem, stageProblem } from './deploy-rights';
import { currentDeployer, HostFileSeen, observeOwnFile, readHostText } from './host-files';
import { localStateFileName } from './state-file';
import { foreignEnvFileProblem } from './env-file-check';
import { sharedFileProblems, WrittenFile } from './shared-files';
import { localStateFinding } from './state-exposure';
import { upgradeProblem } from './state-check';
import { EnvironmentSettings, parseSettings } from './settings';

/** What the read-only tools pass for the deployer: they read the files, they do not replace them. */
export const READ_ONLY = null;

export const DEFAULT_SETTINGS_FILE = 'botpress-sso.json';

/** cdktf's output folder when CDKTF_OUTDIR does not say otherwise (cdktf.json's default). */
export const DEFAULT_OUTDIR = 'cdktf.out';

/** One environment, read from disk and ready to become a stack. */
export interface LoadedEnvironment {
  readonly name: string;
  readonly settings: EnvironmentSettings;
  /** Absolute path of the Botpress config file. */
  readonly configFile: string;
  /** Its text as synthesis read it. */
  readonly baseConfig: string;
  /** Absolute path of the env file, with environment delivery. */
  readonly envFile?: string;
  /** The env file's text as synthesis read it, when it exists. */
  readonly envText?: string;
  /** SHA-256 of the env file as synthesis read it, "" when it does not exist (with an env file only). */
  readonly envFileSha256?: string;
  /** Owner, group and mode of the config file at synthesis (kept by the deploy). */
  readonly configFileAttributes?: ObservedFile;
  /** The same for the env file; absent when it does not exist yet. */
  readonly envFileAttributes?: ObservedFile;
  /** Absolute path of Botpress's workspaces.json (beside the config file). */
  readonly workspacesFile: string;
  /** Its text as synthesis read it, when it exists. */
  readonly workspacesConfig?: string;
  /** What the app found on this host that an admin should know (the construct reports its own). */
  readonly findings: readonly SsoFinding[];
}

export interface LoadedSettings {
  readonly settingsFile: string;
  readonly environments: readonly LoadedEnvironment[];
}

/**
 * Reads the settings file and every config file it names. For a deploy (`deployer` given, by
 * default the current user), also checks that the deploying user can replace those files keeping
 * their owner, group and mode, and that local state holds nothing an upgrade would delete; the
 * read-only tools (plan review, verify) pass `READ_ONLY`. `outdir` is cdktf's output folder
 * (relative to `projectDir`), where each stack keeps its stage files. Throws SsoInputError(s).
 */
export function loadSettings(
  settingsFile: string,
  projectDir = process.cwd(),
  deployer: Deployer | typeof READ_ONLY = currentDeployer(),
  outdir = DEFAULT_OUTDIR,
): LoadedSettings {
  const absolute = path.resolve(projectDir, settingsFile);
  if (!existsSync(absolute)) {
    throw new SsoInputError(
      'BOTPRESS_SSO_SETTINGS',
      settingsFile,
      'names a settings file that does not exist',
      `create it (see README, "Settings"), or point BOTPRESS_SSO_SETTINGS at yours; the default is ${DEFAULT_SETTINGS_FILE} in the project folder`,
    );
  }
  const settings = parseSettings(readFileSync(absolute, 'utf8'), path.relative(projectDir, absolute) || absolute);
  const settingsDir = path.dirname(absolute);
  const errors: SsoInputError[] = [];
  const environments: LoadedEnvironment[] = [];
  const written: WrittenFile[] = [];
  for (const [name, env] of Object.entries(settings.environments)) {
    const collect = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (error) {
        if (!(error instanceof SsoInputError)) throw error;
        errors.push(error);
        return undefined;
      }
    };
    const configFile = path.resolve(settingsDir, env.configFile);
    const config = collect(() => readHostText(`environments.${name}.configFile`, env.configFile, configFile));
    if (!config) continue;
    if (config.text === undefined) {
      errors.push(
        new SsoInputError(
          `environments.${name}.configFile`,
          env.configFile,
          `does not exist (looked at ${configFile})`,
          "point it at Botpress's data/global/botpress.config.json, relative to the settings file's folder; start Botpress once if the file was never written",
        ),
      );
      continue;
    }
    const envDelivery = env.secret?.delivery === 'environment' || env.botpressStorage === 'database';
    const envFile = envDelivery && env.secret?.envFile ? path.resolve(settingsDir, env.secret.envFile) : undefined;
    // Read whenever it exists: a file that already lists the strategy stays managed (see mergeWorkspaces).
    const workspacesFile = path.join(path.dirname(configFile), 'workspaces.json');
    const workspaces = collect(() =>
      readHostText(`environments.${name}.workspaces`, 'workspaces.json', workspacesFile),
    );
    const secretFile =
      envFile && env.secret?.envFile
        ? collect(() => readHostText(`environments.${name}.secret.envFile`, env.secret?.envFile as string, envFile))
        : undefined;
    if (!workspaces || (envFile && !secretFile)) continue;
    // With database storage the config file is an export that nothing writes: no owner to keep.
    const writesConfig = env.botpressStorage !== 'database';
    const foreign =
      deployer !== READ_ONLY && secretFile
        ? foreignEnvFileProblem(secretFile.text, secretFile.field, secretFile.value)
        : undefined;
    if (foreign) errors.push(foreign);
    // workspaces.json changes only when the settings name workspaces or remove the strategy;
    // otherwise it is installed as it is, which needs no rights over it.
    const changesWorkspaces = writesConfig && (env.workspaces !== undefined || env.enabled === false);
    // The files this environment's stack writes (workspaces.json whenever it is declared)...
    const writes: ReadonlyArray<readonly [HostFileSeen, 'config' | 'env' | 'workspaces']> = [
      ...(writesConfig ? [[config, 'config'] as const] : []),
      ...(secretFile ? [[secretFile, 'env'] as const] : []),
      ...(writesConfig && workspaces.text !== undefined ? [[workspaces, 'workspaces'] as const] : []),
    ];
    for (const [seen] of writes) written.push(seen);
    // ...and those whose content it changes, which need rights over them.
    const installed = writes.filter(([, role]) => role !== 'workspaces' || changesWorkspaces);
    // Windows has no POSIX owners to keep (the installer replaces the file, inheriting the folder's ACL).
    if (deployer !== READ_ONLY && process.platform !== 'win32') {
      const stageDirectory = path.resolve(projectDir, outdir, 'stacks', name, defaultStageDirectory(SSO_CONSTRUCT_ID));
      for (const [observed, role] of installed) {
        const stage = stageFilesFor(stageDirectory, role).stage;
        const problem =
          ownershipProblem(observed, deployer) ??
          stageProblem(observed, { path: stage, file: observeOwnFile(stage) }, deployer);
        if (problem) errors.push(problem);
      }
    }
    const stateFile = localStateFileName(name);
    if (deployer !== READ_ONLY && !env.backend) {
      const problem = upgradeProblem(path.join(projectDir, stateFile), stateFile, name);
      if (problem) errors.push(problem);
    }
    const stateFinding = env.backend ? undefined : localStateFinding(projectDir, stateFile);
    environments.push({
      name,
      settings: env,
      configFile,
      baseConfig: config.text,
      envFile,
      envText: secretFile?.text,
      envFileSha256: secretFile ? (secretFile.sha256 ?? '') : undefined,
      configFileAttributes: config.file,
      envFileAttributes: secretFile?.file,
      workspacesFile,
      workspacesConfig: workspaces.text,
      findings: stateFinding ? [stateFinding] : [],
    });
  }
  errors.push(...sharedFileProblems(written));
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return { settingsFile: absolute, environments };
}
