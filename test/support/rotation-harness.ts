/**
 * One environment's deploys through time, under a real OpenTofu: the synthesized stack with its
 * built-in resources as they are (anchor, generations, guard, installers, restart step), the
 * local provider's stage files stood in (host-apply.ts) and the client secrets stood in by
 * password-stand-in.ts, whose secrets live in the OpenID provider stand-in. The plan's time is a
 * variable: `deploy(day)` applies as if run `day` days after the first deploy, at noon UTC.
 *
 * Deletes of passwords are read from the live `tofu apply -json` stream (`apply_start`, action
 * `delete`): the key leaves the OpenID provider at that moment, while the apply goes on.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { hostWorkspace } from './host-apply';
import type { EntraStandIn } from './entra-stand-in';
import type { EntraValues } from './tofu';

type Json = Record<string, any>;

/** Noon UTC, `day` days after 2024-01-04 (a Thursday; 2024 has a leap day to cross). */
export const dayAt = (day: number) => new Date(Date.UTC(2024, 0, 4 + day, 12)).toISOString().replace(/\.000Z$/, 'Z');

export interface DeployResult {
  readonly code: number;
  /** Every event of `tofu apply -json`. */
  readonly events: readonly Json[];
  /** The error diagnostics' texts (summary and detail). */
  readonly errors: readonly string[];
  /** Key ids deleted during the apply, in order. */
  readonly deletedKeys: readonly string[];
  /** Key ids created during the apply, in order. */
  readonly createdKeys: readonly string[];
}

/** `entra` is asked for when the first deploy runs: it may start after the workspace exists. */
export function rotationHarness(
  entraOf: () => EntraStandIn,
  values: EntraValues,
  secretPrefix: string,
  env: Readonly<Record<string, string>> = {},
) {
  const ws = hostWorkspace({ env });
  let passwords: string[] = [];

  /** What `cdktf deploy` does first: the synthesized stack becomes the module. */
  const write = (stackJson: Json) => {
    passwords = Object.keys(stackJson.resource?.azuread_application_password ?? {});
    ws.write(stackJson, values, 'stand-in', { secret_prefix: secretPrefix, idp_control_url: entraOf().controlUrl });
  };
  const isPassword = (address: string | undefined) =>
    passwords.some((name) => address === `terraform_data.${name}` || address?.startsWith(`terraform_data.${name}[`));

  const deploy = async (day: number, vars: Readonly<Record<string, string>> = {}): Promise<DeployResult> => {
    const removals: Array<Promise<void>> = [];
    const deletedKeys: string[] = [];
    const createdKeys: string[] = [];
    const args = Object.entries({ now: dayAt(day), ...vars }).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    const result = await ws.applyStreaming(args, (event) => {
      const hook = event.hook ?? {};
      const address: string | undefined = hook.resource?.addr;
      if (!isPassword(address)) return;
      if (event.type === 'apply_start' && hook.action === 'delete') {
        deletedKeys.push(hook.id_value);
        removals.push(entraOf().removePassword(values.clientId, hook.id_value));
      }
      if (event.type === 'apply_complete' && hook.action === 'create') createdKeys.push(hook.id_value);
    });
    await Promise.all(removals);
    const errors = result.events
      .filter((e) => e.type === 'diagnostic' && e.diagnostic?.severity === 'error')
      .map(
        (e) =>
          `${e.diagnostic.summary}: ${e.diagnostic.detail ?? ''}${e.diagnostic.range ? ` (${e.diagnostic.range.filename}:${e.diagnostic.range.start.line}:${e.diagnostic.range.start.column})` : ''}`,
      );
    return { code: result.code, events: result.events, errors, deletedKeys, createdKeys };
  };

  /** The outputs of the last deploy (name -> value). */
  const outputs = (): Json => {
    const state = JSON.parse(readFileSync(path.join(ws.stackDir, 'terraform.tfstate'), 'utf8')) as Json;
    return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, (v as Json).value]));
  };

  /** The passwords in state: current and deposed objects' key ids, by resource name. */
  const passwordsInState = (): Record<string, { current?: string; deposed: string[] }> => {
    const state = JSON.parse(readFileSync(path.join(ws.stackDir, 'terraform.tfstate'), 'utf8')) as Json;
    return Object.fromEntries(
      (state.resources as Json[])
        .filter((r) => r.type === 'terraform_data' && passwords.includes(r.name))
        .map((r) => [
          r.name,
          {
            current: (r.instances as Json[]).find((i) => !i.deposed)?.attributes.id,
            deposed: (r.instances as Json[]).filter((i) => i.deposed).map((i) => i.attributes.id as string),
          },
        ]),
    );
  };

  return { ...ws, write, deploy, outputs, passwordsInState };
}
