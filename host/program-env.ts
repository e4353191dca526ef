/**
 * The programs' environment (set by the construct's local-exec steps) read into requests. Paths
 * may be relative: to the working directory the program starts in, the stack's folder, as every
 * path in cdk.tf.json. Pure.
 */
import { basename, resolve } from 'node:path';
import type { InstallRequest } from './install-file';
import { HostFileRefusal } from './refusal';
import type { RemoveRequest } from './remove-file';

/** The variables, by what they hold. */
export const PROGRAM_ENV = {
  /** The rendered file, in the deployer's own folder. */
  stage: 'BPSSO_STAGE',
  /** The receipt, in the deployer's own folder (beside the stage). */
  receipt: 'BPSSO_RECEIPT',
  /** The live file on the Botpress host. */
  live: 'BPSSO_LIVE',
  /** Octal mode override, or "" to keep the live file's. */
  mode: 'BPSSO_MODE',
  /** Octal mode of a live file that does not exist yet. */
  defaultMode: 'BPSSO_DEFAULT_MODE',
  /** SHA-256 (hex) of the content synthesis merged into; "" for no file; unset for no check. */
  expectSha256: 'BPSSO_EXPECT_SHA256',
  /** The file's name in messages. */
  name: 'BPSSO_NAME',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const badEnvironment = (variable: string, value: string | undefined, problem: string) =>
  new HostFileRefusal(
    'bad-environment',
    `${variable}=${JSON.stringify(value ?? null)}`,
    problem,
    'this is an error in how the deploy runs the program (cdk.tf.json): report it with this message',
  );

function requiredPath(env: Env, variable: string, cwd: string): string {
  const value = env[variable];
  if (!value) throw badEnvironment(variable, value, 'is missing: it must name a file');
  return resolve(cwd, value);
}

function octalMode(env: Env, variable: string, optional: boolean): number | undefined {
  const value = env[variable];
  if (optional && !value) return undefined;
  if (!value || !/^0?[0-7]{3}$/.test(value))
    throw badEnvironment(variable, value, 'is not an octal file mode of at most 0777');
  return parseInt(value, 8);
}

export function installRequestFromEnv(env: Env, cwd: string): InstallRequest {
  const live = requiredPath(env, PROGRAM_ENV.live, cwd);
  const expect = env[PROGRAM_ENV.expectSha256];
  if (expect !== undefined && expect !== '' && !/^[0-9a-fA-F]{64}$/.test(expect))
    throw badEnvironment(PROGRAM_ENV.expectSha256, expect, 'is neither empty nor a SHA-256 in hex');
  return {
    stage: requiredPath(env, PROGRAM_ENV.stage, cwd),
    receipt: requiredPath(env, PROGRAM_ENV.receipt, cwd),
    live,
    mode: octalMode(env, PROGRAM_ENV.mode, true),
    defaultMode: octalMode(env, PROGRAM_ENV.defaultMode, false) as number,
    expectSha256: expect?.toLowerCase(),
    name: env[PROGRAM_ENV.name] || basename(live),
  };
}

export function removeRequestFromEnv(env: Env, cwd: string): RemoveRequest {
  return { live: requiredPath(env, PROGRAM_ENV.live, cwd), receipt: requiredPath(env, PROGRAM_ENV.receipt, cwd) };
}
