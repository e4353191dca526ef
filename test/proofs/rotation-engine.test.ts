/**
 * Rotation and restarts, proven end to end under a real OpenTofu (rotation-harness.ts): the
 * synthesized stack deployed again and again through time (the plan's time is a variable), the
 * client secrets living in the OpenID provider stand-in as Entra holds an app's passwords
 * (password-stand-in.ts: added when created, removed the moment the apply deletes them), a
 * Botpress stand-in that reads its config only when it starts (botpress-on-host.ts), and a real
 * authorization-code sign-in (scripted browser + passport-oauth2) at every step.
 *
 * With a restart step the step runs for real: RESTART_PROGRAM as synthesized runs restart.command
 * (restart-command.js, which asks this process to restart its Botpress and waits until it has),
 * then asks Botpress's strategy list over HTTPS until it lists the strategy, or times out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CLOUDS } from '../../constructs/entra/endpoints';
import { BotpressOnHost, startBotpressOnHost } from '../support/botpress-on-host';
import { EntraStandIn, startEntraStandIn } from '../support/entra-stand-in';
import { loopbackAgent } from '../support/loopback-agent';
import { dayAt, DeployResult, rotationHarness } from '../support/rotation-harness';
import { signInThroughBrowser } from '../support/scripted-browser';
import { EXAMPLE_CONFIG, synthStack, TestSsoProps } from '../support/stacks';
import { makeThrowawayCa } from '../support/throwaway-ca';
import { describeWithEngine } from '../support/tofu';

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const USER = { login: 'adele@contoso.test', email: 'Adele.Vance@contoso.test' };
const R = 10;
/** Midnight UTC starting the day `day` days after the first deploy: rotation dates fall there. */
const midnight = (day: number) => dayAt(day).replace('T12:00:00Z', 'T00:00:00Z');
const { loginHost, graphHost } = CLOUDS.public;

interface Environment {
  readonly clientId: string;
  readonly harness: ReturnType<typeof rotationHarness>;
  readonly live: string;
  readonly botpress: BotpressOnHost;
  readonly botpressUrl: string;
}

describeWithEngine('rotation and restarts under OpenTofu, with a real sign-in at every step', () => {
  const originalAgent = https.globalAgent;
  let entra: EntraStandIn;
  let control: Server;
  let restartCommand = '';
  /** What the next run of restart.command does: the test sets it; it ends when the promise does. */
  let onRestart: () => Promise<void> = async () => undefined;
  const env: Record<'slots' | 'restarted', Environment> = {} as never;

  beforeAll(async () => {
    const ca = makeThrowawayCa([loginHost, graphHost, 'localhost']);
    control = createServer((_req, res) => {
      onRestart().then(
        () => res.writeHead(200).end(),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    control.unref();
    const restartScript = path.join(__dirname, '..', 'support', 'restart-command.js');
    restartCommand = `"${process.execPath}" "${restartScript}" http://127.0.0.1:${(control.address() as AddressInfo).port}/restart`;

    for (const [name, clientId] of [
      ['slots', '00000000-0000-4000-8000-00000000000b'],
      ['restarted', '00000000-0000-4000-8000-00000000000a'],
    ] as const) {
      const harness = rotationHarness(() => entra, { clientId, clientSecret: 'unused', tenantId: TENANT }, 's~Q8.', {
        NODE_EXTRA_CA_CERTS: '../../../ca.crt', // the restart step asks Botpress over HTTPS
      });
      writeFileSync(path.join(harness.root, 'ca.crt'), ca.ca);
      const live = path.join(harness.root, 'botpress.config.json');
      writeFileSync(live, EXAMPLE_CONFIG);
      const botpress = await startBotpressOnHost({
        externalUrl: 'https://localhost',
        cert: ca.cert,
        key: ca.key,
        configFile: live,
      });
      env[name] = { clientId, harness, live, botpress, botpressUrl: `https://localhost:${botpress.port}` };
    }
    entra = await startEntraStandIn({
      cert: ca.cert,
      key: ca.key,
      clouds: [{ loginHost, graphHost }],
      tenants: [{ id: TENANT, loginHost }],
      clients: Object.values(env).map((e) => ({
        clientId: e.clientId,
        clientSecret: 'registered-but-never-used',
        redirectUris: [`${e.botpressUrl}/api/v1/auth/login-callback/oauth2/azuread`],
        tenantId: TENANT,
        loginHost,
        signInAudience: 'AzureADMyOrg',
      })),
      users: [{ login: USER.login, claims: { name: 'Adele Vance', email: USER.email } }],
    });
    https.globalAgent = loopbackAgent(
      ca.ca,
      new Map([
        [loginHost, entra.port],
        [graphHost, entra.port],
      ]),
    );
    for (const e of Object.values(env)) expect(e.harness.init().code).toBe(0);
  }, 30_000);

  afterAll(async () => {
    https.globalAgent = originalAgent;
    await Promise.all(Object.values(env).map((e) => e.botpress.stop()));
    control?.close();
    await entra?.stop();
  });

  /** `cdktf deploy` on `day`: synthesized from the live config as it is now, then applied. */
  const deploy = async (e: Environment, day: number, sso: TestSsoProps = {}, vars?: Record<string, string>) => {
    e.harness.write(
      synthStack(
        {
          botpressUrl: e.botpressUrl,
          baseConfig: readFileSync(e.live, 'utf8'),
          configFilePath: '../../../botpress.config.json',
          tenantId: TENANT,
          secretRotationDays: R,
          ...sso,
        },
        { localStatePath: 'terraform.tfstate' },
      ).json,
    );
    return e.harness.deploy(day, vars);
  };

  /** A real sign-in through Botpress; returns the key id of the secret Botpress used. */
  const signIn = async (e: Environment): Promise<string | undefined> => {
    await entra.events();
    const result = await signInThroughBrowser(
      https.globalAgent,
      `${e.botpressUrl}/api/v1/admin/auth/redirect/oauth2/azuread`,
      USER.login,
    );
    expect({ status: result.status, body: JSON.parse(result.body) }).toEqual({
      status: 200,
      body: { signedIn: { email: USER.email } },
    });
    return (await entra.events()).find((event) => event.route === 'token')?.keyId;
  };
  const held = async (e: Environment) => (await entra.passwords(e.clientId)).sort();
  /** When the apply reported `address` starting or completing `action`. */
  const at = (result: DeployResult, type: string, action: string, address: RegExp) =>
    result.events.findIndex(
      (event) => event.type === type && event.hook?.action === action && address.test(event.hook?.resource?.addr),
    );

  it('with a restart step: sign-in works before, during and after the restart and after the old secret goes; a restart that times out keeps the old secret until one succeeds', async () => {
    const e = env.restarted;
    const sso = { restart: { command: restartCommand, timeoutSeconds: 30 } };
    onRestart = async () => e.botpress.restart();

    // Day 0, the first deploy: the restart step restarts Botpress, which then signs in with s1.
    const first = await deploy(e, 0, sso);
    expect(first.errors).toEqual([]);
    const s1 = e.harness.outputs().client_secret_key_id;
    expect(first.createdKeys).toEqual([s1]);
    expect(await signIn(e)).toBe(s1);

    // Day 10, a rotation. While the restart command runs, Botpress still runs on s1 and signs in;
    // right after the restart it runs on s2 while s1 still exists; s1 goes only after the step.
    const during: Array<string | undefined> = [];
    const heldDuring: string[][] = [];
    onRestart = async () => {
      heldDuring.push(await held(e));
      during.push(await signIn(e));
      e.botpress.restart();
      during.push(await signIn(e));
      heldDuring.push(await held(e));
    };
    const rotation = await deploy(e, R, sso);
    expect(rotation.errors).toEqual([]);
    const s2 = e.harness.outputs().client_secret_key_id;
    expect(rotation.createdKeys).toEqual([s2]);
    expect(during).toEqual([s1, s2]);
    expect(heldDuring).toEqual([[s1, s2].sort(), [s1, s2].sort()]);
    expect(rotation.deletedKeys).toEqual([s1]);
    const restartDone = at(rotation, 'apply_complete', 'create', /^terraform_data\.sso_restart_botpress_/);
    const oldGone = at(rotation, 'apply_start', 'delete', /^terraform_data\.sso_client_secret_[0-9A-F]{8}$/);
    expect(restartDone).toBeGreaterThan(0);
    expect(oldGone).toBeGreaterThan(restartDone);
    expect(await held(e)).toEqual([s2]);
    expect(await signIn(e)).toBe(s2);

    // Day 20: Botpress comes back without Pro and never lists the strategy. The step times out,
    // the apply fails naming the strategy, the URL and the last answer, and s2 stays. (6 s: the
    // restart command is a node process, which a loaded machine can take 2 s to start.)
    onRestart = async () => e.botpress.restart('without-pro');
    const stuck = await deploy(e, 2 * R, { restart: { command: restartCommand, timeoutSeconds: 6 } });
    expect(stuck.code).not.toBe(0);
    expect(stuck.errors.join('\n')).toContain(
      `botpress-azure-sso: Botpress did not list strategy "azuread" at ${e.botpressUrl}/api/v1/admin/auth/config within 6 s (restart.timeoutSeconds) of the restart; it last answered: a strategy list without it ("default").`,
    );
    const s3 = e.harness.outputs().client_secret_key_id;
    expect(stuck.deletedKeys).toEqual([]);
    expect(await held(e)).toEqual([s2, s3].sort());
    expect(Object.values(e.harness.passwordsInState())).toEqual([{ current: s3, deposed: [s2] }]);

    // The next deploy, with a restart that works: the step runs again, and only then s2 goes.
    onRestart = async () => e.botpress.restart();
    const repaired = await deploy(e, 2 * R, sso);
    expect(repaired.errors).toEqual([]);
    expect(repaired.deletedKeys).toEqual([s2]);
    expect(await held(e)).toEqual([s3]);
    expect(await signIn(e)).toBe(s3);

    // Leaving the restart step (or upgrading from 0.2): the single secret becomes the older slot
    // (moved, not re-issued), so the Botpress that holds it keeps signing in.
    const switched = await deploy(e, 2 * R);
    expect(switched.errors).toEqual([]);
    expect(switched.deletedKeys).toEqual([]);
    expect(e.harness.outputs()).toMatchObject({ client_secret_rotation: 'two-slots', client_secret_older_key_id: s3 });
    expect(await signIn(e)).toBe(s3);
  }, 120_000);

  it('without a restart step: two slots; Botpress keeps signing in across rotations, and is restarted onto the newer secret before the next date', async () => {
    const e = env.slots;

    // Day 0, the first deploy: both slots issued, the config gets slot a.
    const first = await deploy(e, 0);
    expect(first.errors).toEqual([]);
    expect(first.createdKeys).toHaveLength(2);
    const d0 = e.harness.outputs();
    expect(d0).toMatchObject({
      client_secret_rotation: 'two-slots',
      client_secret_slot: 'a',
      client_secret_next_rotation: midnight(R),
      client_secret_restart_by: midnight(R),
    });
    e.botpress.restart(); // the operator starts Botpress with SSO
    const a1 = d0.client_secret_key_id;
    expect(await signIn(e)).toBe(a1);

    // Day 10, a rotation: only the older slot (b) is issued anew; Botpress, not restarted, still signs in with a1.
    const second = await deploy(e, R);
    expect(second.errors).toEqual([]);
    expect(second.deletedKeys).toEqual([d0.client_secret_older_key_id]);
    const d1 = e.harness.outputs();
    expect(d1).toMatchObject({
      client_secret_slot: 'b',
      client_secret_older_key_id: a1,
      client_secret_restart_by: midnight(2 * R),
    });
    expect(await held(e)).toEqual([a1, d1.client_secret_key_id].sort());
    expect(await signIn(e)).toBe(a1);

    // Restarted before day 20, it runs on slot b's secret; the day-20 rotation deletes a1, which it no longer uses.
    e.botpress.restart();
    const b1 = d1.client_secret_key_id;
    expect(await signIn(e)).toBe(b1);
    const third = await deploy(e, 2 * R);
    expect(third.deletedKeys).toEqual([a1]);
    expect(await signIn(e)).toBe(b1);

    // A gap of more than one period: the guard stops the plan, nothing changes, sign-in goes on.
    const before = await held(e);
    const gap = await deploy(e, 4 * R + 5);
    expect(gap.code).not.toBe(0);
    expect(gap.errors.join('\n')).toMatch(
      /botpress-azure-sso: this deploy runs in rotation period 4 while the last deploy ran in period 2: more than one rotation date has passed, so both client secrets would be re-issued at once\. A running Botpress may still hold a secret it would delete\. Fix: deploy once with allow_secret_reissue=true/,
    );
    // Switching to a restart step by configuration alone would delete both slots first: stopped too.
    const toRestart = await deploy(e, 2 * R + 1, { restart: { command: restartCommand } });
    expect(toRestart.code).not.toBe(0);
    expect(toRestart.errors.join('\n')).toMatch(
      // (the stand-in module spells the passwords' addresses terraform_data.*, in the message too)
      /this deploy switches the client secret from two slots to a restart step, which destroys both slot secrets at the start of the apply, before the restart\. .*Fix: restart Botpress now, .*tofu state mv '\w+\.sso_client_secret_slot_a_\w+' '\w+\.sso_client_secret_\w+'/s,
    );
    expect([gap, toRestart].flatMap((r) => [...r.createdKeys, ...r.deletedKeys])).toEqual([]);
    expect(await held(e)).toEqual(before);
    expect(await signIn(e)).toBe(b1);
  }, 120_000);
});
