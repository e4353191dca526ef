/** The plan review of a database-storage environment: per variable what it changes, secrets redacted. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettings } from '../app/load-settings';
import { renderPlanReview } from '../scripts/plan-review';
import { EXAMPLE_CONFIG } from './support/stacks';

const LICENSE = 'LICENSE-KEY-1234abcd9876';
const APP_SECRET = 'APP-SECRET-77aa88bb99cc';
const OLD_SECRET = 'OLD-CLIENT-SECRET-55ee66';

function review(environment: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-dbreview-'));
  try {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.pro.licenseKey = LICENSE;
    config.appSecret = APP_SECRET;
    config.pro.externalAuth = { enabled: false, algorithms: ['HS256'] };
    config.authStrategies.legacy = {
      type: 'oauth2',
      allowSelfSignup: false,
      hidden: false,
      options: { clientSecret: OLD_SECRET },
    };
    mkdirSync(path.join(dir, 'export'));
    writeFileSync(path.join(dir, 'export', 'botpress.config.json'), JSON.stringify(config, null, 2));
    const settings = {
      environments: {
        cluster: {
          botpressUrl: 'https://bots.example.com',
          configFile: 'export/botpress.config.json',
          botpressStorage: 'database',
          secret: { envFile: 'cluster.env' },
          ...environment,
        },
      },
    };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify(settings));
    return renderPlanReview(loadSettings('botpress-sso.json', dir), { projectDir: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('plan review with botpressStorage "database"', () => {
  it('lists each variable with the paths it changes, and diffs the export against the effective config', () => {
    const text = review({});
    expect(text).toContain(
      '**Botpress** (database storage): the config file is an export of the stored config and is only read',
    );
    expect(text).toContain(
      'The env file `cluster.env` (new file: owner and group of the deploying user, mode 0600) holds 4 variables',
    );
    expect(text).toMatch(
      /- `BP_CONFIG_PRO_ENABLED`: turns Pro on at start .*; changes nothing in the export\. Value: `true`/,
    );
    expect(text).toMatch(
      /- `BP_CONFIG_AUTHSTRATEGIES`: adds the strategy .*; changes `authStrategies\.azuread`\. Value: `\{"azuread":\{"type":"oauth2",.*"clientSecret":"<client secret, issued by Entra at deploy; never shown>"/,
    );
    expect(text).toMatch(
      /- `BP_CONFIG_PRO_COLLABORATORSAUTHSTRATEGIES`: .*; changes `pro\.collaboratorsAuthStrategies`\. Value: `\["default","azuread"\]`/,
    );
    expect(text).toMatch(
      /- `BP_CONFIG_PRO_EXTERNALAUTH_ENABLED`: a leaf of pro\.externalAuth .*; changes `pro\.externalAuth\.enabled`\. Value: `true`/,
    );
    expect(text).toContain('The config Botpress computes from `export/botpress.config.json` and the env file: ');
    expect(text).toContain('+    "azuread": {');
    expect(text).toContain('-      "enabled": false,');
    expect(text).toContain('**Client secret delivery**: inside `BP_CONFIG_AUTHSTRATEGIES` in the env file.');
    for (const secret of [LICENSE, APP_SECRET, OLD_SECRET]) expect(text).not.toContain(secret);
  });

  it('shows no variables when SSO is disabled', () => {
    const text = review({ enabled: false });
    expect(text).toContain('holds no variables');
    expect(text).toContain('No `BP_CONFIG_*` variables: Botpress uses its stored config as it is.');
    expect(text).toContain(
      'The config Botpress computes from `export/botpress.config.json` and the env file: no change.',
    );
  });
});
