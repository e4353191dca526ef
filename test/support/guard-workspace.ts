/**
 * A file's guards under a real OpenTofu: the no-lost-update precondition and the prevent_destroy
 * guard of a synthesized stack, planted on built-in terraform_data resources (the local provider
 * cannot be downloaded here; the installer itself runs in proofs/host-install-engine.test.ts), in a
 * folder laid out like cdktf.out/stacks/<name> so that relative paths resolve as at deploy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENGINE, engineEnv } from './tofu';

/**
 * The guards of the file installed at `live` (as synthesized), planted on built-in resources
 * named `<name>_guard` and `<name>_stand_in`.
 */
export function guardModule(json: Record<string, any>, live: string, name: string): object {
  // The precondition sits on the resource that installs the file (constructs/private/managed-file.ts).
  const data = Object.values(json.resource.terraform_data as Record<string, any>);
  const installer = data.find((r) => r.provisioner?.[0]['local-exec'].environment.BPSSO_LIVE === live);
  const guard = data.find((r) => r.triggers_replace?.filename === live);
  if (!installer || !guard) throw new Error(`no installer and guard for ${live}`);
  const shaLocal = /local\.(\w+)/.exec(installer.lifecycle.precondition[0].condition)?.[1] as string;
  return {
    locals: { [shaLocal]: json.locals[shaLocal] },
    resource: {
      terraform_data: {
        [`${name}_guard`]: { triggers_replace: guard.triggers_replace, lifecycle: guard.lifecycle },
        [`${name}_stand_in`]: { input: live, lifecycle: { precondition: installer.lifecycle.precondition } },
      },
    },
  };
}

/** A project folder (`root`) with its stack folder, and OpenTofu run there. */
export function guardWorkspace() {
  const root = mkdtempSync(path.join(tmpdir(), 'bpsso-guard-'));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', 'test');
  mkdirSync(stackDir, { recursive: true });
  const env = engineEnv(root);
  const tofu = (...args: string[]) => {
    try {
      return {
        ok: true,
        out: execFileSync(ENGINE as string, [...args, '-no-color', '-input=false'], {
          cwd: stackDir,
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      };
    } catch (error) {
      const e = error as { stdout: string; stderr: string };
      return { ok: false, out: `${e.stdout}${e.stderr}` };
    }
  };
  const write = (module: object) => writeFileSync(path.join(stackDir, 'main.tf.json'), JSON.stringify(module));
  return { root, tofu, write };
}
