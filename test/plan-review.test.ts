import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSettings } from '../app/load-settings';
import { PREVIEW_PLACEHOLDERS } from '../constructs/botpress/strategy-entry';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import { REDACTED } from '../constructs/text/redaction';
import { MAX_REVIEW_LENGTH, PLAN_REVIEW_MARKER, buildPlanReview, main, renderPlanReview } from '../scripts/plan-review';
import { code, fenced } from '../scripts/review/markdown';
import { describeNeeding } from './support/requirements';

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'plan-review');
const SCRIPT = path.join(ROOT, 'dist', 'scripts', 'plan-review.js');

/** Every secret value in the fixtures' config files. */
const SECRETS = [
  'APP-SECRET-3f9d2c71b8e4',
  'DB-URL-PASSWORD-5a6b7c',
  'LICENSE-KEY-8e1b7a6c5d4f',
  'LDAP-BIND-PASSWORD-42aa9f',
  'LDAP-PASSWORD-0918ab',
  'SAML-PRIVATE-KEY-77cc',
  'SAML-IDP-CERT-55bb01',
  'SAML-DECRYPTION-PVK-9e9e',
  'OLD-CLIENT-SECRET-c0ffee99',
  'STAGING-APP-SECRET-7d7d7d',
  'STAGING-LICENSE-KEY-6c6c6c',
  'STAGING-OLD-CLIENT-SECRET-abab12',
  'OFF-APP-SECRET-5e5e5e5e',
  'OFF-LICENSE-KEY-4f4f4f4f',
  'OFF-OLD-CLIENT-SECRET-3d3d3d',
];

/** The review's section of one environment. */
function section(review: string, env: string): string {
  const start = review.indexOf(`### Environment \`${env}\``);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = review.indexOf('\n### Environment ', start + 1);
  return review.slice(start, next < 0 ? undefined : next);
}

/** The fenced diff blocks of a review: [fence, content]. */
function diffBlocks(review: string): Array<{ fence: string; body: string }> {
  const blocks: Array<{ fence: string; body: string }> = [];
  const lines = review.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})diff$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf(open[1], i + 1);
    expect(end).toBeGreaterThan(i);
    blocks.push({ fence: open[1], body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

function changedLines(block: string): string[] {
  return block.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
}

describe('code and fenced', () => {
  it('choose fences longer than any backtick run', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(fenced('a ```` b\n', 'diff')).toBe('`````diff\na ```` b\n`````');
    expect(fenced('plain')).toBe('```\nplain\n```');
  });
});

describe('renderPlanReview on the fixtures', () => {
  let review: string;
  beforeAll(() => {
    review = renderPlanReview(loadSettings('settings.json', FIXTURES), { projectDir: FIXTURES });
  });

  it('starts with the marker and a heading', () => {
    expect(review.startsWith(`${PLAN_REVIEW_MARKER}\n## Botpress SSO plan review\n`)).toBe(true);
  });

  it('shows no secret, old or new, anywhere', () => {
    for (const secret of SECRETS) expect(review).not.toContain(secret);
    // Unchanged secrets make no diff lines.
    const changed = diffBlocks(review).flatMap((b) => changedLines(b.body));
    expect(
      changed.filter((l) => /appSecret|licenseKey|bindCredentials|privateKey|"cert"|decryptionPvk|"password"/.test(l)),
    ).toEqual([]);
  });

  it('never shows raw Terraform expressions or cdktf tokens', () => {
    expect(review).not.toContain('${jsonencode');
    expect(review).not.toContain('TfToken');
    expect(review).not.toMatch(/\$\{(data|azuread|local|time|sensitive)/);
  });

  it('describes the Entra objects, callback URL, endpoints and delivery of an enabled environment', () => {
    const prod = section(review, 'prod');
    expect(prod).toContain('SSO enabled');
    expect(prod).toContain('sign-in audience `AzureADMyOrg`');
    expect(prod).toContain(
      'Web redirect URI `https://bots.example.com/botpress/api/v1/auth/login-callback/oauth2/azuread`',
    );
    expect(prod).toContain(
      '**Callback URL** (Botpress): `https://bots.example.com/botpress/api/v1/auth/login-callback/oauth2/azuread`',
    );
    expect(prod).toContain('`openid`, `profile`, `email`');
    expect(prod).toContain('Service principal');
    expect(prod).toContain('Two client secrets in alternating slots, rotated every 90 days on a fixed schedule');
    expect(prod).toContain(
      'authorize: `https://login.microsoftonline.com/{tenant id of the deploying credentials}/oauth2/v2.0/authorize`',
    );
    expect(prod).toContain('userinfo: `https://graph.microsoft.com/oidc/userinfo`');
    expect(prod).toContain('depends on who deploys');
    expect(prod).toContain('written into `botpress.config.json` at `authStrategies.azuread.options.clientSecret`');
    // A display name full of backticks stays one literal code span.
    expect(prod).toContain('App registration ```` Botpress ``` SSO ${x} %{y} `prod` ````,');
  });

  it('diffs the config: added strategy, collaborators and externalAuth, with the placeholder for the new secret', () => {
    const [block] = diffBlocks(section(review, 'prod'));
    const changed = changedLines(block.body);
    expect(changed).toEqual(
      expect.arrayContaining([
        '-      "ldap"',
        '+      "ldap",',
        '+      "azuread"',
        '-      "enabled": false,',
        '+      "enabled": true,',
        '+    "azuread": {',
        '+      "type": "oauth2",',
        '+      "label": "Sign in ``` ${x} %{ if true }",',
        `+        "clientSecret": ${JSON.stringify(PREVIEW_PLACEHOLDERS.clientSecret)},`,
        `+        "authorizationURL": ${JSON.stringify(PREVIEW_PLACEHOLDERS.authorizationUrl)},`,
      ]),
    );
    expect(
      block.body.startsWith('--- a/botpress.config.json\tcurrent\n+++ b/botpress.config.json\tafter deploy\n@@ '),
    ).toBe(true);
  });

  it('fences every diff longer than any backtick run in it', () => {
    const blocks = diffBlocks(review);
    expect(blocks.length).toBe(3);
    for (const { fence, body } of blocks) {
      const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
      expect(fence.length).toBeGreaterThan(longest);
    }
    // The hostile audience (four backticks) forces a five-backtick fence in prod.
    expect(diffBlocks(section(review, 'prod'))[0].fence).toBe('`````');
  });

  it('says that an adopted app cannot keep its client secret, and names the env file delivery', () => {
    const staging = section(review, 'staging');
    expect(staging).toContain('/applications/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(staging).toContain('**Client secret: cannot be imported.**');
    expect(staging).toContain('issues a new one');
    expect(staging).toContain(
      'environment variable `BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET` in the env file `staging.env`',
    );
    expect(staging).toContain(
      'authorize: `https://login.microsoftonline.com/66666666-7777-8888-9999-000000000000/oauth2/v2.0/authorize`',
    );
    expect(staging).not.toContain('depends on who deploys');
    expect(staging).toContain('rewrites the file');
    expect(staging).toContain('already in the file');
    const changed = changedLines(diffBlocks(staging)[0].body);
    expect(changed).toEqual([
      `-        "clientSecret": "${REDACTED}",`,
      '-        "clientID": "22222222-3333-4444-5555-666666666666",',
      '+        "clientSecret": "set by the environment variable BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET",',
      `+        "clientID": ${JSON.stringify(PREVIEW_PLACEHOLDERS.clientId)},`,
    ]);
  });

  it('shows a disabled environment as removal, with the construct warnings', () => {
    const off = section(review, 'off');
    expect(off).toContain('SSO disabled');
    expect(off).toContain('No Entra objects are declared');
    expect(off).toContain('**Warnings**');
    expect(off).toContain('pro.collaboratorsAuthStrategies is now empty');
    const changed = changedLines(diffBlocks(off)[0].body);
    expect(changed).toContain('-    "azuread": {');
    expect(changed).toContain(`-        "clientSecret": "${REDACTED}",`);
  });

  it('works from the settings file name too, and renders the repository example', () => {
    expect(buildPlanReview('settings.json', FIXTURES)).toBe(review);
    const example = buildPlanReview('botpress-sso.json', ROOT);
    expect(example).toContain('### Environment `example`: SSO enabled');
    expect(example).not.toContain('3b9e41d8c0f7a2e65d1c4b8f9a0e7d2c'); // the example's appSecret
    expect(example).not.toContain('paste-your-botpress-pro-license-key-here');
  });
});

describe('renderPlanReview limits', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'plan-review-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function reviewOf(config: unknown, environment: Record<string, unknown> = {}): string {
    writeFileSync(path.join(dir, 'botpress.config.json'), JSON.stringify(config, null, 2));
    writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({
        environments: {
          big: { botpressUrl: 'https://bots.example.com', configFile: 'botpress.config.json', ...environment },
        },
      }),
    );
    return buildPlanReview('settings.json', dir);
  }
  const base = JSON.parse(readFileSync(path.join(FIXTURES, 'off.botpress.config.json'), 'utf8'));

  it('leaves diffs out when the comment would be too long for GitHub', () => {
    const fieldMapping = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, `claim${i}`]));
    const config = {
      ...base,
      authStrategies: { ...base.authStrategies, azuread: { ...base.authStrategies.azuread, fieldMapping } },
    };
    const review = reviewOf(config, { enabled: false });
    expect(review.length).toBeLessThan(MAX_REVIEW_LENGTH);
    expect(review).toContain('too long for a comment');
    expect(diffBlocks(review)).toEqual([]);
    expect(review).not.toContain('OFF-OLD-CLIENT-SECRET-3d3d3d');
  });

  it('scrubs a secret that also appears under a harmless key, and keeps its own marker', () => {
    const config = {
      ...base,
      pro: {
        ...base.pro,
        licenseKey: 'botpress-azure-sso plan review',
        branding: { title: 'copy of OFF-APP-SECRET-5e5e5e5e' },
      },
    };
    const review = reviewOf(config, { label: 'OFF-APP-SECRET-5e5e5e5e' });
    expect(review.startsWith(`${PLAN_REVIEW_MARKER}\n`)).toBe(true);
    expect(review).not.toContain('OFF-APP-SECRET-5e5e5e5e');
    expect(review).toContain(`"label": "${REDACTED}"`);
  });
});

describe('bad input', () => {
  function inputError(settings: string): SsoInputError | SsoInputErrors {
    try {
      buildPlanReview(settings, FIXTURES);
    } catch (error) {
      if (error instanceof SsoInputError || error instanceof SsoInputErrors) return error;
      throw error;
    }
    throw new Error('expected an input error');
  }

  it.each([
    ['bad-unknown-key.json', 'environments.prod.lable', 'is not a known setting'],
    ['bad-url.json', 'environments.prod.botpressUrl', 'is not an https URL'],
    ['bad-config.json', 'environments.prod.configFile', 'is not valid JSON'],
  ])('%s throws the synthesis error naming %s', (settings, field, problem) => {
    const error = inputError(settings);
    expect(error.message).toContain(field);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('BROKEN-APP-SECRET');
  });

  it('main() reports it on stderr, sets exit code 1 and prints nothing on stdout', () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const saved = { settings: process.env.BOTPRESS_SSO_SETTINGS, exitCode: process.exitCode };
    try {
      process.env.BOTPRESS_SSO_SETTINGS = path.join(FIXTURES, 'bad-url.json');
      main();
      expect(process.exitCode).toBe(1);
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('environments.prod.botpressUrl');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.exitCode = saved.exitCode;
      if (saved.settings === undefined) delete process.env.BOTPRESS_SSO_SETTINGS;
      else process.env.BOTPRESS_SSO_SETTINGS = saved.settings;
    }
  });
});

// The compiled script, end to end (dist/ exists after `npm run build`; in CI `npm ci` builds it).
describeNeeding(
  [{ met: existsSync(SCRIPT), missing: 'dist/: run npm run build (npm ci does it)' }],
  'node dist/scripts/plan-review.js',
  () => {
    const run = (settings: string) =>
      spawnSync(process.execPath, [SCRIPT], {
        cwd: ROOT,
        env: {
          ...process.env,
          BOTPRESS_SSO_SETTINGS: path.relative(ROOT, path.join(FIXTURES, settings)),
          CHECKPOINT_DISABLE: '1',
        },
        encoding: 'utf8',
      });

    it('prints the review and exits 0', () => {
      const result = run('settings.json');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.startsWith(PLAN_REVIEW_MARKER)).toBe(true);
      expect(result.stdout).toContain(PREVIEW_PLACEHOLDERS.clientSecret);
      for (const secret of SECRETS) expect(result.stdout).not.toContain(secret);
      expect(result.stdout).not.toContain('${jsonencode');
      expect(result.stdout).not.toContain('TfToken');
    });

    it.each([
      ['bad-unknown-key.json', 'environments.prod.lable'],
      ['bad-url.json', 'environments.prod.botpressUrl'],
    ])('%s: exit 1, nothing on stdout, %s named on stderr', (settings, field) => {
      const result = run(settings);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('the settings or a config file need a fix');
      expect(result.stderr).toContain(field);
    });
  },
);
