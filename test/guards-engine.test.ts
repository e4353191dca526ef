/**
 * The file guards, evaluated by a real OpenTofu: the no-lost-update precondition and the
 * prevent_destroy guard, planted on built-in terraform_data resources (the installer itself runs
 * in host-install-engine.test.ts), in a folder laid out
 * like cdktf.out/stacks/<name> so that the relative paths resolve as they will at deploy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG, synthStack } from './support/stacks';
import { ENGINE, describeWithEngine } from './support/tofu';

function stackModule(baseConfig: string, configFilePath = '../../../botpress.config.json') {
  const { json } = synthStack({ baseConfig, configFilePath });
  // The precondition sits on the resource that installs the file (constructs/managed-file.ts).
  const data = Object.entries(json.resource.terraform_data as Record<string, any>);
  const file = data.find(([id]) => id.includes('rendered_config_install'))?.[1];
  const guard = data.find(([id]) => id.includes('config_file_guard'))?.[1];
  const filename = file.provisioner[0]['local-exec'].environment.BPSSO_LIVE;
  const shaLocal = /local\.(\w+)/.exec(file.lifecycle.precondition[0].condition)?.[1] as string;
  return {
    locals: { [shaLocal]: json.locals[shaLocal] },
    resource: {
      terraform_data: {
        config_file_guard: { triggers_replace: guard.triggers_replace, lifecycle: guard.lifecycle },
        config_file_stand_in: { input: filename, lifecycle: { precondition: file.lifecycle.precondition } },
      },
    },
  };
}

function workspace() {
  const root = mkdtempSync(path.join(tmpdir(), 'bpsso-guard-'));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', 'test');
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(path.join(root, '.terraformrc'), '');
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: path.join(root, '.terraformrc'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
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

/** A workspace where the example config was synthesized and applied. */
function deployed() {
  const ws = workspace();
  writeFileSync(path.join(ws.root, 'botpress.config.json'), EXAMPLE_CONFIG);
  ws.write(stackModule(EXAMPLE_CONFIG));
  expect(ws.tofu('init').ok).toBe(true);
  expect(ws.tofu('apply', '-auto-approve').out).toContain('Apply complete');
  return ws;
}

describeWithEngine('file guards under OpenTofu', () => {
  it('apply goes ahead while the file is what synthesis read, and stops when it changed', () => {
    const { root, tofu } = deployed();
    writeFileSync(
      path.join(root, 'botpress.config.json'),
      EXAMPLE_CONFIG.replace('"showPoweredBy": true', '"showPoweredBy": false'),
    );
    const stale = tofu('plan');
    expect(stale.ok).toBe(false);
    expect(stale.out).toMatch(/botpress\.config\.json changed after synthesis/);
    expect(stale.out).toMatch(/synth/);
  });

  it('stops when the file is missing', () => {
    const { tofu, write } = workspace();
    write(stackModule(EXAMPLE_CONFIG));
    tofu('init');
    const missing = tofu('plan');
    expect(missing.ok).toBe(false);
    expect(missing.out).toMatch(/changed after synthesis \(or is missing\)/);
  });

  it('refuses to destroy, and refuses a configFile move that would delete the old file', () => {
    const { root, tofu, write } = deployed();

    const destroy = tofu('plan', '-destroy');
    expect(destroy.ok).toBe(false);
    expect(destroy.out).toMatch(/prevent_destroy/);
    expect(destroy.out).toMatch(/config_file_guard/);

    mkdirSync(path.join(root, 'moved'));
    writeFileSync(path.join(root, 'moved', 'botpress.config.json'), EXAMPLE_CONFIG);
    write(stackModule(EXAMPLE_CONFIG, '../../../moved/botpress.config.json'));
    const moved = tofu('plan');
    expect(moved.ok).toBe(false);
    expect(moved.out).toMatch(/prevent_destroy/);
  });

  it('lets ordinary changes through: the guard itself never changes', () => {
    const { root, tofu, write } = deployed();
    const edited = EXAMPLE_CONFIG.replace('"showPoweredBy": true', '"showPoweredBy": false');
    writeFileSync(path.join(root, 'botpress.config.json'), edited);
    write(stackModule(edited));
    const plan = tofu('plan');
    expect(plan.ok).toBe(true);
    expect(plan.out).not.toMatch(/config_file_guard must be replaced/);
  });
});
