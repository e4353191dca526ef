/**
 * The app reads Botpress's files the way the installer does (host/read-host-file.ts, through
 * app/host-files.ts): as root, in a data folder owned by Botpress's user (uid 999), a link, a
 * FIFO, a folder or a hard link where a file is expected is refused with an error naming the
 * environment, the field, the value, the path and the fix (no stack trace, no hang, nothing read
 * through it); bytes that are not UTF-8 are refused with their offset; two environments writing
 * one file are refused, links and other spellings included. Plus the local state finding.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettings, READ_ONLY } from '../app/load-settings';
import { stateExposureFinding } from '../app/state-exposure';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import { findingText } from '../constructs/findings';
import { thrownBy } from './support/errors';
import { describeNeeding, ROOT_USER } from './support/requirements';
import { EXAMPLE_CONFIG } from './support/stacks';

const BOTPRESS_UID = 999;
const ROOT_ONLY = '{"secret":"ROOT-ONLY-MARKER"}';

/**
 * A project (root's, 0700) with settings, beside a Botpress data folder owned by uid 999 and a
 * root-only file the attacker points at.
 */
function host(environments: Record<string, object>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-reads-'));
  chmodSync(dir, 0o755);
  const global = path.join(dir, 'data', 'global');
  mkdirSync(global, { recursive: true });
  for (const folder of [path.join(dir, 'data'), global]) chownSync(folder, BOTPRESS_UID, BOTPRESS_UID);
  const live = path.join(global, 'botpress.config.json');
  writeFileSync(live, EXAMPLE_CONFIG);
  chownSync(live, BOTPRESS_UID, BOTPRESS_UID);
  const secret = path.join(dir, 'root-only.json');
  writeFileSync(secret, ROOT_ONLY, { mode: 0o600 });
  writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify({ environments }));
  const load = () => loadSettings('botpress-sso.json', dir);
  return { dir, global, live, secret, load };
}

const env = (over: object = {}) => ({
  botpressUrl: 'https://bots.example.com',
  configFile: 'data/global/botpress.config.json',
  ...over,
});

/** The message of the input error `fn` throws; fails on anything else. */
function inputError(fn: () => unknown): string {
  const error = thrownBy(fn);
  if (!(error instanceof SsoInputError || error instanceof SsoInputErrors)) throw error;
  expect(error.message).not.toMatch(/\n\s+at /); // no stack trace
  expect(error.message).not.toContain('ROOT-ONLY-MARKER');
  return error.message;
}

describeNeeding([ROOT_USER], "the app reads Botpress's files safely, as root", () => {
  it("refuses a config that is a link planted by Botpress's user, naming environment, field, value, path and fix", () => {
    const h = host({ prod: env() });
    chmodSync(h.secret, 0o600);
    rmSync(h.live);
    symlinkSync(h.secret, h.live);
    expect(inputError(h.load)).toMatch(
      new RegExp(
        `^environments\\.prod\\.configFile = "data/global/botpress\\.config\\.json": cannot be read safely: ${h.live.replace(/[.]/g, '\\.')} is a symbolic link\\.\\n {2}Fix: `,
      ),
    );
  });

  it('refuses a FIFO in place of the config without hanging, and an env file that is a folder', () => {
    const h = host({ prod: env({ secret: { delivery: 'environment', envFile: 'data/global/bp.env' } }) });
    mkdirSync(path.join(h.global, 'bp.env'));
    expect(inputError(h.load)).toMatch(
      /^environments\.prod\.secret\.envFile = "data\/global\/bp\.env": cannot be read safely: \S+\/bp\.env is a folder, not a regular file\.\n {2}Fix: /,
    );
    rmSync(h.live);
    expect(spawnSync('mkfifo', [h.live]).status).toBe(0);
    const started = Date.now();
    expect(inputError(h.load)).toMatch(
      /environments\.prod\.configFile = .*is a FIFO \(named pipe\), not a regular file/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a hard link to a root-only file in a folder Botpress's user can change (where the kernel lets it make one)", () => {
    const h = host({ prod: env({ workspaces: ['default'] }) });
    const workspaces = path.join(h.global, 'workspaces.json');
    linkSync(h.secret, workspaces); // as root here: what uid 999 can do with fs.protected_hardlinks=0
    expect(inputError(h.load)).toMatch(
      /environments\.prod\.workspaces = "workspaces\.json": cannot be read safely: \S+\/workspaces\.json is a hard link \(one of 2 names of the same file\)/,
    );
  });

  it("refuses a folder on the way that is a link in a folder Botpress's user owns", () => {
    const h = host({ prod: env() });
    const elsewhere = path.join(h.dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    writeFileSync(path.join(elsewhere, 'botpress.config.json'), ROOT_ONLY, { mode: 0o600 });
    symlinkSync(elsewhere, path.join(h.dir, 'data', 'global2'));
    writeFileSync(
      path.join(h.dir, 'botpress-sso.json'),
      JSON.stringify({ environments: { prod: env({ configFile: 'data/global2/botpress.config.json' }) } }),
    );
    expect(inputError(h.load)).toMatch(
      /cannot be read safely: \S+\/data\/global2 is a symbolic link in \S+\/data, a folder that another user can change/,
    );
  });

  it('refuses bytes that are not UTF-8, naming the offset', () => {
    const h = host({ prod: env() });
    const bytes = Buffer.concat([
      Buffer.from('{"version":"12.30.0","label":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    writeFileSync(h.live, bytes);
    expect(inputError(h.load)).toMatch(
      /environments\.prod\.configFile = "data\/global\/botpress\.config\.json": is \S+, whose byte 33 \(0xe9\) does not start a valid UTF-8 sequence.*\n {2}Fix: save the file as UTF-8/,
    );
  });

  it('refuses two environments that write one file, under two names (a link in a trusted folder)', () => {
    const h = host({});
    // A link the deployer made in its own folder is followed: both names reach one inode.
    symlinkSync(path.join(h.dir, 'data'), path.join(h.dir, 'same-data'));
    writeFileSync(
      path.join(h.dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: {
          one: env(),
          two: env({ configFile: 'same-data/global/botpress.config.json', botpressUrl: 'https://other.example.com' }),
        },
      }),
    );
    const message = inputError(h.load);
    expect(message).toMatch(
      /environments\.two\.configFile = "same-data\/global\/botpress\.config\.json": is the same file as environments\.one\.configFile \(\S+\/data\/global\/botpress\.config\.json\); two environments writing one file/,
    );
    // The read-only tools read the same files: the refusal is about writing, so they are refused too.
    expect(() => loadSettings('botpress-sso.json', h.dir, READ_ONLY)).toThrow(/is the same file as/);
  });

  it("takes owner, group, mode and the env file's SHA-256 from what it read", () => {
    const h = host({ prod: env({ secret: { delivery: 'environment', envFile: 'data/global/bp.env' } }) });
    const envFile = path.join(h.global, 'bp.env');
    writeFileSync(envFile, '# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\n', {
      mode: 0o640,
    });
    chownSync(envFile, BOTPRESS_UID, BOTPRESS_UID);
    const [loaded] = h.load().environments;
    expect(loaded.envFileAttributes).toEqual(
      expect.objectContaining({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: 0o640 }),
    );
    expect(loaded.envFileSha256).toMatch(/^[0-9a-f]{64}$/);
    rmSync(envFile);
    expect(h.load().environments[0].envFileSha256).toBe('');
  });
});

describe('the local state finding (BPSSO-W013)', () => {
  const seen = {
    shown: 'terraform.prod.tfstate',
    folder: '/srv/project',
    folderModes: [0o755, 0o755, 0o755],
    umask: 0o022,
  };

  it('reports a state file, or its backup, that every user can read, and what a first deploy would create', () => {
    const existing = stateExposureFinding({ ...seen, stateMode: 0o644 });
    expect(existing && findingText(existing)).toMatch(
      /^terraform\.prod\.tfstate \(local state\) holds the client secret in clear text, and every user on the host can read it: \/srv\/project and the folders above it let every user in, and it has mode 0644\. Fix: chmod 700 \/srv\/project .*\[BPSSO-W013\]$/,
    );
    expect(findingText(stateExposureFinding({ ...seen, stateMode: 0o600, backupMode: 0o644 })!)).toMatch(
      /and its \.backup has mode 0644\./,
    );
    expect(findingText(stateExposureFinding(seen)!)).toMatch(
      /and the first deploy creates it with mode 0644 \(umask 0022\)\./,
    );
  });

  it('is quiet when others cannot read it: mode 0600, umask 077, or a folder on the way they cannot enter', () => {
    expect(stateExposureFinding({ ...seen, stateMode: 0o600, backupMode: 0o600 })).toBeUndefined();
    expect(stateExposureFinding({ ...seen, umask: 0o077 })).toBeUndefined();
    expect(stateExposureFinding({ ...seen, stateMode: 0o644, folderModes: [0o755, 0o700, 0o755] })).toBeUndefined();
  });

  it('is shown by the app for an environment with local state, and not for one with a backend', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-state-'));
    for (const folder of ['bp', 'bp2']) {
      mkdirSync(path.join(dir, folder));
      writeFileSync(path.join(dir, folder, 'botpress.config.json'), EXAMPLE_CONFIG);
    }
    const backend = {
      type: 'azurerm',
      resourceGroupName: 'rg',
      storageAccountName: 'sttfstate001',
      containerName: 'tfstate',
    };
    writeFileSync(
      path.join(dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: {
          local: env({ configFile: 'bp/botpress.config.json' }),
          shared: env({ configFile: 'bp2/botpress.config.json', enabled: false, backend }),
        },
      }),
    );
    // Readable by all: the folders up to / let everyone through on this machine's temp folder.
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'terraform.local.tfstate'), '{}', { mode: 0o644 });
    chmodSync(path.join(dir, 'terraform.local.tfstate'), 0o644);
    const loaded = loadSettings('botpress-sso.json', dir, READ_ONLY);
    const byName = Object.fromEntries(loaded.environments.map((e) => [e.name, e.findings.map((f) => f.id)]));
    expect(byName).toEqual({ local: ['BPSSO-W013'], shared: [] });
    chmodSync(path.join(dir, 'terraform.local.tfstate'), 0o600);
    chmodSync(dir, 0o700);
    expect(loadSettings('botpress-sso.json', dir, READ_ONLY).environments[0].findings).toEqual([]);
  });
});
