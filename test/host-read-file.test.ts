/**
 * The app's read of a host file at synthesis (host/read-host-file.ts), as root, in a folder owned
 * by Botpress's user (uid 999) who plants links, FIFOs, sockets and hard links, and swaps folders
 * and files for links as fast as it can. Every test ends by checking that no root-only file was
 * read (its access time, relatime) or changed, and that its content reached no other file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { readHostFile } from '../host/read-host-file';
import { HostFileRefusal } from '../host/refusal';
import { thrownBy } from './support/errors';
import { startSwapper } from './support/host-actors';
import { plantLink } from './support/host-tree';
import { hostTreePerTest } from './support/host-tree-per-test';
import { describeNeeding, ROOT_USER } from './support/requirements';

const refusalOf = (file: string) => thrownBy(() => readHostFile(file)) as HostFileRefusal;

/** Puts a link to `target` in place of `real` (moved aside) while `use` runs. */
function withLinkAt<T>(real: string, target: string, use: () => T): T {
  renameSync(real, `${real}.aside`);
  plantLink(target, real);
  try {
    return use();
  } finally {
    rmSync(real);
    renameSync(`${real}.aside`, real);
  }
}

// Processes, mounts and a swapper that takes a core: generous on a loaded machine (a hang still ends).
jest.setTimeout(120_000);

describeNeeding(
  [ROOT_USER],
  "reading a host file at synthesis, against Botpress's user (host/read-host-file.ts)",
  () => {
    const tree = hostTreePerTest();

    it('reads content, owner, group and mode through one descriptor, says whether its folder is trusted, and puts the working directory back', () => {
      const cwd = process.cwd();
      expect(readHostFile(tree().live)).toEqual({
        bytes: Buffer.from('{"version":"12.30.0","written":"by Botpress"}'),
        uid: 999,
        gid: 999,
        mode: 0o640,
        folderTrusted: false,
        folderWritable: true,
        identity: expect.stringMatching(/^\d+:\d+$/),
      });
      writeFileSync(tree().stage, 'rendered', { mode: 0o600 });
      expect(readHostFile(tree().stage)).toMatchObject({
        uid: 0,
        mode: 0o600,
        folderTrusted: true,
        folderWritable: true,
      });
      expect(process.cwd()).toBe(cwd);
      // A relative path is relative to the working directory, as for the app's other files.
      expect(readHostFile(path.relative(cwd, tree().live))?.uid).toBe(999);
      expect(readHostFile(path.join(tree().global, 'missing.json'))).toBeUndefined();
      expect(readHostFile(path.join(tree().global, 'no', 'such', 'folder.json'))).toBeUndefined();
      expect(process.cwd()).toBe(cwd);
    });

    it('refuses a link at the file, at its folder and at a parent folder, naming it; the root-only file is never read', () => {
      const cwd = process.cwd();
      withLinkAt(tree().live, tree().secretFile, () =>
        expect(refusalOf(tree().live)).toMatchObject({
          code: 'symbolic-link',
          path: tree().live,
          problem: 'is a symbolic link',
        }),
      );
      withLinkAt(tree().global, tree().secretGlobal, () =>
        expect(refusalOf(tree().live)).toMatchObject({
          code: 'link-in-path',
          path: tree().global,
          problem: `is a symbolic link in ${tree().data}, a folder that another user can change (owner uid 999, mode 0755)`,
        }),
      );
      withLinkAt(tree().data, tree().secretData, () =>
        expect(refusalOf(tree().live)).toMatchObject({ code: 'link-in-path', path: tree().data }),
      );
      // A dangling link is refused the same way: it could be made to point anywhere later.
      withLinkAt(tree().live, path.join(tree().secretDir, 'no-such-file'), () =>
        expect(refusalOf(tree().live).code).toBe('symbolic-link'),
      );
      expect(process.cwd()).toBe(cwd);
    });

    it('follows a link in a trusted folder, then checks the rest of the way again', () => {
      // tree().base is root's (0755): a link there was made by root.
      symlinkSync('botpress', path.join(tree().base, 'alias'));
      symlinkSync(path.join(tree().base, 'alias'), path.join(tree().base, 'alias-of-alias'));
      expect(readHostFile(path.join(tree().base, 'alias', 'data', 'global', 'botpress.config.json'))?.uid).toBe(999);
      expect(
        readHostFile(path.join(tree().base, 'alias-of-alias', 'data', 'global', 'botpress.config.json'))?.uid,
      ).toBe(999);
      // A trusted link to a path through a link that Botpress's user planted: refused at that link.
      plantLink(tree().secretGlobal, path.join(tree().data, 'planted'));
      symlinkSync(path.join(tree().data, 'planted'), path.join(tree().base, 'via-planted'));
      expect(refusalOf(path.join(tree().base, 'via-planted', 'botpress.config.json'))).toMatchObject({
        code: 'link-in-path',
        path: path.join(tree().data, 'planted'),
      });
      // A loop of trusted links ends.
      symlinkSync('loop-b', path.join(tree().base, 'loop-a'));
      symlinkSync('loop-a', path.join(tree().base, 'loop-b'));
      expect(refusalOf(path.join(tree().base, 'loop-a', 'x.json'))).toMatchObject({ code: 'too-many-links' });
    });

    it('refuses a FIFO, a folder, a socket and a hard link at once, without opening the FIFO', async () => {
      rmSync(tree().live);
      execFileSync('mkfifo', ['-m', '0666', tree().live]);
      // A rescuer notes the time and opens the FIFO for writing after 3 s: a read that blocked on
      // it would end then, and fail below, instead of hanging the test.
      const rescued = path.join(tree().base, 'rescued');
      const rescuer = spawn('sh', ['-c', 'sleep 3; touch "$1"; : > "$2"', 'rescuer', rescued, tree().live], {
        stdio: 'ignore',
      });
      try {
        expect(refusalOf(tree().live)).toMatchObject({
          code: 'not-regular',
          problem: 'is a FIFO (named pipe), not a regular file',
        });
        expect(existsSync(rescued)).toBe(false);
      } finally {
        rescuer.kill('SIGKILL');
        rmSync(tree().live);
      }

      mkdirSync(tree().live);
      expect(refusalOf(tree().live)).toMatchObject({ code: 'not-regular', problem: 'is a folder, not a regular file' });
      rmSync(tree().live, { recursive: true });

      const server = createServer();
      await new Promise<void>((resolve) => server.listen(tree().live, resolve));
      try {
        expect(refusalOf(tree().live)).toMatchObject({
          code: 'not-regular',
          problem: 'is a socket, not a regular file',
        });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }

      // A hard link to a root-only file, in Botpress's folder (where fs.protected_hardlinks=0 lets
      // its user make one; here root makes it for the test).
      linkSync(tree().secretFile, tree().live);
      try {
        expect(refusalOf(tree().live)).toMatchObject({
          code: 'hard-link',
          problem: `is a hard link (one of 2 names of the same file) in ${tree().global}, a folder that another user can change`,
        });
      } finally {
        rmSync(tree().live);
      }
      // In the deployer's own folder a second name is the deployer's business.
      writeFileSync(tree().stage, 'rendered', { mode: 0o600 });
      linkSync(tree().stage, `${tree().stage}.copy`);
      expect(readHostFile(tree().stage)?.bytes.toString()).toBe('rendered');
    });

    it('a file and its folders swapped for links as fast as Botpress can: every read is the real file or a refusal', async () => {
      const swapper = await startSwapper([
        { real: tree().live, linkTo: tree().secretFile },
        { real: tree().global, linkTo: tree().secretGlobal },
        { real: tree().data, linkTo: tree().secretData },
      ]);
      const outcomes: Record<string, number> = {};
      try {
        for (let i = 0; i < 150; i++) {
          let outcome: string;
          try {
            const read = readHostFile(tree().live);
            outcome = read ? `read ${read.bytes.toString()}` : 'absent';
          } catch (error) {
            outcome = (error as HostFileRefusal).code;
          }
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      } finally {
        expect(await swapper.stop()).toBeGreaterThan(0);
      }
      // Only the real content, or a refusal; and the race was on (refusals happened).
      for (const outcome of Object.keys(outcomes))
        expect([
          'read {"version":"12.30.0","written":"by Botpress"}',
          'symbolic-link',
          'link-in-path',
          'changed-while-opening',
        ]).toContain(outcome);
      expect((outcomes['symbolic-link'] ?? 0) + (outcomes['link-in-path'] ?? 0)).toBeGreaterThan(0);
    });
  },
);
