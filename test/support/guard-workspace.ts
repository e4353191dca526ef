/**
 * A file's destroy guard under a real OpenTofu: the prevent_destroy guard of a synthesized stack,
 * planted on a built-in terraform_data resource (the local provider cannot be downloaded here;
 * the installer itself, and its lost-update check, run in proofs/host-install-engine.test.ts), in a
 * folder laid out like cdktf.out/stacks/<name> so that relative paths resolve as at deploy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENGINE, engineEnv } from './tofu';

/**
 * The guard of the file installed at `live` (as synthesized), planted on a built-in resource named
 * `<name>_guard`, beside a stand-in for its installer (`<name>_stand_in`, which never plans a
 * read of the live file: nothing of Botpress's folder is read at plan time).
 */
export function guardModule(json: Record<string, any>, live: string, name: string): object {
  const data = Object.values(json.resource.terraform_data as Record<string, any>);
  const installer = data.find((r) => r.provisioner?.[0]['local-exec'].environment.BPSSO_LIVE === live);
  const guard = data.find((r) => r.triggers_replace?.filename === live);
  if (!installer || !guard) throw new Error(`no installer and guard for ${live}`);
  return {
    resource: {
      terraform_data: {
        [`${name}_guard`]: { triggers_replace: guard.triggers_replace, lifecycle: guard.lifecycle },
        [`${name}_stand_in`]: { input: live },
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
