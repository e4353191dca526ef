/**
 * Stacks deployed before files were installed atomically (0.1) hold resources that wrote
 * Botpress's files directly: `local_file.sso_config_file_<hash>` and
 * `local_sensitive_file.sso_env_file_<hash>`. They are no longer declared, so the next apply
 * would destroy them, and the local provider's Delete removes the file itself. Synthesis stops
 * first, for local state (the app can read it offline); README "Upgrading" covers remote state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SsoInputError } from '../constructs/input-error';

const LEGACY_FILE_RESOURCES: ReadonlyArray<readonly [type: string, name: RegExp]> = [
  ['local_file', /^sso_config_file_[0-9A-F]{8}$/],
  ['local_sensitive_file', /^sso_env_file_[0-9A-F]{8}$/],
];

/** The addresses of such resources in a Terraform state file's text (pure; reads no values). */
export function legacyFileResources(stateText: string): string[] {
  let state: { resources?: Array<{ mode?: string; type?: string; name?: string; module?: string }> };
  try {
    state = JSON.parse(stateText);
  } catch {
    return []; // not ours to judge: Terraform reports a broken state itself
  }
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed' && r.module === undefined)
    .filter((r) => LEGACY_FILE_RESOURCES.some(([type, name]) => r.type === type && name.test(r.name ?? '')))
    .map((r) => `${r.type}.${r.name}`);
}

/** The error that stops synthesis when the environment's local state holds such resources. */
export function upgradeProblem(
  stateFile: string,
  stateFileShown: string,
  environment: string,
): SsoInputError | undefined {
  if (!existsSync(stateFile)) return undefined;
  const legacy = legacyFileResources(readFileSync(stateFile, 'utf8'));
  if (legacy.length === 0) return undefined;
  return new SsoInputError(
    `environments.${environment}`,
    legacy,
    'was deployed by botpress-azure-sso 0.1, whose file resources wrote the files directly: the next apply would destroy them, and with them the files they wrote',
    `take them out of the state first (the files stay), then run again: ${legacy.map((a) => `tofu state rm -state=${stateFileShown} '${a}'`).join(' && ')} (or terraform instead of tofu); see README, "Upgrading"`,
  );
}
