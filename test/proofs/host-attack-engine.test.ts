/**
 * A root deploy under a real OpenTofu apply, against Botpress's user (uid 999, acting through
 * setpriv): it plants links at every file the deploy touches in Botpress's folders, and writes
 * the files between synthesis and apply. One workspace for the file (the applies build on each
 * other). What the programs do with each odd file, and the races while they run, are proven
 * faster without the engine (../host-programs.test.ts, ../host-install.test.ts, host-races.test.ts);
 * this file proves that the synthesized steps run them with the right files.
 *
 * @duration 9s
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { PERL, hostWorkspace } from '../support/host-apply';
import { BOTPRESS_UID, HostTree, makeHostTree, writeOwned } from '../support/host-tree';
import { describeNeeding, ROOT_USER } from '../support/requirements';
import { EXAMPLE_CONFIG, KNOWN_VALUES, synthStack } from '../support/stacks';
import { ENGINE_BINARY } from '../support/tofu';

const WORKSPACES = readFileSync(path.join(__dirname, '..', 'fixtures', 'hostile.workspaces.json'), 'utf8');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The installers' own output lines that hold `text` (OpenTofu repeats them, and the program, in its errors). */
const programLines = (out: string, text: string) =>
  out
    .split('\n')
    .filter((line) => /^terraform_data\.\w+ \(local-exec\): (?!Executing:)/.test(line) && line.includes(text));

/** A command as Botpress's user: what bot code can do on the host. */
const asBotpress = (command: string, ...args: string[]) =>
  execFileSync('setpriv', [`--reuid=${BOTPRESS_UID}`, `--regid=${BOTPRESS_UID}`, '--clear-groups', command, ...args], {
    stdio: 'pipe',
  });

jest.setTimeout(60_000);

describeNeeding([ENGINE_BINARY, ROOT_USER, PERL], "a root deploy (OpenTofu) against Botpress's user", () => {
  let tree: HostTree;
  let ws: ReturnType<typeof hostWorkspace>;
  let files: { config: string; workspaces: string; env: string };
  let deploys = 0;

  /**
   * What `cdktf deploy` does first: synthesize from the files as they are now. A new label, secret
   * and workspace list each time, so that every installer runs.
   */
  const synth = () => {
    deploys += 1;
    const env = existsSync(files.env) ? sha256(readFileSync(files.env)) : '';
    const { json } = synthStack({
      baseConfig: readFileSync(files.config, 'utf8'),
      configFilePath: files.config,
      label: `Microsoft ${deploys}`,
      secretDelivery: { kind: 'environment', envFilePath: files.env },
      envFileSha256: env,
      workspaces: deploys % 2 === 0 ? ['sales', 'hr'] : ['sales'],
      workspacesConfig: readFileSync(files.workspaces, 'utf8'),
      workspacesFilePath: files.workspaces,
    });
    ws.write(json, { ...KNOWN_VALUES, clientSecret: `${KNOWN_VALUES.clientSecret}-${deploys}` });
  };
  /** The text of each of these files and its backup (read before a link is planted, and after it is gone). */
  const contents = (...names: Array<keyof typeof files>) =>
    Object.fromEntries(
      names
        .flatMap((name) => [files[name], `${files[name]}.bak`])
        .map((f) => [f, existsSync(f) ? readFileSync(f, 'utf8') : 'no file']),
    );
  /** Botpress's user moves `at` aside and puts a link to `target` in its place. */
  const plant = (at: string, target: string) => {
    if (existsSync(at)) asBotpress('mv', at, `${at}.aside`);
    asBotpress('ln', '-s', target, at);
  };
  const unplant = (at: string) => {
    asBotpress('rm', at);
    if (existsSync(`${at}.aside`)) asBotpress('mv', `${at}.aside`, at);
  };
  const stillPlanted = (at: string, target: string) => {
    expect(lstatSync(at).isSymbolicLink()).toBe(true);
    expect(readlinkSync(at)).toBe(target);
  };

  beforeAll(() => {
    tree = makeHostTree();
    files = {
      config: tree.live,
      workspaces: path.join(tree.global, 'workspaces.json'),
      env: path.join(tree.data, 'sso.env'), // the folder above data/global: also Botpress's
    };
    writeOwned(files.config, EXAMPLE_CONFIG, BOTPRESS_UID, 0o640);
    writeOwned(files.workspaces, WORKSPACES, BOTPRESS_UID, 0o640);
    ws = hostWorkspace();
    expect(ws.init().code).toBe(0);
  });
  afterEach(() => {
    // No root-only file read, changed or listed differently; its marker in no file outside secret/.
    expect(tree.secrets.problems()).toEqual([]);
    expect(tree.leaks()).toEqual([]);
  });
  afterAll(() => {
    tree?.remove();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  it('first deploy: links planted under temporary names are removed, not followed; the files are installed', () => {
    const planted = [
      path.join(tree.global, '.botpress.config.json.botpress-sso-00000000deadbeef.tmp'),
      path.join(tree.global, '.botpress.config.json.31337.tmp'), // the 0.2 installer's
      path.join(tree.global, '.workspaces.json.botpress-sso-0123456789abcdef.tmp'),
      path.join(tree.data, '.sso.env.botpress-sso-fedcba9876543210.tmp'),
    ];
    synth();
    for (const at of planted) plant(at, tree.secretFile);
    const result = ws.apply();
    expect(result.out).toContain('Apply complete');
    for (const at of planted) expect(() => lstatSync(at)).toThrow(/ENOENT/); // the link itself is gone
    expect(JSON.parse(readFileSync(files.config, 'utf8')).authStrategies.azuread.label).toBe('Microsoft 1');
    expect(readFileSync(files.env, 'utf8')).toMatch(/^BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET=/m);
    expect(readFileSync(files.workspaces, 'utf8')).toContain('"azuread"');
    // From now on Botpress owns the env file too, as after `chown` by an operator.
    writeOwned(files.env, readFileSync(files.env, 'utf8'), BOTPRESS_UID, 0o640);
  });

  it.each([
    ['the backup of botpress.config.json, workspaces.json, the env file', ['config.bak', 'workspaces', 'env']],
    [
      'botpress.config.json, the backups of workspaces.json and of the env file',
      ['config', 'workspaces.bak', 'env.bak'],
    ],
  ])('links at %s: each refused naming it, nothing changed, the link left as it is', (_, names) => {
    synth();
    const targets = names.map((name) => {
      const [file, bak] = name.split('.') as [keyof typeof files, string?];
      return bak ? `${files[file]}.bak` : files[file];
    });
    const before = contents('config', 'workspaces', 'env');
    for (const at of targets) plant(at, tree.secretFile);
    const result = ws.apply();
    expect(result.code).not.toBe(0);
    for (const at of targets) expect(programLines(result.out, `: ${at} is a symbolic link`)).toHaveLength(1);
    expect(programLines(result.out, '  Nothing was changed.')).toHaveLength(3);
    for (const at of targets) {
      stillPlanted(at, tree.secretFile);
      unplant(at);
    }
    expect(contents('config', 'workspaces', 'env')).toEqual(before);
  });

  it.each([
    ['data/global/, the folder of botpress.config.json and workspaces.json', 'global', ['config', 'workspaces']],
    ['data/, the folder of the env file and above the others', 'data', ['config', 'workspaces', 'env']],
  ] as const)('a link at %s: every install under it refused naming it, nothing changed', (_, folder, under) => {
    const [at, target, parent] =
      folder === 'global' ? [tree.global, tree.secretGlobal, tree.data] : [tree.data, tree.secretData, tree.botpress];
    synth();
    const before = contents(...under);
    plant(at, target);
    const result = ws.apply();
    expect(result.code).not.toBe(0);
    const refusal = `: ${at} is a symbolic link in ${parent}, a folder that another user can change`;
    expect(programLines(result.out, refusal)).toHaveLength(under.length); // once for each file
    stillPlanted(at, target);
    unplant(at);
    expect(contents(...under)).toEqual(before);
  });

  it('Botpress writes each file between synthesis and apply: every install fails saying what to run, and every write survives', () => {
    synth();
    const written = {
      config: readFileSync(files.config, 'utf8').replace('"showPoweredBy": true', '"showPoweredBy": false'), // the admin UI
      workspaces: readFileSync(files.workspaces, 'utf8').replace('"audience": "external"', '"audience": "internal"'),
      env: `${readFileSync(files.env, 'utf8')}EXTRA=saved-by-hand\n`,
    };
    for (const [name, text] of Object.entries(written)) {
      expect(text).not.toBe(readFileSync(files[name as keyof typeof files], 'utf8'));
      asBotpress(
        process.execPath,
        '-e',
        'require("fs").writeFileSync(process.argv[1], process.argv[2])',
        files[name as keyof typeof files],
        text,
      );
    }
    const result = ws.apply();
    expect(result.code).not.toBe(0);
    expect(
      programLines(result.out, 'changed after synthesis: it no longer holds what synthesis merged the settings into'),
    ).toHaveLength(3);
    expect(result.out).toMatch(/Nothing was changed\.[\s\S]*Fix: deploy again \(cdktf deploy\)/);
    // OpenTofu's error names the step, not the program.
    expect(result.out).toContain("Error running command 'botpress-azure-sso install step': exit status 1.");
    for (const [name, text] of Object.entries(written))
      expect(readFileSync(files[name as keyof typeof files], 'utf8')).toBe(text);

    // The next deploy synthesizes from those writes and keeps them in what it installs.
    synth();
    expect(ws.apply().out).toContain('Apply complete');
    expect(JSON.parse(readFileSync(files.config, 'utf8')).showPoweredBy).toBe(false);
    expect(JSON.parse(readFileSync(files.workspaces, 'utf8'))[0].audience).toBe('internal');
  });
});
