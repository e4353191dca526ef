import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettings } from '../app/load-settings';
import { legacyFileResources } from '../app/upgrade-check';
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
