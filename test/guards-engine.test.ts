/** The config file's guards, evaluated by a real OpenTofu (test/support/guard-workspace.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_CONFIG, synthStack } from './support/stacks';
import { guardModule, guardWorkspace } from './support/guard-workspace';
import { describeWithEngine } from './support/tofu';

function stackModule(baseConfig: string, configFilePath = '../../../botpress.config.json') {
  return guardModule(synthStack({ baseConfig, configFilePath }).json, configFilePath, 'config_file');
}

/** A workspace where the example config was synthesized and applied. */
function deployed() {
  const ws = guardWorkspace();
  writeFileSync(path.join(ws.root, 'botpress.config.json'), EXAMPLE_CONFIG);
  ws.write(stackModule(EXAMPLE_CONFIG));
  expect(ws.tofu('init').ok).toBe(true);
  expect(ws.tofu('apply', '-auto-approve').out).toContain('Apply complete');
  return ws;
}

describeWithEngine('file guards under OpenTofu', () => {
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
