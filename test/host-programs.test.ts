/**
 * The bundled programs (constructs/generated/host-programs.ts) against links and odd files that
 * Botpress's user (uid 999) plants at every path they touch, as root. Most runs evaluate the
 * program string in this process (host-actors.js: the same code, its own environment, output and
 * exit code, without Node's 0.1 s start-up); the ones that depend on being a real process (`node
 * -e` itself, another user, a FIFO that could block) spawn it.
 */
import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { INSTALL_PROGRAM, REMOVE_PROGRAM } from '../constructs/generated/host-programs';
import { inProcessProgram, spawnedProgram } from './support/host-actors';
import { installEnv } from './support/host-attack';
import { attributesOf, HostTree, mkdirOwned, plantLink, writeOwned } from './support/host-tree';
import { hostTreePerTest } from './support/host-tree-per-test';
import { describeNeeding, ROOT_USER } from './support/requirements';

const ORIGINAL = '{"version":"12.30.0","written":"by Botpress"}';
/** A rendered file with a client secret in it: it must never land where a planted link points. */
const RENDERED = '{"authStrategies":{"azuread":{"options":{"clientSecret":"CLIENT-SECRET-VALUE"}}}}';
const install = inProcessProgram(INSTALL_PROGRAM);
const remove = inProcessProgram(REMOVE_PROGRAM);
const installSpawned = spawnedProgram(INSTALL_PROGRAM);
const removeSpawned = spawnedProgram(REMOVE_PROGRAM);

// Processes, mounts and a swapper that takes a core: generous on a loaded machine (a hang still ends).
jest.setTimeout(120_000);

describeNeeding([ROOT_USER], "the host programs against links and odd files planted by Botpress's user", () => {
  const tree = hostTreePerTest((fresh: HostTree) => writeFileSync(fresh.stage, RENDERED, { mode: 0o600 }));

  const env = (extra: Record<string, string> = {}) => installEnv(tree(), extra);
  /** The rendered secret is in no file of the live folder but the live file (where links point: tree().secrets). */
  const secretOnlyWhereItBelongs = () => {
    for (const file of readdirSync(tree().global)) {
      const text = readFileSync(path.join(tree().global, file), 'utf8');
      if (file !== 'botpress.config.json') expect([file, text.includes('CLIENT-SECRET')]).toEqual([file, false]);
    }
  };

  it('`node -e` as root: installs keeping 999:999 0640; run again with a mode override, sets only the mode', () => {
    let result = installSpawned(env(), tree().deploy);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'botpress-azure-sso: installed ../botpress/data/global/botpress.config.json (the previous content is in botpress.config.json.bak)\n',
    );
    expect(readFileSync(tree().live, 'utf8')).toBe(RENDERED);
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    result = install(env({ BPSSO_MODE: '0600' }), tree().deploy);
    expect(result).toMatchObject({
      code: 0,
      stdout: 'botpress-azure-sso: set the mode of ../botpress/data/global/botpress.config.json to 0600\n',
    });
  });

  it.each([
    ['the live file', (t: HostTree) => [t.live, t.secretFile, t.live, 'is a symbolic link']],
    ['its backup', (t: HostTree) => [t.backup, t.secretFile, t.backup, 'is a symbolic link']],
    [
      'its folder',
      (t: HostTree) => [
        t.global,
        t.secretGlobal,
        t.global,
        `is a symbolic link in ${t.data}, a folder that another user can change`,
      ],
    ],
    [
      'a parent folder',
      (t: HostTree) => [
        t.data,
        t.secretData,
        t.data,
        `is a symbolic link in ${t.botpress}, a folder that another user can change`,
      ],
    ],
  ])('a link at %s: refused naming it; nothing written, read or changed where it points', (_, paths) => {
    const [at, target, named, problem] = paths(tree());
    if (existsSync(at)) renameSync(at, `${at}.aside`);
    plantLink(target, at);
    const result = install(env(), tree().deploy);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`: ${named} ${problem}`);
    expect(result.stderr).toMatch(/\n {2}Nothing was changed\.\n {2}Fix: remove the link and put the real file there/);
    rmSync(at);
    if (existsSync(`${at}.aside`)) renameSync(`${at}.aside`, at);
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);
    secretOnlyWhereItBelongs();
  });

  it.each([
    ['the stage', 'stage', (_t: HostTree, d: string) => ({ BPSSO_STAGE: path.join(d, 'stage') })],
    [
      'the receipt',
      'receipt',
      (t: HostTree, d: string) => ({ BPSSO_STAGE: t.stage, BPSSO_RECEIPT: path.join(d, 'receipt') }),
    ],
  ])('a link at %s (kept, wrongly, in a folder Botpress can change): refused naming it', (_, name, envFor) => {
    const foreign = path.join(tree().botpress, 'stage-folder');
    mkdirOwned(foreign, 999, 0o755);
    plantLink(tree().secretFile, path.join(foreign, name));
    const result = install(env(envFor(tree(), foreign)), tree().deploy);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`: ${path.join(foreign, name)} is a symbolic link\n  Nothing was changed.\n`);
    rmSync(foreign, { recursive: true });
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);
  });

  it("links planted under temporary names (ours and 0.2 installer's) are removed, not followed, and the install goes on", () => {
    const planted = [
      '.botpress.config.json.botpress-sso-00000000deadbeef.tmp',
      '.botpress.config.json.31337.tmp',
      '.botpress.config.json.bak.31337.tmp',
    ];
    for (const name of planted) plantLink(tree().secretFile, path.join(tree().global, name));
    const result = install(env(), tree().deploy);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`removed leftovers of an interrupted install: ${planted.sort().join(', ')}`);
    expect(readdirSync(tree().global)).toEqual(['botpress.config.json', 'botpress.config.json.bak']);
    secretOnlyWhereItBelongs();
  });

  it('a FIFO, a folder, a socket or a hard link at the live path: refused at once, nothing changed', async () => {
    rmSync(tree().live);
    execFileSync('mkfifo', ['-m', '0666', tree().live]);
    // Spawned, with a time limit: a program blocked on the FIFO is killed, and fails the test.
    const fifo = installSpawned(env(), tree().deploy);
    expect(fifo).toMatchObject({ code: 1, signal: null });
    expect(fifo.stderr).toContain(
      `${tree().live} is a FIFO (named pipe), not a regular file\n  Nothing was changed.\n`,
    );
    rmSync(tree().live);

    mkdirSync(tree().live);
    expect(install(env(), tree().deploy).stderr).toContain(`${tree().live} is a folder, not a regular file`);
    rmSync(tree().live, { recursive: true });

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(tree().live, resolve));
    try {
      expect(install(env(), tree().deploy).stderr).toContain(`${tree().live} is a socket, not a regular file`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    linkSync(tree().secretFile, tree().live);
    try {
      expect(install(env(), tree().deploy).stderr).toContain(
        `${tree().live} is a hard link (one of 2 names of the same file) in ${tree().global}`,
      );
      expect(attributesOf(tree().secretFile)).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    } finally {
      rmSync(tree().live);
    }
    expect(readdirSync(tree().global)).toEqual([]);
  });

  it('as a user who does not own the file: fails naming file, owner, mode and user, with the fix for a user; as the owner: installs', () => {
    chownSync(tree().deploy, 1000, 1000);
    chownSync(tree().stage, 1000, 1000);
    const other = installSpawned(env(), tree().deploy, 1000);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^botpress-azure-sso: could not install \.\.\/botpress\/data\/global\/botpress\.config\.json \(owner 999:999, mode 0640\) as (\S+ )?\(?uid 1000, gid 1000\)?: \S+ cannot be read: permission denied to .*uid 1000, gid 1000.* \(EACCES\)\n {2}Nothing was changed\.\n {2}Fix: run the deploy as the file's owner or as root \(the owner, group and mode are kept\)/,
    );
    expect(readFileSync(tree().live, 'utf8')).toBe(ORIGINAL);

    chownSync(tree().deploy, 999, 999);
    chownSync(tree().stage, 999, 999);
    const owner = installSpawned(env(), tree().deploy, 999);
    expect(owner).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(tree().live, 'utf8')).toBe(RENDERED);
    expect(attributesOf(tree().live)).toEqual({ uid: 999, gid: 999, mode: 0o640 });
    expect(attributesOf(tree().receipt)).toEqual({ uid: 999, gid: 999, mode: 0o644 });
  });

  it('the remover: removes the file, its backup, leftovers and the receipt; a link only as a link; a missing file is fine', () => {
    expect(install(env(), tree().deploy).code).toBe(0);
    writeOwned(path.join(tree().global, '.botpress.config.json.4242.tmp'), 'leftover', 0, 0o600);
    const removed = removeSpawned(env(), tree().deploy);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toBe(
      `botpress-azure-sso: removed ${tree().live}, ${tree().backup}, ${path.join(tree().global, '.botpress.config.json.4242.tmp')}, ${tree().receipt}\n`,
    );
    expect(readdirSync(tree().global)).toEqual([]);
    expect(existsSync(tree().receipt)).toBe(false);
    expect(remove(env(), tree().deploy)).toMatchObject({ code: 0, stdout: '', stderr: '' });

    plantLink(tree().secretFile, tree().live);
    plantLink(tree().secretFile, tree().backup);
    expect(remove(env(), tree().deploy).code).toBe(0);
    expect(readdirSync(tree().global)).toEqual([]);

    renameSync(tree().global, `${tree().global}.aside`);
    plantLink(tree().secretGlobal, tree().global);
    const refused = remove(env(), tree().deploy);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `: ${tree().global} is a symbolic link in ${tree().data}, a folder that another user can change`,
    );
    expect(refused.stderr).toContain('\n  Nothing was removed.\n');
    rmSync(tree().global);
    renameSync(`${tree().global}.aside`, tree().global);

    mkdirSync(tree().backup);
    writeOwned(tree().live, 'x', 999, 0o640);
    const folder = remove(env(), tree().deploy);
    expect(folder.stderr).toContain(
      `: ${tree().backup} is a folder, not a file\n  Removed before stopping: ${tree().live}.\n`,
    );
  });
});
