/**
 * The pure rules of host/: which folders are trusted, what a failed system call means and what
 * fixes it, what an interrupted install leaves, the receipt chain, the programs' environment, and
 * the failure message's account of what was changed.
 */
import { createHash } from 'node:crypto';
import { adviceFor, asRefusal } from '../host/io-advice';
import { describeProgress, InstallFailure, newProgress } from '../host/install-progress';
import { failureMessage } from '../host/install-program';
import { isTrustedFolder } from '../host/pinned-folder';
import { installRequestFromEnv, removeRequestFromEnv } from '../host/program-env';
import { nextReceipt } from '../host/receipt';
import { HostFileRefusal } from '../host/refusal';
import { isLeftover, randomTempName } from '../host/temp-file';
import { thrownBy } from './support/errors';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('trusted folders: only root or the running user can change their entries', () => {
  it.each([
    [0, 0o755, 1000, true],
    [0, 0o700, 1000, true],
    [1000, 0o755, 1000, true],
    [999, 0o755, 0, false], // Botpress's data folder, seen by a root deploy
    [0, 0o775, 1000, false], // a group may write
    [0, 0o1777, 1000, false], // /tmp: sticky, but anyone may add a link
    [1000, 0o757, 1000, false],
    [999, 0o755, 999, true], // deploying as Botpress's user: its own folders
  ])('owner %i, mode %o, deployer %i: %s', (uid, mode, euid, trusted) => {
    expect(isTrustedFolder({ uid, mode }, euid)).toBe(trusted);
  });
});

describe('what a failed system call means, and a fix that fits its cause', () => {
  const asRoot = { path: '/data/global/botpress.config.json', asRoot: true, user: 'root (uid 0, gid 0)' };
  const asUser = { ...asRoot, asRoot: false, user: 'deploy (uid 1000, gid 1000)' };

  it('a full disk or quota is not fixed by running as root', () => {
    expect(adviceFor('ENOSPC', '', asRoot)).toEqual({
      problem: 'cannot be written: the disk (or its inodes) is full',
      fix: 'free space on the disk that holds it (df -h, df -i), then deploy again',
    });
    expect(adviceFor('EDQUOT', '', asUser).problem).toMatch(/quota is exhausted/);
    expect(adviceFor('ENOSPC', '', asUser).fix).not.toMatch(/root/);
  });

  it('a read-only file system says so', () => {
    expect(adviceFor('EROFS', '', asRoot)).toEqual({
      problem: 'is on a read-only file system',
      fix: expect.stringMatching(/^remount it read-write/),
    });
  });

  it('permission denied: root is told what refuses root, anyone else to run as the owner or root', () => {
    for (const errno of ['EACCES', 'EPERM']) {
      const root = adviceFor(errno, '', asRoot);
      expect(root.problem).toBe(`cannot be changed: permission denied to root (${errno})`);
      expect(root.fix).toMatch(/immutable or append-only attribute \(lsattr\).*root_squash.*SELinux, AppArmor/);
      expect(root.fix).not.toMatch(/run the deploy as/);
      const user = adviceFor(errno, '', asUser);
      expect(user.problem).toBe(`cannot be changed: permission denied to deploy (uid 1000, gid 1000) (${errno})`);
      expect(user.fix).toMatch(/^run the deploy as the file's owner or as root \(the owner, group and mode are kept\)/);
    }
  });

  it('a link is named as one, with why it is never followed', () => {
    const refusal = asRefusal(Object.assign(new Error('ELOOP: too many symbolic links'), { code: 'ELOOP' }), asRoot);
    expect(refusal).toMatchObject({
      code: 'symbolic-link',
      path: asRoot.path,
      problem: 'is a symbolic link',
      errno: 'ELOOP',
    });
    expect(refusal.fix).toMatch(/never follows a link in a folder that another user .* can change/);
  });

  it('an unknown error keeps its text; a refusal passes through as it is', () => {
    expect(adviceFor('EWEIRD', 'EWEIRD: something', asRoot).problem).toBe('cannot be used: EWEIRD: something');
    const refusal = new HostFileRefusal('hard-link', '/x', 'is a hard link', 'copy it');
    expect(asRefusal(refusal, asRoot)).toBe(refusal);
    expect(asRefusal('a string', asRoot)).toMatchObject({ code: 'io', problem: 'cannot be used: a string' });
  });
});

describe('leftovers of an interrupted install', () => {
  it.each([
    ['.botpress.config.json.botpress-sso-0123456789abcdef.tmp', true], // ours
    ['.botpress.config.json.4242.tmp', true], // 0.2's temporary file
    ['.botpress.config.json.bak.4242.tmp', true], // 0.2's backup temporary file
    ['.botpress.config.json.botpress-sso-receipt', true], // 0.2's receipt (now beside the stage)
    ['..botpress.config.json.botpress-sso-receipt.4242.tmp', true], // 0.2's receipt temporary file
    ['botpress.config.json', false],
    ['botpress.config.json.bak', false],
    ['.botpress.config.json.botpress-sso', false], // 0.2's stage: the local provider's resource
    ['.botpress.config.json.botpress-sso-0123456789ABCDEF.tmp', false],
    ['.botpress.config.json.botpress-sso-0123.tmp', false],
    ['.workspaces.json.4242.tmp', false], // another file's
    ['.botpressXconfig.json.4242.tmp', false], // the dot is not a wildcard
  ])('%s: %s', (entry, leftover) => {
    expect(isLeftover('botpress.config.json', entry)).toBe(leftover);
  });

  it('every temporary name drawn is a leftover of its file (so that the next install removes it)', () => {
    for (let i = 0; i < 50; i++) expect(isLeftover('bp.env', randomTempName('bp.env'))).toBe(true);
  });
});

describe('the receipt chain', () => {
  it("is sha256(sha256(replaced) + receipt), as constructs/private/managed-file.ts's plan expression computes it", () => {
    const first = nextReceipt('', '');
    expect(first).toBe(sha256(''));
    const replaced = sha256('{"a":1}');
    expect(nextReceipt(replaced, first)).toBe(sha256(replaced + first));
  });
});

describe("the programs' environment", () => {
  const env = {
    BPSSO_STAGE: 'stage',
    BPSSO_RECEIPT: 'receipt',
    BPSSO_LIVE: '../../../data/global/botpress.config.json',
    BPSSO_MODE: '',
    BPSSO_DEFAULT_MODE: '0600',
  };

  it('resolves relative paths from the working directory, reads modes in octal, expectation unset / empty / hex', () => {
    expect(installRequestFromEnv(env, '/srv/project/cdktf.out/stacks/dev')).toEqual({
      stage: '/srv/project/cdktf.out/stacks/dev/stage',
      receipt: '/srv/project/cdktf.out/stacks/dev/receipt',
      live: '/srv/project/data/global/botpress.config.json',
      mode: undefined,
      defaultMode: 0o600,
      expectSha256: undefined,
      name: 'botpress.config.json',
    });
    const hex = sha256('x').toUpperCase();
    expect(
      installRequestFromEnv({ ...env, BPSSO_MODE: '640', BPSSO_EXPECT_SHA256: hex, BPSSO_NAME: 'config' }, '/'),
    ).toMatchObject({
      mode: 0o640,
      expectSha256: hex.toLowerCase(),
      name: 'config',
    });
    expect(installRequestFromEnv({ ...env, BPSSO_EXPECT_SHA256: '' }, '/').expectSha256).toBe('');
    expect(removeRequestFromEnv(env, '/p/a/b/c')).toEqual({
      live: '/p/data/global/botpress.config.json',
      receipt: '/p/a/b/c/receipt',
    });
  });

  it.each([
    ['BPSSO_LIVE', undefined, 'is missing: it must name a file'],
    ['BPSSO_STAGE', '', 'is missing: it must name a file'],
    ['BPSSO_MODE', '0o600', 'is not an octal file mode of at most 0777'],
    ['BPSSO_MODE', '4755', 'is not an octal file mode of at most 0777'],
    ['BPSSO_DEFAULT_MODE', '', 'is not an octal file mode of at most 0777'],
    ['BPSSO_EXPECT_SHA256', 'abc', 'is neither empty nor a SHA-256 in hex'],
  ])('refuses %s=%s: %s', (variable, value, problem) => {
    const error = thrownBy(() => installRequestFromEnv({ ...env, [variable]: value }, '/')) as HostFileRefusal;
    expect(error).toMatchObject({
      code: 'bad-environment',
      path: `${variable}=${JSON.stringify(value ?? null)}`,
      problem,
    });
  });
});

describe("the failure message's account of what was changed", () => {
  const paths = { live: '/d/botpress.config.json', backup: '/d/botpress.config.json.bak', receipt: '/s/receipt' };

  it('"Nothing was changed" only when nothing was', () => {
    expect(describeProgress(newProgress(), paths)).toBe('Nothing was changed.');
    expect(describeProgress({ ...newProgress(), leftoversRemoved: ['.x.1.tmp'] }, paths)).toBe(
      'Leftovers of an interrupted install were removed: .x.1.tmp. Nothing else was changed.',
    );
    expect(describeProgress({ ...newProgress(), backupWritten: true }, paths)).toBe(
      '/d/botpress.config.json was left as it is; /d/botpress.config.json.bak was rewritten with the content it had when ' +
        'this install started. Nothing else was changed.',
    );
    expect(describeProgress({ ...newProgress(), modeSet: 0o600 }, paths)).toBe(
      'The mode of /d/botpress.config.json was set to 0600. Nothing else was changed.',
    );
  });

  it('a replaced file whose receipt failed says both, and what the next deploy does', () => {
    expect(
      describeProgress({ ...newProgress(), backupWritten: true, live: 'installed', receiptFailed: true }, paths),
    ).toBe(
      '/d/botpress.config.json WAS replaced with the rendered content (owner, group and mode kept); ' +
        '/d/botpress.config.json.bak holds the content from before this install. Only the receipt /s/receipt could not be ' +
        'updated: the next deploy runs the installer again, which finds the rendered content in place and changes nothing.',
    );
    expect(describeProgress({ ...newProgress(), live: 'created', receiptFailed: true }, paths)).toMatch(
      /^\/d\/botpress.config.json WAS created/,
    );
  });

  it("a write by Botpress during the install: put back, or its newer write kept; never 'nothing was changed'", () => {
    expect(describeProgress({ ...newProgress(), backupWritten: true, live: 'put-back' }, paths)).toBe(
      'That write was put back in /d/botpress.config.json (owner, group and mode kept): the rendered content is NOT ' +
        'installed; /d/botpress.config.json.bak holds the content from before this install.',
    );
    expect(describeProgress({ ...newProgress(), backupWritten: true, live: 'botpress-last' }, paths)).toMatch(
      /holds the other process's last write, made after the installer replaced the file: the rendered content is NOT installed/,
    );
  });

  it('the program prints the file as given, its owner and mode, the user, the problem, the state and the fix', () => {
    const refusal = new HostFileRefusal(
      'symbolic-link',
      '/d/botpress.config.json.bak',
      'is a symbolic link',
      'remove the link',
    );
    const progress = { ...newProgress(), found: { uid: 999, gid: 999, mode: 0o640 } };
    const message = failureMessage(
      '../../../botpress.config.json',
      { live: paths.live, receipt: paths.receipt },
      new InstallFailure(refusal, progress),
    );
    expect(message).toMatch(
      /^botpress-azure-sso: could not install \.\.\/\.\.\/\.\.\/botpress\.config\.json \(owner 999:999, mode 0640\) as .+: \/d\/botpress\.config\.json\.bak is a symbolic link\n {2}Nothing was changed\.\n {2}Fix: remove the link\n$/,
    );
    const fresh = failureMessage('x', undefined, new InstallFailure(refusal, { ...newProgress(), found: null }));
    expect(fresh).toMatch(/could not install x \(a new file\) as /);
  });
});
