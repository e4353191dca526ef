/**
 * The live files on a Botpress host, under a real OpenTofu: the synthesized installers run for
 * real against files owned by uid 999 (the official Botpress image's user), as root and as
 * unprivileged users (setpriv). The local provider's stage writes are reproduced exactly
 * (test/support/host-apply.ts says how). Every apply here is a real `tofu apply`.
 *
 * @duration 12s
 */
import { chmodSync, chownSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { PERL, hostWorkspace, pollingReader } from '../support/host-apply';
import { EXAMPLE_CONFIG, KNOWN_VALUES, TestSsoProps, synthStack } from '../support/stacks';
import { describeNeeding, ROOT_USER } from '../support/requirements';
import { ENGINE_BINARY } from '../support/tofu';

const NEEDS = [ENGINE_BINARY, ROOT_USER, PERL];
const BOTPRESS_UID = 999;
const OTHER_UID = 1000;
const secret = (n: number) => `${KNOWN_VALUES.clientSecret}-${n}`;
const values = (n: number) => ({ ...KNOWN_VALUES, clientSecret: secret(n) });

function attributes(file: string) {
  const s = statSync(file);
  return { uid: s.uid, gid: s.gid, mode: (s.mode & 0o7777).toString(8) };
}

/** A workspace with botpress.config.json owned 999:999 with `mode`. */
function host(mode: number, uid?: number) {
  const ws = hostWorkspace({ uid });
  const live = path.join(ws.root, 'botpress.config.json');
  writeFileSync(live, EXAMPLE_CONFIG);
  chownSync(live, BOTPRESS_UID, BOTPRESS_UID);
  chmodSync(live, mode);
  const envFile = path.join(ws.root, 'bp.env');
  /**
   * What `cdktf deploy` does first: synthesize from the live files as they are now (the env
   * file's SHA-256 as the app passes it: "" when there is none).
   */
  const synth = (props: TestSsoProps = {}, n = 1) =>
    ws.write(
      synthStack({
        baseConfig: readFileSync(live, 'utf8'),
        ...(props.secretDelivery?.kind === 'environment'
          ? {
              envFileSha256: existsSync(envFile)
                ? createHash('sha256').update(readFileSync(envFile)).digest('hex')
                : '',
            }
          : {}),
        ...props,
      }).json,
      values(n),
    );
  expect(ws.init().code).toBe(0);
  const stages = path.join(ws.stackDir, '.botpress-sso', 'sso');
  return {
    ...ws,
    live,
    envFile,
    backup: `${live}.bak`,
    stage: path.join(stages, 'config.stage'),
    stages,
    synth,
  };
}

/** The secret in the env file, as Botpress reads it (JSON.parse of the value). */
const envSecret = (file: string) =>
  JSON.parse(
    /^BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET=(.*)$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? 'null',
  );
const secretIn = (file: string) => JSON.parse(readFileSync(file, 'utf8')).authStrategies?.azuread?.options.clientSecret;

describeNeeding(NEEDS, 'installing the rendered files on the Botpress host (OpenTofu)', () => {
  it('as root: keeps 999:999 and 0640, keeps a backup, never leaves the file missing or half-written, and plans no change after a deploy', async () => {
    const h = host(0o640);
    h.synth({}, 1);
    let reader = pollingReader(h.live);
    await reader.ready;
    expect(h.apply().out).toContain('Apply complete');
    let seen = await reader.stop();
    // It saw the file before and after, and at no read in between was it missing or not JSON.
    expect(seen).toEqual(expect.objectContaining({ missing: 0, invalid: 0, distinct: 2 }));

    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });
    expect(secretIn(h.live)).toBe(secret(1));
    expect(readFileSync(h.live)).toEqual(readFileSync(h.stage)); // byte-exact copy
    expect(attributes(h.stage)).toEqual({ uid: 0, gid: 0, mode: '600' });
    expect(readFileSync(h.backup, 'utf8')).toBe(EXAMPLE_CONFIG);
    expect(attributes(h.backup)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });

    // Nothing changed: synthesize again from the installed file, and the plan is empty.
    h.synth({}, 1);
    expect(h.plan()).toEqual(expect.objectContaining({ code: 0 }));

    // A rotation: a new secret replaces the old one atomically, attributes kept.
    const installed = readFileSync(h.live, 'utf8');
    h.synth({}, 2);
    reader = pollingReader(h.live);
    await reader.ready;
    expect(h.apply().out).toContain('Apply complete');
    seen = await reader.stop();
    expect(seen).toEqual(expect.objectContaining({ missing: 0, invalid: 0, distinct: 2 }));
    expect(secretIn(h.live)).toBe(secret(2));
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });
    expect(readFileSync(h.backup, 'utf8')).toBe(installed);
    h.synth({}, 2);
    expect(h.plan().code).toBe(0);

    /** The next deploy plans a change, installs the rendered file again, and then plans none. */
    const putRightByNextDeploy = () => {
      h.synth({}, 2);
      expect(h.plan().code).toBe(2);
      expect(h.apply().out).toContain('Apply complete');
      expect(secretIn(h.live)).toBe(secret(2));
      h.synth({}, 2);
      expect(h.plan().code).toBe(0);
    };

    // A hand edit of the secret alone renders to the same text; the edit is still put right.
    writeFileSync(h.live, readFileSync(h.live, 'utf8').replace(JSON.stringify(secret(2)).slice(1, 10), 'hand-edited'));
    expect(secretIn(h.live)).not.toBe(secret(2));
    putRightByNextDeploy();

    // Restoring the backup (docs/file-placement.md, "How the file is placed") is a hand edit too: the next deploy
    // renders onto the restored file, even though its content equals what an earlier install
    // replaced. Twice, to show the receipt chain moves on each time.
    for (let restore = 1; restore <= 2; restore++) {
      const before = readFileSync(h.backup);
      writeFileSync(h.live, before);
      putRightByNextDeploy();
    }

    // Any other hand edit is kept (synthesis takes it in) and the result is installed.
    writeFileSync(h.live, readFileSync(h.live, 'utf8').replace('"showPoweredBy": true', '"showPoweredBy": false'));
    h.synth({}, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(JSON.parse(readFileSync(h.live, 'utf8')).showPoweredBy).toBe(false);
    expect(secretIn(h.live)).toBe(secret(2));
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });

    // An edit between synthesis and apply: the installer, checking immediately before it
    // replaces the file, changes nothing and says what to run (no lost update).
    h.synth({ label: 'Microsoft' }, 2);
    const edited = readFileSync(h.live, 'utf8').replace('"showPoweredBy": false', '"showPoweredBy": true');
    writeFileSync(h.live, edited);
    const stale = h.apply();
    expect(stale.code).not.toBe(0);
    expect(stale.out).toMatch(/changed after synthesis: it no longer holds what synthesis merged the settings into/);
    expect(stale.out).toMatch(/Nothing was changed\.[\s\S]*Fix: deploy again \(cdktf deploy\)/);
    expect(readFileSync(h.live, 'utf8')).toBe(edited);
    // The next deploy synthesizes from the edit and installs it with the label.
    h.synth({ label: 'Microsoft' }, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(JSON.parse(readFileSync(h.live, 'utf8')).showPoweredBy).toBe(true);

    // configFileMode overrides the mode, owner kept, and the backup follows it.
    h.synth({ filePermission: '0600' }, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    expect(attributes(h.backup)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    expect(readdirSync(h.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('as the owner (uid 999, unprivileged): keeps 999:999 and 0600 through a rotation', () => {
    const h = host(0o600, BOTPRESS_UID);
    h.synth({}, 1);
    expect(h.apply().out).toContain('Apply complete');
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    expect(attributes(h.stage)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    h.synth({}, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(secretIn(h.live)).toBe(secret(2));
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    expect(secretIn(h.backup)).toBe(secret(1));
    expect(attributes(h.backup)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '600' });
    h.synth({}, 2);
    expect(h.plan().code).toBe(0);
  });

  it('as a user who does not own the file: fails naming file, owner, mode and user, and leaves the file as it was', () => {
    // Readable by all and in a folder writable by all: only the ownership is in the way.
    const h = host(0o644, OTHER_UID);
    chmodSync(h.root, 0o777);
    h.synth({}, 1);
    const result = h.apply();
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(
      /could not install \.\.\/\.\.\/\.\.\/botpress\.config\.json \(owner 999:999, mode 0644\) as \S+ \(uid 1000, gid 1000\)/,
    );
    expect(result.out).toMatch(/Fix: run the deploy as the file's owner or as root/);
    expect(readFileSync(h.live, 'utf8')).toBe(EXAMPLE_CONFIG);
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '644' });
    expect(existsSync(h.backup)).toBe(false);
    expect(readdirSync(h.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the env file: new at 0600, keeps 999:999 0640 once it exists, and enabled: false removes it', () => {
    const h = host(0o640);
    const envFile = h.envFile;
    const delivery = { secretDelivery: { kind: 'environment', envFilePath: '../../../bp.env' } } as const;
    h.synth(delivery, 1);
    expect(h.apply().out).toContain('Apply complete');
    expect(attributes(envFile)).toEqual({ uid: 0, gid: 0, mode: '600' });
    expect(envSecret(envFile)).toBe(secret(1));
    expect(secretIn(h.live)).toMatch(/^set by the environment variable/);
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });

    chownSync(envFile, BOTPRESS_UID, BOTPRESS_UID);
    chmodSync(envFile, 0o640);
    h.synth(delivery, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(envSecret(envFile)).toBe(secret(2));
    expect(attributes(envFile)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });
    h.synth(delivery, 2);
    expect(h.plan().code).toBe(0);

    h.synth({ ...delivery, enabled: false }, 2);
    expect(h.apply().out).toContain('Apply complete');
    expect(existsSync(envFile)).toBe(false);
    expect(existsSync(`${envFile}.bak`)).toBe(false);
    expect(existsSync(path.join(h.stages, 'env.stage'))).toBe(false);
    expect(existsSync(path.join(h.stages, 'env.receipt'))).toBe(false);
    expect(JSON.parse(readFileSync(h.live, 'utf8')).authStrategies.azuread).toBeUndefined();
    expect(attributes(h.live)).toEqual({ uid: BOTPRESS_UID, gid: BOTPRESS_UID, mode: '640' });
  });
});
