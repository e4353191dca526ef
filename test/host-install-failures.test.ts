/**
 * The install program's messages when the disk says no, caused for real: a full tmpfs (ENOSPC),
 * a read-only remount (EROFS), and the immutable attribute, which refuses root itself (EPERM).
 * Each message must name the cause, give a fix that fits it (not "run as root" to root), and say
 * exactly what was changed. The program is the bundled INSTALL_PROGRAM, run in this process.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { INSTALL_PROGRAM } from '../constructs/generated/host-programs';
import { inProcessProgram } from './support/host-actors';
import { installEnv } from './support/host-attack';
import { HostTree, makeHostTree } from './support/host-tree';
import { chattr, fillLeaving, IMMUTABLE_ATTRIBUTE, mountTmpfs, TMPFS_MOUNT } from './support/host-mounts';
import { describeNeeding, ROOT_USER } from './support/requirements';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const ORIGINAL = '{"version":"12.30.0","written":"by Botpress"}';
const install = inProcessProgram(INSTALL_PROGRAM);

/** Runs the installer for `tree` with `rendered` staged (written before the disk is made to fail). */
function runInstall(tree: HostTree) {
  return install(installEnv(tree, { BPSSO_EXPECT_SHA256: sha256(ORIGINAL) }), tree.deploy);
}

const header = (tree: HostTree) =>
  `botpress-azure-sso: could not install ${path.relative(tree.deploy, tree.live)} (owner 999:999, mode 0640) as root (uid 0, gid 0): `;
const noTemporaryFiles = (tree: HostTree) =>
  expect(readdirSync(tree.global).filter((f) => f.endsWith('.tmp'))).toEqual([]);

// Processes, mounts and a swapper that takes a core: generous on a loaded machine (a hang still ends).
jest.setTimeout(120_000);

describeNeeding([ROOT_USER, TMPFS_MOUNT], 'install messages on a full or read-only disk (tmpfs)', () => {
  let scratch: string;
  let mount: ReturnType<typeof mountTmpfs>;
  let tree: HostTree;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'bpsso-mounts-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  beforeEach(() => {
    const mountPoint = mkdtempSync(path.join(scratch, 'disk-'));
    mount = mountTmpfs(mountPoint, 256);
    tree = makeHostTree({ root: mountPoint });
  });
  afterEach(() => {
    try {
      expect(tree.secrets.problems()).toEqual([]);
    } finally {
      mount.unmount();
    }
  });

  it('full before anything is written: "Nothing was changed"; full after the backup: says the backup was rewritten', () => {
    writeFileSync(tree.stage, `{"rendered":"${'x'.repeat(9000)}"}`, { mode: 0o600 });
    const filler = path.join(tree.base, 'filler');
    fillLeaving(filler, 0);
    let result = runInstall(tree);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^${escape(header(tree))}${escape(tree.global)}/\\.botpress\\.config\\.json\\.botpress-sso-[0-9a-f]{16}\\.tmp cannot be written: the disk \\(or its inodes\\) is full\\n` +
          '  Nothing was changed\\.\\n' +
          '  Fix: free space on the disk that holds it \\(df -h, df -i\\), then deploy again\\n$',
      ),
    );
    expect(readFileSync(tree.live, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(tree.global)).toEqual(['botpress.config.json']);

    // Room for the backup (one page) but not for the 9 KB rendered file.
    fillLeaving(filler, 4096);
    result = runInstall(tree);
    expect(result.stderr).toContain(
      `\n  ${tree.live} was left as it is; ${tree.backup} was rewritten with the content it had when this install started. Nothing else was changed.\n`,
    );
    expect(readFileSync(tree.live, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(tree.backup, 'utf8')).toBe(ORIGINAL);
    noTemporaryFiles(tree);
  });

  it('a read-only file system: says so, and that nothing was changed', () => {
    writeFileSync(tree.stage, '{"rendered":1}', { mode: 0o600 });
    mount.readOnly();
    let result;
    try {
      result = runInstall(tree);
    } finally {
      mount.readWrite();
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      / is on a read-only file system\n {2}Nothing was changed\.\n {2}Fix: remount it read-write/,
    );
    expect(readFileSync(tree.live, 'utf8')).toBe(ORIGINAL);
  });

  it("the live file replaced, but the receipt's disk full: says exactly that, and what the next deploy does", () => {
    const receiptDisk = mountTmpfs(tree.deploy, 16, '0700');
    try {
      writeFileSync(tree.stage, '{"rendered":1}', { mode: 0o600 });
      fillLeaving(path.join(tree.deploy, 'filler'), 0);
      const result = runInstall(tree);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `  ${tree.live} WAS replaced with the rendered content (owner, group and mode kept); ${tree.backup} holds the content ` +
          `from before this install. Only the receipt ${tree.receipt} could not be updated: the next deploy runs the installer ` +
          'again, which finds the rendered content in place and changes nothing.\n',
      );
      expect(result.stderr).toMatch(/cannot be written: the disk \(or its inodes\) is full/);
      expect(result.stderr).not.toMatch(/Nothing was changed/);
      expect(readFileSync(tree.live, 'utf8')).toBe('{"rendered":1}');
    } finally {
      receiptDisk.unmount();
    }
  });
});

describeNeeding(
  [ROOT_USER, IMMUTABLE_ATTRIBUTE],
  'install messages when root itself is refused (immutable attribute)',
  () => {
    it('tells root what refuses root (not to run as root), and what was changed', () => {
      const tree = makeHostTree({ root: tmpdir() });
      try {
        writeFileSync(tree.stage, '{"rendered":1}', { mode: 0o600 });
        chattr('+i', tree.global);
        let result: { code: number; stderr: string };
        try {
          result = runInstall(tree);
        } finally {
          chattr('-i', tree.global);
        }
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          /cannot be changed: permission denied to root \(EPERM\)\n {2}Nothing was changed\.\n {2}Fix: root itself was refused: look for an immutable or append-only attribute \(lsattr\)/,
        );
        expect(result.stderr).not.toMatch(/run the deploy as/);

        // The receipt's folder immutable: the live file is installed, the receipt is not.
        chattr('+i', tree.deploy);
        try {
          result = runInstall(tree);
        } finally {
          chattr('-i', tree.deploy);
        }
        expect(result.stderr).toMatch(
          /WAS replaced with the rendered content .* Only the receipt .* could not be updated/,
        );
        expect(readFileSync(tree.live, 'utf8')).toBe('{"rendered":1}');
        expect(tree.secrets.problems()).toEqual([]);
      } finally {
        tree.remove();
      }
    });
  },
);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
