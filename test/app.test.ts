import { SpawnSyncReturns, execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import { defineStacks, settingsPathOf } from '../app/define-stacks';
import { loadSettings } from '../app/load-settings';
import { EXAMPLE_CONFIG } from './support/stacks';

const ROOT = path.join(__dirname, '..');

/** A project folder with a settings file and config files, in a fresh temp dir. */
function project(
  settings: object,
  files: Record<string, string> = { 'bp/botpress.config.json': EXAMPLE_CONFIG },
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-app-'));
  writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify(settings, null, 2));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
const env = (over: object = {}) => ({
  botpressUrl: 'https://bots.example.com',
  configFile: 'bp/botpress.config.json',
  ...over,
});

function inputErrorMessage(dir: string): string {
  try {
    defineStacks(new App({ outdir: path.join(dir, 'cdktf.out') }), loadSettings('botpress-sso.json', dir), dir);
  } catch (e) {
    if (e instanceof SsoInputError || e instanceof SsoInputErrors) return e.message;
    throw e;
  }
  throw new Error('expected an input error');
}

describe('settings', () => {
  it.each([
    [
      'an unknown key',
      { environments: { prod: env({ botpressURL: 'x' }) } },
      /environments.prod.botpressURL = "x": is not a known setting.*did you mean "botpressUrl"/s,
    ],
    [
      'a missing URL',
      { environments: { prod: { configFile: 'bp/botpress.config.json' } } },
      /environments.prod.botpressUrl = \(missing\): is required/,
    ],
    [
      'an unknown audience',
      { environments: { prod: env({ signInAudience: 'AzureAD' }) } },
      /environments.prod.signInAudience = "AzureAD": is not an accepted value.*"AzureADMyOrg"/s,
    ],
    ['an unknown cloud', { environments: { prod: env({ cloud: 'germany' }) } }, /environments.prod.cloud = "germany"/],
    [
      'a tenant that is not a GUID',
      { environments: { prod: env({ tenantId: 'contoso' }) } },
      /environments.prod.tenantId = "contoso"/,
    ],
    [
      'an environment name with a space',
      { environments: { 'my prod': env() } },
      /environments.my prod = "my prod": is not a valid name/,
    ],
    [
      'a non-https URL',
      { environments: { prod: env({ botpressUrl: 'http://bots.example.com' }) } },
      /environments.prod.botpressUrl = "http:\/\/bots.example.com": is not an https URL/,
    ],
    [
      'a URL with a query',
      { environments: { prod: env({ botpressUrl: 'https://bots.example.com/?a=1' }) } },
      /environments.prod.botpressUrl.*has a query string/,
    ],
    [
      'something that is not a URL',
      { environments: { prod: env({ botpressUrl: 'bots' }) } },
      /environments.prod.botpressUrl = "bots": is not a URL/,
    ],
    [
      'an unsafe strategy name',
      { environments: { prod: env({ strategyName: 'azure ad' }) } },
      /environments.prod.strategyName = "azure ad"/,
    ],
    [
      'a missing config file',
      { environments: { prod: env({ configFile: 'nope/botpress.config.json' }) } },
      /environments.prod.configFile = "nope\/botpress.config.json": does not exist/,
    ],
    [
      'environment delivery without envFile',
      { environments: { prod: env({ secret: { delivery: 'environment' } }) } },
      /environments.prod.secret.envFile = \(missing\): is required/,
    ],
    [
      'an environment named like a property of every object',
      { environments: { constructor: env() } },
      /environments.constructor = "constructor": is not a valid name.*not a name every JavaScript object has/s,
    ],
    [
      'a display name with a control character',
      { environments: { prod: env({ displayName: 'Botpress\u001b[2J SSO' }) } },
      /environments.prod.displayName = "Botpress\\u001b\[2J SSO": does not have the expected form/,
    ],
    [
      'a label with a bidirectional override',
      { environments: { prod: env({ label: 'Sign in \u202egnp.exe' }) } },
      /environments.prod.label = "Sign in \\u202egnp.exe": does not have the expected form/,
    ],
    [
      'a URL with a password',
      { environments: { prod: env({ botpressUrl: 'https://admin:hunter2@bots.example.com' }) } },
      /environments.prod.botpressUrl = \(a URL with a user name or password for bots.example.com, not shown\): contains credentials.*Fix: remove them: https:\/\/bots.example.com/s,
    ],
    [
      'a config file mode others may write',
      { environments: { prod: env({ configFileMode: '0666' }) } },
      /environments.prod.configFileMode = "0666": lets users other than the owner write the file/,
    ],
    [
      'a config file mode its group may write',
      { environments: { prod: env({ configFileMode: '0660' }) } },
      /environments.prod.configFileMode = "0660": lets users other than the owner write/,
    ],
  ])('refuses %s, naming the field and the fix', (_name, settings, message) => {
    const text = inputErrorMessage(project(settings));
    expect(text).toMatch(message);
    expect(text).toMatch(/Fix: \S/);
    expect(text).not.toContain('hunter2');
    // Nothing printed raw: no control character (but newlines) and no bidirectional override.
    expect([...text].filter((c) => c !== '\n' && /[\p{Cc}\u202a-\u202e]/u.test(c))).toEqual([]);
  });

  it('refuses a strategy that collides with a non-oauth2 strategy', () => {
    expect(inputErrorMessage(project({ environments: { prod: env({ strategyName: 'default' }) } }))).toMatch(
      /environments.prod.configFile at authStrategies.default.type = "basic"/,
    );
  });

  it.each([
    ['not JSON', '{"pro": {}', /environments.prod.configFile = "line 1, column 11": is not valid JSON/],
    [
      'pro of the wrong type',
      '{"pro": []}',
      /environments.prod.configFile at pro = \(a JSON array of 0 items\): must be object/,
    ],
    [
      'authStrategies of the wrong type',
      '{"pro": {}, "authStrategies": "x"}',
      /environments.prod.configFile at authStrategies = \(a string of 1 characters\): must be object/,
    ],
  ])('refuses a config file that is %s', (_name, content, message) => {
    expect(
      inputErrorMessage(project({ environments: { prod: env() } }, { 'bp/botpress.config.json': content })),
    ).toMatch(message);
  });

  it('reports every broken environment at once', () => {
    const text = inputErrorMessage(
      project(
        {
          environments: {
            a: env({ botpressUrl: 'http://x.com' }),
            b: env({ botpressUrl: 'bots', configFile: 'bp2/botpress.config.json' }),
          },
        },
        { 'bp/botpress.config.json': EXAMPLE_CONFIG, 'bp2/botpress.config.json': EXAMPLE_CONFIG },
      ),
    );
    expect(text).toMatch(/environments.a.botpressUrl/);
    expect(text).toMatch(/environments.b.botpressUrl/);
  });

  it('resolves paths relative to the settings file', () => {
    const dir = project({ environments: { prod: env() } });
    const loaded = loadSettings('botpress-sso.json', dir);
    expect(loaded.environments[0].configFile).toBe(path.join(dir, 'bp', 'botpress.config.json'));
  });
});

/** Runs the compiled app the way cdktf does, in `cwd`. */
function runApp(cwd: string, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(cwd, 'dist', 'main.js')], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(cwd, 'cdktf.out'), ...extraEnv },
  });
}

/** A checkout of the compiled project at `dir` (dist and examples copied, node_modules linked). */
function checkout(dir: string): string {
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  cpSync(path.join(ROOT, 'botpress-sso.json'), path.join(dir, 'botpress-sso.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('the compiled app (node dist/main.js)', () => {
  // A run of the app costs about 0.6 s of CPU, so each checkout is run once and the tests below
  // share the runs: `a` as a user runs it, `b` deeper and with no Terraform or OpenTofu on PATH.
  let a: { dir: string; run: SpawnSyncReturns<string> };
  let b: { dir: string; run: SpawnSyncReturns<string> };

  beforeAll(() => {
    const built = path.join(ROOT, 'dist', 'main.js');
    if (!existsSync(built)) throw new Error('dist/ is missing: run npm run build (npm ci does it)');
    const sources = ['app', 'constructs', 'scripts'].flatMap((dir) =>
      (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f)),
    );
    const newestSource = Math.max(
      ...['main.ts', ...sources].filter((f) => f.endsWith('.ts')).map((f) => statSync(path.join(ROOT, f)).mtimeMs),
    );
    if (statSync(built).mtimeMs < newestSource) throw new Error('dist/ is older than the sources: run npm run build');

    const dirA = checkout(mkdtempSync(path.join(tmpdir(), 'bpsso-a-')));
    const dirB = path.join(mkdtempSync(path.join(tmpdir(), 'bpsso-b-')), 'deeper', 'checkout');
    mkdirSync(dirB, { recursive: true });
    checkout(dirB);
    mkdirSync(path.join(dirB, 'bin'));
    symlinkSync(process.execPath, path.join(dirB, 'bin', 'node'));
    a = { dir: dirA, run: runApp(dirA) };
    b = { dir: dirB, run: runApp(dirB, { PATH: path.join(dirB, 'bin') }) };
  });

  it('synthesizes byte-identical stacks from two different checkout paths', () => {
    for (const { run } of [a, b]) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    const stackA = readFileSync(path.join(a.dir, 'cdktf.out', 'stacks', 'example', 'cdk.tf.json'), 'utf8');
    const stackB = readFileSync(path.join(b.dir, 'cdktf.out', 'stacks', 'example', 'cdk.tf.json'), 'utf8');
    expect(stackB).toBe(stackA);
    expect(stackA).not.toContain(a.dir);
  });

  it('exits non-zero with a clear message and writes nothing on bad input', () => {
    const dir = checkout(mkdtempSync(path.join(tmpdir(), 'bpsso-bad-')));
    const config = readFileSync(path.join(dir, 'examples', 'botpress.config.json'), 'utf8');
    writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({
        environments: {
          prod: env({ configFile: 'examples/botpress.config.json', botpressUrl: 'http://bots.example.com' }),
        },
      }),
    );
    const run = runApp(dir, { BOTPRESS_SSO_SETTINGS: 'bad.json' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/environments.prod.botpressUrl = "http:\/\/bots.example.com": is not an https URL/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
    expect(readFileSync(path.join(dir, 'examples', 'botpress.config.json'), 'utf8')).toBe(config);
  });

  it('synthesizes without any Terraform or OpenTofu binary on PATH', () => {
    expect(b.run.stderr).toBe('');
    expect(b.run.status).toBe(0);
  });

  it('never writes the Botpress config at synthesis', () => {
    expect(a.run.status).toBe(0);
    expect(readFileSync(path.join(a.dir, 'examples', 'botpress.config.json'), 'utf8')).toBe(EXAMPLE_CONFIG);
  });
});

afterAll(() => {
  // temp dirs live under the OS temp folder; nothing to clean in the repo
  void rmSync;
  void execFileSync;
});

describe("the construct's errors at the settings' paths", () => {
  // The schema catches most mistakes first; these come from the construct, in its props' words.
  it('baseConfig is reported as configFile', () => {
    const dir = project({ environments: { prod: env() } }, { 'bp/botpress.config.json': '{,}' });
    expect(inputErrorMessage(dir)).toMatch(/^environments\.prod\.configFile = "line 1, column 2": is not valid JSON/);
  });

  it.each([
    [
      'an empty restart command',
      { command: '' },
      /^environments\.prod\.restart\.command = "": .*(at least|fewer than) 1 character/,
    ],
    ['a blank restart command', { command: '   ' }, /^environments\.prod\.restart\.command = " {3}": /],
    [
      'a restart timeout of 0',
      { command: 'true', timeoutSeconds: 0 },
      /^environments\.prod\.restart\.timeoutSeconds = 0: /,
    ],
    [
      'a restart timeout over an hour',
      { command: 'true', timeoutSeconds: 3601 },
      /^environments\.prod\.restart\.timeoutSeconds = 3601: /,
    ],
  ])('%s is refused at the setting, with the fix', (_name, restart, message) => {
    const dir = project({ environments: { prod: env({ restart }) } });
    const text = inputErrorMessage(dir);
    expect(text).toMatch(message);
    expect(text).toMatch(/Fix: \S/);
  });

  it('a restart command that keeps the old environment is refused when the secret is in an env file', () => {
    const secret = { delivery: 'environment', envFile: 'bp.env' };
    const dir = project({ environments: { prod: env({ secret, restart: { command: 'docker restart botpress' } }) } });
    expect(inputErrorMessage(dir)).toMatch(
      /^environments\.prod\.restart\.command = "docker restart botpress": restarts the container with the environment it was created with.*\n {2}Fix: recreate the container instead, for example "docker compose up -d botpress"/s,
    );
    const fine = project({ environments: { prod: env({ restart: { command: 'docker restart botpress' } }) } });
    expect(() => inputErrorMessage(fine)).toThrow('expected an input error'); // the secret is in the file Botpress re-reads
  });

  it('a rule of the props table keeps its setting name', () => {
    const dir = project({
      environments: { prod: env({ strategyName: 'azure-ad', secret: { delivery: 'environment', envFile: 'x.env' } }) },
    });
    expect(inputErrorMessage(dir)).toMatch(
      /^environments\.prod\.strategyName = "azure-ad": cannot be part of an environment variable name/,
    );
  });

  it.each([
    ['secretRotationDays', 'secret.rotationDays'],
    ['secretDelivery.envFilePath', 'secret.envFile'],
    ['baseConfig at pro.enabled', 'configFile at pro.enabled'],
    ['filePermission', 'configFileMode'],
    ['workspacesConfig at 2.authStrategies', 'workspaces.json (beside configFile) at 2.authStrategies'],
    ['label', 'label'],
  ])('%s is told as %s', (field, setting) => {
    expect(settingsPathOf(field)).toBe(setting);
  });
});
