import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettings } from '../app/load-settings';
import { App } from 'cdktf';
import { defineStacks } from '../app/define-stacks';
import { declaredGuards, droppedGuardProblems, guardsInState, legacyFileResources } from '../app/state-check';
import { SsoInputError } from '../constructs/input-error';
import { thrownBy } from './support/errors';
import { EXAMPLE_CONFIG } from './support/stacks';

/** A state file as Terraform writes it, with the given managed resources of the root module. */
const state = (...resources: Array<{ type: string; name: string; module?: string }>) =>
  JSON.stringify({
    version: 4,
    resources: resources.map((r) => ({
      mode: 'managed',
      provider: 'provider["registry.terraform.io/hashicorp/local"]',
      instances: [],
      ...r,
    })),
  });

describe('legacyFileResources', () => {
  it('finds the 0.1 config and env file resources', () => {
    const text = state(
      { type: 'local_file', name: 'sso_config_file_53125784' },
      { type: 'local_sensitive_file', name: 'sso_env_file_0A1B2C3D' },
      { type: 'local_file', name: 'sso_rendered_config_stage_BFA0CF2D' },
      { type: 'local_file', name: 'sso_config_file_53125784', module: 'module.other' },
    );
    expect(legacyFileResources(text)).toEqual([
      'local_file.sso_config_file_53125784',
      'local_sensitive_file.sso_env_file_0A1B2C3D',
    ]);
  });

  it('finds nothing in a current state, an empty one, or text that is not JSON', () => {
    expect(legacyFileResources(state({ type: 'local_file', name: 'sso_rendered_config_stage_BFA0CF2D' }))).toEqual([]);
    expect(legacyFileResources('{}')).toEqual([]);
    expect(legacyFileResources('not json')).toEqual([]);
  });
});

describe('synthesis stops before an upgrade would delete botpress.config.json', () => {
  function project(stateText?: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-upgrade-'));
    mkdirSync(path.join(dir, 'bp'));
    writeFileSync(path.join(dir, 'bp', 'botpress.config.json'), EXAMPLE_CONFIG);
    const settings = {
      environments: { prod: { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json' } },
    };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify(settings));
    if (stateText !== undefined) writeFileSync(path.join(dir, 'terraform.prod.tfstate'), stateText);
    return dir;
  }

  it('names the resource and the exact state rm command', () => {
    const dir = project(state({ type: 'local_file', name: 'sso_config_file_53125784' }));
    const error = thrownBy(() => loadSettings('botpress-sso.json', dir)) as SsoInputError;
    expect(error).toBeInstanceOf(SsoInputError);
    expect(error.message).toMatch(
      /^environments\.prod = \["local_file\.sso_config_file_53125784"\]: was deployed by botpress-azure-sso 0\.1/,
    );
    expect(error.message).toContain(
      "tofu state rm -state=terraform.prod.tfstate 'local_file.sso_config_file_53125784'",
    );
  });

  it('lets a current or a new stack through', () => {
    expect(() =>
      loadSettings(
        'botpress-sso.json',
        project(state({ type: 'local_file', name: 'sso_rendered_config_stage_BFA0CF2D' })),
      ),
    ).not.toThrow();
    expect(() => loadSettings('botpress-sso.json', project())).not.toThrow();
  });
});

describe('synthesis stops before a plan would trip a guard it no longer declares', () => {
  function project(environment: object, stateText?: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-guards-'));
    mkdirSync(path.join(dir, 'bp'));
    writeFileSync(path.join(dir, 'bp', 'botpress.config.json'), EXAMPLE_CONFIG);
    const prod = { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json', ...environment };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify({ environments: { prod } }));
    if (stateText !== undefined) writeFileSync(path.join(dir, 'terraform.prod.tfstate'), stateText);
    return dir;
  }
  const problems = (dir: string) => {
    const loaded = loadSettings('botpress-sso.json', dir);
    const stacks = defineStacks(new App({ outdir: path.join(dir, 'cdktf.out') }), loaded, dir);
    return { stacks, errors: droppedGuardProblems(stacks, loaded, dir) };
  };
  const DATABASE = { botpressStorage: 'database', secret: { envFile: 'bp.env' } };

  it('finds the guards of a state file', () => {
    const text = state(
      { type: 'terraform_data', name: 'sso_config_file_guard_E189B85B' },
      { type: 'terraform_data', name: 'sso_rendered_config_install_4AE51750' },
    );
    expect(guardsInState(text)).toEqual(['terraform_data.sso_config_file_guard_E189B85B']);
  });

  it('names the guards of a switch to database storage and the state rm commands', () => {
    const disk = problems(project({}));
    const guards = declaredGuards(disk.stacks[0]);
    expect(guards).toEqual(['terraform_data.sso_config_file_guard_E189B85B']);
    const { errors } = problems(
      project(DATABASE, state(...guards.map((g) => ({ type: 'terraform_data', name: g.split('.')[1] })))),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(
      /^environments\.prod = \["terraform_data\.sso_config_file_guard_E189B85B"\]: no longer manages/,
    );
    expect(errors[0].message).toContain(
      "tofu state rm -state=terraform.prod.tfstate 'terraform_data.sso_config_file_guard_E189B85B'",
    );
  });

  it('says nothing while the stack still declares the guards in its state', () => {
    const guards = declaredGuards(problems(project({})).stacks[0]);
    const text = state(...guards.map((g) => ({ type: 'terraform_data', name: g.split('.')[1] })));
    expect(problems(project({}, text)).errors).toEqual([]);
    expect(problems(project(DATABASE)).errors).toEqual([]);
  });
});
