/**
 * Synthesis-time checks of the Botpress host: the config's externalUrl and version, text that
 * Botpress would take for environment variables, the file's mode, and whether the deploying
 * user can keep the file's owner, group and mode. Each with a case that triggers it and one
 * that must not.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SsoInputError } from '../constructs/input-error';
import { Deployer, ownershipProblem } from '../app/deploy-rights';
import { parseFileMode } from '../constructs/placement/file-ownership';
import { compareVersions, urlDifference } from '../constructs/botpress/host-checks';
import { READ_ONLY, loadSettings } from '../app/load-settings';
import { observeHostFile } from '../app/host-files';
import { renderPlanReview } from '../scripts/plan-review';
import { copyRunnableApp } from './support/portable-app';
import { ROOT_USER, describeNeeding } from './support/requirements';
import { thrownBy } from './support/errors';
import { EXAMPLE_CONFIG, TestSsoProps, synthStack } from './support/stacks';

const ROOT = path.join(__dirname, '..');
const withConfig = (edit: (config: any) => void) => {
  const config = JSON.parse(EXAMPLE_CONFIG);
  edit(config);
  return JSON.stringify(config, null, 2);
};
const warningsOf = (props: TestSsoProps) => synthStack(props).stack.sso.warnings.join('\n');

describe('host checks at synthesis', () => {
  it('warns when httpServer.externalUrl differs from botpressUrl, naming what differs and the fix', () => {
    const cases: Array<[string, string]> = [
      ['http://bots.example.com', 'scheme'],
      ['https://chat.example.com', 'host'],
      ['https://bots.example.com:8443', 'port'],
      ['https://bots.example.com/botpress', 'path'],
    ];
    for (const [externalUrl, difference] of cases) {
      const text = warningsOf({ baseConfig: withConfig((c) => (c.httpServer.externalUrl = externalUrl)) });
      expect(text).toContain(
        `httpServer.externalUrl = ${JSON.stringify(
          externalUrl,
        )} differs from botpressUrl "https://bots.example.com" (${difference})`,
      );
      expect(text).toMatch(/Fix: make them the same URL/);
    }
  });

  it('does not warn when they are the same URL, a trailing slash, default port or host case aside', () => {
    for (const externalUrl of [
      'https://bots.example.com/',
      'https://BOTS.example.com:443',
      'https://bots.example.com',
    ]) {
      expect(warningsOf({ baseConfig: withConfig((c) => (c.httpServer.externalUrl = externalUrl)) })).not.toMatch(
        /externalUrl/,
      );
    }
    expect(
      warningsOf({
        botpressUrl: 'https://example.com/bp/',
        baseConfig: withConfig((c) => (c.httpServer.externalUrl = 'https://example.com/bp')),
      }),
    ).toBe('');
    expect(urlDifference('https://a.example/x/', 'https://a.example/x')).toBeUndefined();
  });

  it('says to set EXTERNAL_URL when externalUrl is empty or missing', () => {
    for (const edit of [(c: any) => (c.httpServer.externalUrl = ''), (c: any) => delete c.httpServer.externalUrl]) {
      expect(warningsOf({ baseConfig: withConfig(edit) })).toMatch(
        /externalUrl is empty.*http:\/\/localhost:3000.*EXTERNAL_URL=https:\/\/bots\.example\.com/s,
      );
    }
  });

  it('warns about a path prefix on Botpress older than 12.28.1, and only then', () => {
    const prefixed = { botpressUrl: 'https://example.com/bp' };
    const sameUrl = (version: string) =>
      withConfig((c) => Object.assign(c, { version }) && (c.httpServer.externalUrl = 'https://example.com/bp'));
    expect(warningsOf({ ...prefixed, baseConfig: sameUrl('12.26.7') })).toMatch(
      /path prefix "\/bp".*version = "12\.26\.7".*older than 12\.28\.1.*Fix: upgrade Botpress/s,
    );
    expect(warningsOf({ ...prefixed, baseConfig: sameUrl('12.28.1') })).toBe('');
    expect(warningsOf({ baseConfig: withConfig((c) => (c.version = '12.20.0')) })).toBe('');
    expect(compareVersions('12.9.0', '12.28.1')).toBeLessThan(0);
    expect(compareVersions('12.30.9', '12.28.1')).toBeGreaterThan(0);
  });

  it('warns once when pro.enabled is not true, and not at all when it is', () => {
    const warnings = synthStack({ baseConfig: withConfig((c) => (c.pro.enabled = false)) }).stack.sso.warnings;
    expect(warnings.filter((w) => /pro\.enabled/.test(w))).toEqual([
      expect.stringMatching(/pro\.enabled is not true: Botpress offers SSO only with Pro enabled/),
    ]);
    expect(warningsOf({})).not.toMatch(/pro\.enabled/);
  });

  it.each([
    [
      'label',
      { label: 'Sign in %USER%' },
      /^test\/sso: label = "Sign in %USER%": contains %USER%, which Botpress replaces with the environment variable USER/,
    ],
    [
      'botpressUrl',
      { botpressUrl: 'https://bots.example.com/a%20b%20c' },
      /^test\/sso: botpressUrl = ".*\/a%20b%20c\/api\/v1\/auth\/login-callback\/oauth2\/azuread": contains %20b%/,
    ],
  ])('refuses %s text that Botpress would replace with an environment variable', (_field, props, message) => {
    const error = thrownBy(() => synthStack(props));
    expect(error).toBeInstanceOf(SsoInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/Fix: \S/);
  });

  it('accepts a lone % or %% that names no variable', () => {
    expect(() => synthStack({ label: '100% Microsoft' })).not.toThrow();
    expect(() => synthStack({ label: 'a %% b' })).not.toThrow();
  });

  it('warns when the config file holding the secret will be readable by every user', () => {
    expect(warningsOf({ filePermission: '0644' })).toMatch(
      /configFilePath will have mode 0644, which lets every user on the host read the client secret.*"0640"/,
    );
    expect(warningsOf({ configFileAttributes: { uid: 999, gid: 999, mode: 0o644 } })).toMatch(/mode 0644/);
    expect(warningsOf({ configFileAttributes: { uid: 999, gid: 999, mode: 0o640 } })).toBe('');
    expect(warningsOf({ configFileAttributes: { uid: 999, gid: 999, mode: 0o644 }, filePermission: '0640' })).toBe('');
    // With environment delivery the config holds no client secret.
    expect(
      warningsOf({ filePermission: '0644', secretDelivery: { kind: 'environment', envFilePath: 'x.env' } }),
    ).not.toMatch(/mode 0644/);
  });
  it('warns when an existing env file holding the secret is readable by every user', () => {
    const env = { kind: 'environment' as const, envFilePath: 'x.env' };
    const open = { uid: 999, gid: 999, mode: 0o644 };
    expect(warningsOf({ secretDelivery: env, envFileAttributes: open })).toMatch(
      /secretDelivery\.envFilePath will have mode 0644, which lets every user on the host read the client secret.*chmod 0600/,
    );
    expect(warningsOf({ secretDelivery: env, botpressStorage: 'database', envFileAttributes: open })).toMatch(
      /mode 0644/,
    );
    expect(warningsOf({ secretDelivery: env, envFileAttributes: { ...open, mode: 0o600 } })).not.toMatch(/mode 0/);
    expect(warningsOf({ secretDelivery: env })).not.toMatch(/mode 0/); // a new env file gets 0600
  });

  it('checks configFileMode', () => {
    expect(parseFileMode('640', 'configFileMode')).toBe('0640');
    expect(() => parseFileMode('0x644', 'configFileMode')).toThrow(
      /configFileMode = "0x644": is not an octal file mode/,
    );
    expect(() => parseFileMode('0440', 'configFileMode')).toThrow(/does not let the owner read and write/);
  });
});

describeNeeding([ROOT_USER], 'the deploying user and the file owner', () => {
  /** A 999:999 botpress.config.json with `mode` in a root-owned folder. */
  function botpressFile(mode: number) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-owner-'));
    const file = path.join(dir, 'bp', 'botpress.config.json');
    mkdirSync(path.dirname(file));
    writeFileSync(file, EXAMPLE_CONFIG);
    chownSync(file, 999, 999);
    chmodSync(file, mode);
    return { dir, file };
  }
  const user = (uid: number, gid = uid, groups: number[] = []): Deployer => ({
    uid,
    gid,
    groups,
    name: uid === 0 ? 'root' : `user${uid}`,
  });

  it('lets root and the owner replace the file, and stops anyone else with the file, owner, mode, user and fixes', () => {
    const { file } = botpressFile(0o640);
    chmodSync(path.dirname(file), 0o777);
    const seen = observeHostFile('environments.prod.configFile', 'bp/botpress.config.json', file);
    expect(seen.file).toEqual(expect.objectContaining({ uid: 999, gid: 999, mode: 0o640 }));
    expect(ownershipProblem(seen, user(0))).toBeUndefined();
    expect(ownershipProblem(seen, user(999))).toBeUndefined();
    expect(ownershipProblem(seen, user(999, 1000, [999]))).toBeUndefined();
    const error = ownershipProblem(seen, user(1000));
    expect(error?.message).toMatch(
      /^environments\.prod\.configFile = "bp\/botpress\.config\.json": is \S+\/bp\/botpress\.config\.json, owned by 999:999( \(\S+:\S+\))? with mode 0640, and the deploy runs as user1000 \(uid 1000, gid 1000\): the deploying user is not its owner/,
    );
    expect(error?.message).toMatch(/Fix: run the deploy as .* or as root.*change the file's owner or the settings/);
    expect(ownershipProblem(seen, user(999, 1000))?.message).toMatch(/not in its group/);
  });

  it('stops a user who cannot write the folder, even for a file that does not exist yet', () => {
    const seen = {
      field: 'environments.prod.secret.envFile',
      value: 'bp.env',
      path: '/srv/bp/bp.env',
      folderWritable: false,
    };
    expect(ownershipProblem(seen, user(1000))?.message).toMatch(
      /is \/srv\/bp\/bp\.env \(not there yet\), in a folder that user1000 \(uid 1000, gid 1000\) cannot write/,
    );
    expect(ownershipProblem({ ...seen, folderWritable: true }, user(1000))).toBeUndefined();
  });

  it("stops a deploy that could not replace an earlier deploy's stage file", () => {
    const { dir, file } = botpressFile(0o640);
    const stage = path.join(path.dirname(file), '.botpress.config.json.botpress-sso');
    writeFileSync(stage, 'rendered by root', { mode: 0o600 });
    const settings = { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json' };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify({ environments: { prod: settings } }));
    chmodSync(path.dirname(file), 0o777);
    expect(() => loadSettings('botpress-sso.json', dir, user(999))).toThrow(
      /environments\.prod\.configFile = "bp\/botpress\.config\.json": has a stage file beside it from an earlier deploy as 0:0.*Fix: deploy as that user again, or delete the stage file/s,
    );
    expect(() => loadSettings('botpress-sso.json', dir, user(0))).not.toThrow();
    chownSync(stage, 999, 999);
    expect(() => loadSettings('botpress-sso.json', dir, user(999))).not.toThrow();
  });

  it('loadSettings checks every file it will install, for the given deploying user', () => {
    const { dir } = botpressFile(0o644);
    writeFileSync(
      path.join(dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: { prod: { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json' } },
      }),
    );
    expect(() => loadSettings('botpress-sso.json', dir, user(0))).not.toThrow();
    expect(loadSettings('botpress-sso.json', dir, user(0)).environments[0].configFileAttributes).toEqual(
      expect.objectContaining({ uid: 999, mode: 0o644 }),
    );
    expect(() => loadSettings('botpress-sso.json', dir, user(1000))).toThrow(
      /environments\.prod\.configFile = "bp\/botpress\.config\.json": is .* owned by 999:999/,
    );
    // The read-only tools (plan review, verify) only read: no deploy check.
    expect(() => loadSettings('botpress-sso.json', dir, READ_ONLY)).not.toThrow();
  });

  it('the app run by another user stops before writing anything (setpriv)', () => {
    const built = path.join(ROOT, 'dist', 'main.js');
    if (!existsSync(built)) throw new Error('dist/ is missing: run npm run build (npm ci does it)');
    const { dir, file } = botpressFile(0o644);
    copyRunnableApp(dir);
    writeFileSync(
      path.join(dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: { prod: { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json' } },
      }),
    );
    chmodSync(dir, 0o777); // the project folder is the user's; the Botpress folder is not
    const run = spawnSync(
      'setpriv',
      ['--reuid=1000', '--regid=1000', '--clear-groups', process.execPath, path.join(dir, 'dist', 'main.js')],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          CHECKPOINT_DISABLE: '1',
          CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
        },
      },
    );
    expect(run.stderr).toMatch(
      /nothing was written\.\nenvironments\.prod\.configFile = "bp\/botpress\.config\.json": is .* owned by 999:999.* with mode 0644, and the deploy runs as \S+ \(uid 1000, gid 1000\)/,
    );
    expect(run.status).toBe(1);
    expect(existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE_CONFIG);
  });
});

describeNeeding([ROOT_USER], 'the plan review', () => {
  it('shows the owner and mode the installed file keeps, and that a new env file gets 0600', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-review-host-'));
    // Two Botpress hosts: two environments may not write one file.
    for (const folder of ['bp', 'bp2']) {
      mkdirSync(path.join(dir, folder));
      const file = path.join(dir, folder, 'botpress.config.json');
      writeFileSync(file, EXAMPLE_CONFIG);
      chownSync(file, 999, 999);
      chmodSync(file, 0o640);
    }
    const env = { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json' };
    writeFileSync(
      path.join(dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: {
          kept: env,
          tightened: {
            ...env,
            configFile: 'bp2/botpress.config.json',
            configFileMode: '0600',
            secret: { delivery: 'environment', envFile: 'bp2/bp.env' },
          },
        },
      }),
    );
    const review = renderPlanReview(loadSettings('botpress-sso.json', dir), { projectDir: dir });
    expect(review).toMatch(
      /atomically, keeping the previous content in `bp\/botpress\.config\.json\.bak`; owner 999:999( \(\S+:\S+\))? kept, mode 0640 kept\./,
    );
    expect(review).toMatch(/owner 999:999( \(\S+:\S+\))? kept, mode 0640 changed to 0600 \(configFileMode\)\./);
    expect(review).toMatch(/env file `bp2\/bp\.env` \(new file: owner and group of the deploying user, mode 0600\)/);
  });
});
