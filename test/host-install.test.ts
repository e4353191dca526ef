/**
 * The installer's steps (host/install-file.ts), run in this process as root against a folder
 * owned by Botpress's user (uid 999), with the test seams InstallHooks offers to put a write by
 * "Botpress" exactly where a race would: between the last check and the rename. The bundled
 * program itself is run in host-programs.test.ts and proofs/host-races.test.ts.
 */
import { spawn, execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { InstallHooks, installFile, InstallRequest } from '../host/install-file';
import { InstallFailure, newProgress } from '../host/install-progress';
import { putBackLateWrite } from '../host/late-writes';
import { withFolder } from '../host/pinned-folder';
import { sleepMs } from '../host/platform';
import { nextReceipt } from '../host/receipt';
import { writeTemp } from '../host/temp-file';
import { thrownBy } from './support/errors';
import { attributesOf, mkdirOwned, plantLink, sha256, writeOwned } from './support/host-tree';
import { hostTreePerTest } from './support/host-tree-per-test';
import { describeNeeding, ROOT_USER } from './support/requirements';

const ORIGINAL = '{"version":"12.30.0","written":"by Botpress"}';

// Processes, mounts and a swapper that takes a core: generous on a loaded machine (a hang still ends).
jest.setTimeout(120_000);

describeNeeding([ROOT_USER], "installing a rendered file in Botpress's folder (host/install-file.ts)", () => {
  const tree = hostTreePerTest();

  /** What synthesis would hand the installer: `rendered` staged, the live file's hash as the base. */
  function request(rendered: string, extra: Partial<InstallRequest> = {}): InstallRequest {
    writeFileSync(tree().stage, rendered, { mode: 0o600 });
    const expectSha256 = existsSync(tree().live) ? sha256(readFileSync(tree().live)) : '';
    return {
      stage: tree().stage,
      receipt: tree().receipt,
      live: tree().live,
      defaultMode: 0o600,
      expectSha256,
      name: 'botpress.config.json',
      ...extra,
    };
  }
  const failureOf = (req: InstallRequest, hooks?: InstallHooks) =>
    thrownBy(() => installFile(req, hooks)) as InstallFailure;
  const liveFolder = () => readdirSync(tree().global).sort();

  it('replaces the file keeping owner, group and mode, keeps the previous content in .bak, extends the receipt', () => {
    expect(installFile(request('{"rendered":1}')).kind).toBe('replaced');
    expect(readFileSync(tree().live, 'utf8')).toBe('{"rendered":1}');
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    expect(readFileSync(tree().backup, 'utf8')).toBe(ORIGINAL);
    expect(attributesOf(tree().backup)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    const first = nextReceipt(sha256(ORIGINAL), '');
    expect(readFileSync(tree().receipt, 'utf8')).toBe(first);
    expect(attributesOf(tree().receipt)).toEqual({ uid: 0, gid: 0, mode: 0o644 });
    expect(liveFolder()).toEqual(['botpress.config.json', 'botpress.config.json.bak']);

    expect(installFile(request('{"rendered":2}')).kind).toBe('replaced');
    expect(readFileSync(tree().receipt, 'utf8')).toBe(nextReceipt(sha256('{"rendered":1}'), first));
    const receipt = readFileSync(tree().receipt, 'utf8');
    // The same rendered text again: nothing to do, and the receipt stays.
    expect(installFile(request('{"rendered":2}')).kind).toBe('unchanged');
    expect(readFileSync(tree().receipt, 'utf8')).toBe(receipt);
    expect(readFileSync(tree().backup, 'utf8')).toBe('{"rendered":1}');
  });

  it('keeps the permission bits only (a set-id bit is not copied) and applies a mode override to the file and the backup', () => {
    chmodSync(tree().live, 0o2640);
    installFile(request('{"rendered":1}'));
    expect(attributesOf(tree().live).mode).toBe(0o640);
    installFile(request('{"rendered":2}', { mode: 0o600 }));
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o600 });
    expect(attributesOf(tree().backup)).toEqual({ uid: 999, gid: 999, mode: 0o600 });
  });

  it('already installed: sets only the mode override, and only on a backup of the same owner', () => {
    installFile(request('{"rendered":1}'));
    const result = installFile(request('{"rendered":1}', { mode: 0o600 }));
    expect(result).toMatchObject({ kind: 'unchanged', progress: { modeSet: 0o600 } });
    expect(attributesOf(tree().live).mode).toBe(0o600);
    expect(attributesOf(tree().backup).mode).toBe(0o600);
    chownSync(tree().backup, 0, 0);
    installFile(request('{"rendered":1}', { mode: 0o640 }));
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    expect(attributesOf(tree().backup)).toEqual({ uid: 0, gid: 0, mode: 0o600 });
  });

  it('a new file: made by the deployer with the default mode; refused, changing nothing, when one appears meanwhile', () => {
    rmSync(tree().live);
    expect(installFile(request('{"rendered":1}')).kind).toBe('created');
    expect(attributesOf(tree().live)).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    expect(readFileSync(tree().receipt, 'utf8')).toBe(nextReceipt('', ''));

    rmSync(tree().live);
    const req = request('{"rendered":2}', { mode: 0o640 });
    // Botpress writes a default file when it finds none: the install must not replace it.
    const failure = failureOf(req, { afterLastCheck: () => writeOwned(tree().live, '{"default":true}', 999, 0o644) });
    expect(failure.refusal).toMatchObject({ code: 'changed-during-install', path: tree().live });
    expect(failure.refusal.problem).toMatch(/was created by another process while the installer was working/);
    expect(failure.progress.live).toBe('as-was');
    expect(readFileSync(tree().live, 'utf8')).toBe('{"default":true}');
    expect(liveFolder()).toEqual(['botpress.config.json']);

    rmSync(tree().live);
    installFile(request('{"rendered":3}', { mode: 0o640 }));
    expect(attributesOf(tree().live)).toEqual({ uid: 0, gid: 0, mode: 0o640 });
  });

  it('lost-update check: a file changed, created or removed after synthesis is left as it is', () => {
    const stale = failureOf(request('{"rendered":1}', { expectSha256: sha256('what synthesis saw') }));
    expect(stale.refusal).toMatchObject({
      code: 'changed-after-synthesis',
      path: tree().live,
      problem: 'changed after synthesis: it no longer holds what synthesis merged the settings into',
      fix: 'deploy again (cdktf deploy): synthesis reads the file again and merges into what it holds now',
    });
    expect(stale.progress).toEqual({ ...newProgress(), found: { uid: 999, gid: 999, mode: 0o640 } });
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);
    expect(liveFolder()).toEqual(['botpress.config.json']);

    expect(failureOf(request('{"rendered":1}', { expectSha256: '' })).refusal.problem).toBe(
      'was created after synthesis (synthesis found no file)',
    );
    const before = sha256(readFileSync(tree().live));
    rmSync(tree().live);
    expect(failureOf(request('{"rendered":1}', { expectSha256: before })).refusal.problem).toMatch(
      /^was removed after synthesis/,
    );
    expect(existsSync(tree().live)).toBe(false);
    // No expectation: no check.
    writeOwned(tree().live, 'anything', 999, 0o640);
    expect(installFile(request('{"rendered":1}', { expectSha256: undefined })).kind).toBe('replaced');
    // Already holding the rendered text: nothing is overwritten, whatever synthesis saw.
    expect(installFile(request('{"rendered":1}', { expectSha256: sha256('other') })).kind).toBe('unchanged');
  });

  it('Botpress writes between the last check and the rename: its write is put back, and the install fails saying so', () => {
    const write = '{"version":"12.30.0","botpress":"saved in the admin UI"}';
    const failure = failureOf(request('{"rendered":1}'), { afterLastCheck: () => writeFileSync(tree().live, write) });
    expect(failure.refusal).toMatchObject({ code: 'written-during-install', path: tree().live });
    expect(failure.refusal.problem).toMatch(
      /^was written by another process after the installer last checked it and before it was replaced/,
    );
    expect(failure.progress).toMatchObject({ live: 'put-back', backupWritten: true });
    expect(readFileSync(tree().live, 'utf8')).toBe(write);
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    expect(readFileSync(tree().backup, 'utf8')).toBe(ORIGINAL);
    expect(existsSync(tree().receipt)).toBe(false);
    expect(liveFolder()).toEqual(['botpress.config.json', 'botpress.config.json.bak']);
  });

  it('Botpress truncates before the rename and writes after it (an async writeFile): the write is awaited and put back', () => {
    const write = '{"version":"12.30.0","botpress":"written a turn later"}';
    const truncated = path.join(tree().botpress, 'truncated'); // where Botpress's user may write
    const failure = failureOf(request('{"rendered":1}'), {
      settle: { stableMs: 50, maxMs: 10000 },
      afterLastCheck: () => {
        // As Botpress's user: open with O_TRUNC (the shell's >), then write 0.2 s later.
        spawn(
          'setpriv',
          [
            '--reuid=999',
            '--regid=999',
            '--clear-groups',
            'sh',
            '-c',
            'exec 3>"$1"; : > "$2"; sleep 0.2; printf %s "$3" >&3',
            'w',
            tree().live,
            truncated,
            write,
          ],
          {
            stdio: 'ignore',
          },
        );
        for (let waited = 0; !existsSync(truncated) && waited < 10000; waited += 5) sleepMs(5);
      },
    });
    expect(failure.refusal.message).toMatch(/was written by another process after the installer last checked it/);
    expect(failure.progress.live).toBe('put-back');
    expect(readFileSync(tree().live, 'utf8')).toBe(write);
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
  });

  it('put back: a newer write into the installed file stays; a truncation never written is reported as a loss', () => {
    const installed = Buffer.from('{"rendered":1}');
    const putBack = (late: string, afterInstall: () => void) =>
      thrownBy(() =>
        withFolder(tree().global, { create: false }, (folder) => {
          // The state right after the installer's rename: `installed` in place, still open.
          const temp = writeTemp(folder!, 'botpress.config.json', installed, {
            owner: { uid: 999, gid: 999 },
            mode: 0o640,
          });
          renameSync(temp.name, 'botpress.config.json');
          afterInstall();
          const progress = { ...newProgress(), live: 'installed' as const, backupWritten: true };
          try {
            putBackLateWrite({
              folder: folder!,
              name: 'botpress.config.json',
              installed: temp,
              installedBytes: installed,
              late: Buffer.from(late),
              owner: { uid: 999, gid: 999 },
              mode: 0o640,
              progress,
            });
          } catch (error) {
            throw Object.assign(error as Error, { progress });
          } finally {
            closeSync(temp.fd);
          }
        }),
      ) as Error & { code: string; problem: string; progress: { live: string } };

    const newer = putBack('{"older":true}', () => writeFileSync(tree().live, '{"newer":true}'));
    expect(newer).toMatchObject({ code: 'written-during-install', progress: { live: 'botpress-last' } });
    expect(newer.problem).toMatch(/, and again after that$/);
    expect(readFileSync(tree().live, 'utf8')).toBe('{"newer":true}');

    const truncated = putBack('', () => undefined);
    expect(truncated.problem).toMatch(
      /was truncated by another process .* and not written within 2000 ms .*: if that write still comes, it goes to the replaced file and is lost$/,
    );
    expect(truncated.progress.live).toBe('installed');
    expect(readFileSync(tree().live, 'utf8')).toBe('{"rendered":1}');
    expect(liveFolder()).toEqual(['botpress.config.json']);
  });

  it('temporary names: a link or FIFO planted under a name drawn is never opened, another name is drawn', () => {
    plantLink(tree().secretFile, path.join(tree().global, '.planted-link'));
    execFileSync('mkfifo', [path.join(tree().global, '.planted-fifo')]);
    const names = ['.planted-link', '.planted-fifo'];
    let drawn = 0;
    const namer = (name: string) => names[drawn++] ?? `.${name}.botpress-sso-${String(drawn).padStart(16, '0')}.tmp`;
    installFile(request('{"rendered":1}'), { namer });
    expect(drawn).toBe(4); // two refused, one for the backup, one for the new file
    expect(readlinkSync(path.join(tree().global, '.planted-link'))).toBe(tree().secretFile);
    expect(readFileSync(tree().live, 'utf8')).toBe('{"rendered":1}');
    rmSync(path.join(tree().global, '.planted-link'));
  });

  it('removes leftovers of an interrupted install without following links; other files, and a receipt kept there, stay', () => {
    const at = (name: string) => path.join(tree().global, name);
    plantLink(tree().secretFile, at('.botpress.config.json.botpress-sso-0123456789abcdef.tmp'));
    writeOwned(at('.botpress.config.json.4242.tmp'), '{"clientSecret":"left by 0.2"}', 0, 0o600);
    plantLink(tree().secretFile, at('.botpress.config.json.bak.4242.tmp'));
    writeOwned(at('.botpress.config.json.botpress-sso-receipt'), 'old receipt', 0, 0o644);
    mkdirSync(at('.botpress.config.json.77.tmp')); // not a file: left
    writeOwned(at('notes.txt'), 'mine', 999, 0o644);
    const result = installFile(request('{"rendered":1}'));
    expect(result.progress.leftoversRemoved.sort()).toEqual([
      '.botpress.config.json.4242.tmp',
      '.botpress.config.json.bak.4242.tmp',
      '.botpress.config.json.botpress-sso-0123456789abcdef.tmp',
      '.botpress.config.json.botpress-sso-receipt',
    ]);
    expect(liveFolder()).toEqual([
      '.botpress.config.json.77.tmp',
      'botpress.config.json',
      'botpress.config.json.bak',
      'notes.txt',
    ]);

    // A receipt that the deploy keeps in this folder under 0.2's name is not a leftover.
    const receipt = at('.botpress.config.json.botpress-sso-receipt');
    installFile(request('{"rendered":2}', { receipt }));
    installFile(request('{"rendered":3}', { receipt }));
    expect(readFileSync(receipt, 'utf8')).toBe(
      nextReceipt(sha256('{"rendered":2}'), nextReceipt(sha256('{"rendered":1}'), '')),
    );
  });

  it('refuses a .bak, stage or receipt that is a link or not a regular file, before changing anything', () => {
    plantLink(tree().secretFile, tree().backup);
    let failure = failureOf(request('{"rendered":1}'));
    expect(failure.refusal).toMatchObject({ code: 'symbolic-link', path: tree().backup });
    expect(readlinkSync(tree().backup)).toBe(tree().secretFile);
    rmSync(tree().backup);
    execFileSync('mkfifo', [tree().backup]);
    expect(failureOf(request('{"rendered":1}')).refusal).toMatchObject({ code: 'not-regular', path: tree().backup });
    rmSync(tree().backup);
    linkSync(tree().secretFile, tree().backup);
    expect(failureOf(request('{"rendered":1}')).refusal).toMatchObject({ code: 'hard-link', path: tree().backup });
    rmSync(tree().backup);
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);

    // A stage folder that Botpress's user can change (a misplaced stage): links there are refused.
    const foreign = path.join(tree().botpress, 'stage');
    mkdirOwned(foreign, 999, 0o755);
    plantLink(tree().secretFile, path.join(foreign, 'stage'));
    failure = failureOf({ ...request('x'), stage: path.join(foreign, 'stage') });
    expect(failure.refusal).toMatchObject({ code: 'symbolic-link', path: path.join(foreign, 'stage') });
    writeOwned(path.join(foreign, 'rendered'), '{"rendered":1}', 999, 0o600);
    plantLink(tree().secretFile, path.join(foreign, 'receipt'));
    failure = failureOf({
      ...request('x'),
      stage: path.join(foreign, 'rendered'),
      receipt: path.join(foreign, 'receipt'),
    });
    expect(failure.refusal).toMatchObject({ code: 'symbolic-link', path: path.join(foreign, 'receipt') });
    expect(failure.progress).toEqual(newProgress());
    rmSync(foreign, { recursive: true });

    rmSync(tree().stage);
    failure = failureOf({ ...request('x'), stage: path.join(tree().deploy, 'missing') });
    expect(failure.refusal).toMatchObject({ code: 'stage-missing', path: path.join(tree().deploy, 'missing') });
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);
    expect(liveFolder()).toEqual(['botpress.config.json']);
  });

  it('creates a missing live folder (as the local provider would), entering what it made the same safe way', () => {
    const live = path.join(tree().data, 'new', 'deeper', 'bp.env');
    installFile(request('SECRET=1\n', { live, expectSha256: '' }));
    expect(readFileSync(live, 'utf8')).toBe('SECRET=1\n');
    expect(attributesOf(live)).toEqual({ uid: 0, gid: 0, mode: 0o600 });
  });
});
