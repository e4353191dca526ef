/**
 * What local state says about the deploy ahead, read at synthesis (remote state cannot be read
 * offline; docs/file-placement.md "Upgrading from 0.1" and docs/clusters-and-containers.md
 * "Switching storage" cover it).
 *
 * Stacks deployed before files were installed atomically (0.1) hold resources that wrote
 * Botpress's files directly: `local_file.sso_config_file_<hash>` and
 * `local_sensitive_file.sso_env_file_<hash>`. They are no longer declared, so the next apply
 * would destroy them, and the local provider's Delete removes the file itself. Synthesis stops
 * first, for local state (the app can read it offline); docs/file-placement.md covers remote state.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type BotpressSsoStack, ConfigFileGuard, SsoInputError } from '../constructs/internal';
import { localStateFileName } from './state-file';

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
    `take them out of the state first (the files stay), then run again: ${legacy.map((a) => `tofu state rm -state=${stateFileShown} '${a}'`).join(' && ')} (or terraform instead of tofu); see docs/file-placement.md, "Upgrading from 0.1"`,
  );
}

/** The destroy guards (`terraform_data.<id>_guard_<hash>`) in a state file's text. Pure. */
export function guardsInState(stateText: string): string[] {
  let state: { resources?: Array<{ mode?: string; type?: string; name?: string; module?: string }> };
  try {
    state = JSON.parse(stateText);
  } catch {
    return [];
  }
  return (state.resources ?? [])
    .filter(
      (r) =>
        r.mode === 'managed' &&
        r.module === undefined &&
        r.type === 'terraform_data' &&
        /_guard_[0-9A-F]{8}$/.test(r.name ?? ''),
    )
    .map((r) => `terraform_data.${r.name}`);
}

/**
 * The error when local state holds a destroy guard that this synthesis no longer declares (a
 * switch of storage mode, a file no longer managed): the plan would stop at its prevent_destroy.
 * `declared` are the guards' addresses in the synthesized stack.
 */
export function droppedGuardsProblem(
  stateFile: string,
  stateFileShown: string,
  environment: string,
  declared: readonly string[],
): SsoInputError | undefined {
  if (!existsSync(stateFile)) return undefined;
  const dropped = guardsInState(readFileSync(stateFile, 'utf8')).filter((address) => !declared.includes(address));
  if (dropped.length === 0) return undefined;
  return new SsoInputError(
    `environments.${environment}`,
    dropped,
    'no longer manages the files these destroy guards protect (botpressStorage or the delivery of the secret changed), so the plan would stop at their prevent_destroy',
    `if that is what you mean, forget the guards (the files stay as they are): ${dropped.map((a) => `tofu state rm -state=${stateFileShown} '${a}'`).join(' && ')} (or terraform instead of tofu); see docs/clusters-and-containers.md, "Switching storage"`,
  );
}

/** The destroy guards a synthesized stack declares, by Terraform address. */
export function declaredGuards(stack: BotpressSsoStack): string[] {
  return stack.node
    .findAll()
    .filter((c): c is ConfigFileGuard => c instanceof ConfigFileGuard)
    .map((guard) => `terraform_data.${stack.getLogicalId(guard)}`);
}

/** For every stack with local state: the guards its state holds that the stack no longer declares. */
export function droppedGuardProblems(
  stacks: readonly BotpressSsoStack[],
  loaded: {
    readonly environments: ReadonlyArray<{ readonly name: string; readonly settings: { readonly backend?: unknown } }>;
  },
  projectDir: string,
): SsoInputError[] {
  return stacks.flatMap((stack) => {
    const env = loaded.environments.find((e) => e.name === stack.node.id);
    if (!env || env.settings.backend) return [];
    const shown = localStateFileName(env.name);
    return droppedGuardsProblem(path.join(projectDir, shown), shown, env.name, declaredGuards(stack)) ?? [];
  });
}
