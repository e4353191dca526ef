/**
 * Rotation and restarts, proven end to end under a real OpenTofu (rotation-harness.ts): the
 * synthesized stack deployed again and again through time, the client secrets living in the
 * OpenID provider stand-in as Entra holds an app's passwords, a Botpress stand-in that reads its
 * config only when it starts (botpress-on-host.ts), and a real authorization-code sign-in
 * (scripted browser + passport-oauth2) at every step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import * as path from 'node:path';
import { CLOUDS } from '../constructs/entra/endpoints';
import { BotpressOnHost, startBotpressOnHost } from './support/botpress-on-host';
import { EntraStandIn, startEntraStandIn } from './support/entra-stand-in';
import { loopbackAgent } from './support/loopback-agent';
import { dayAt, rotationHarness } from './support/rotation-harness';
import { signInThroughBrowser } from './support/scripted-browser';
import { EXAMPLE_CONFIG, synthStack, TestSsoProps } from './support/stacks';
import { makeThrowawayCa } from './support/throwaway-ca';
import { describeWithEngine } from './support/tofu';

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
  botpress?: BotpressOnHost;
  botpressUrl?: string;
}

describeWithEngine('rotation and restarts under OpenTofu, with a real sign-in at every step', () => {
  const originalAgent = https.globalAgent;
  let entra: EntraStandIn;
  const environments: Record<'slots', Environment> = {} as never;

  const environment = (clientId: string): Environment => {
    const harness = rotationHarness(() => entra, { clientId, clientSecret: 'unused', tenantId: TENANT }, 's~Q8.');
    const live = path.join(harness.root, 'botpress.config.json');
    writeFileSync(live, EXAMPLE_CONFIG);
    return { clientId, harness, live };
  };

  beforeAll(async () => {
    const ca = makeThrowawayCa([loginHost, graphHost, 'localhost']);
    environments.slots = environment('00000000-0000-4000-8000-00000000000b');
    for (const env of Object.values(environments)) {
      env.botpress = await startBotpressOnHost({
        externalUrl: 'https://localhost',
        cert: ca.cert,
        key: ca.key,
        configFile: env.live,
      });
      env.botpressUrl = `https://localhost:${env.botpress.port}`;
    }
    entra = await startEntraStandIn({
      cert: ca.cert,
      key: ca.key,
      clouds: [{ loginHost, graphHost }],
      tenants: [{ id: TENANT, loginHost }],
      clients: Object.values(environments).map((env) => ({
        clientId: env.clientId,
        clientSecret: 'registered-but-never-used',
        redirectUris: [`${env.botpressUrl}/api/v1/auth/login-callback/oauth2/azuread`],
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
    for (const env of Object.values(environments)) expect(env.harness.init().code).toBe(0);
  }, 30_000);

  afterAll(async () => {
    https.globalAgent = originalAgent;
    await Promise.all(Object.values(environments).map((env) => env.botpress?.stop()));
    await entra?.stop();
  });

  /** `cdktf deploy` on `day`: synthesized from the live config as it is now, then applied. */
  const deploy = async (env: Environment, day: number, sso: TestSsoProps = {}, vars?: Record<string, string>) => {
    const started = Date.now();
    try {
      return await deployNow(env, day, sso, vars);
    } finally {
      console.log(`deploy day ${day}: ${Date.now() - started} ms`);
    }
  };
  const deployNow = async (env: Environment, day: number, sso: TestSsoProps = {}, vars?: Record<string, string>) => {
    env.harness.write(
      synthStack(
        {
          botpressUrl: env.botpressUrl,
          baseConfig: readFileSync(env.live, 'utf8'),
          configFilePath: '../../../botpress.config.json',
          tenantId: TENANT,
          secretRotationDays: R,
          ...sso,
        },
        { localStatePath: 'terraform.tfstate' },
      ).json,
    );
    return env.harness.deploy(day, vars);
  };

  /** A real sign-in through Botpress; returns the key id of the secret Botpress used. */
  const signIn = async (env: Environment): Promise<string | undefined> => {
    await entra.events();
    const result = await signInThroughBrowser(
      https.globalAgent,
      `${env.botpressUrl}/api/v1/admin/auth/redirect/oauth2/azuread`,
      USER.login,
    );
    expect({ status: result.status, body: JSON.parse(result.body) }).toEqual({
      status: 200,
      body: { signedIn: { email: USER.email } },
    });
    return (await entra.events()).find((e) => e.route === 'token')?.keyId;
  };

  it('without a restart step: two slots; Botpress keeps signing in across rotations, and is restarted onto the newer secret before the next date', async () => {
    const env = environments.slots;
    const held = async () => entra.passwords(env.clientId);

    // Day 0, the first deploy: both slots issued, the config gets slot a.
    const first = await deploy(env, 0);
    expect(first.errors).toEqual([]);
    expect(first.createdKeys).toHaveLength(2);
    const d0 = env.harness.outputs();
    expect(d0).toMatchObject({
      client_secret_rotation: 'two-slots',
      client_secret_slot: 'a',
      client_secret_next_rotation: midnight(R),
      client_secret_restart_by: midnight(R),
    });
    env.botpress?.restart(); // the operator starts Botpress with SSO
    const a1 = d0.client_secret_key_id;
    expect(await signIn(env)).toBe(a1);

    // Day 10, a rotation: only the older slot (b) is issued anew; Botpress, not restarted, still signs in with a1.
    const second = await deploy(env, R);
    expect(second.errors).toEqual([]);
    expect(second.deletedKeys).toEqual([d0.client_secret_older_key_id]);
    const d1 = env.harness.outputs();
    expect(d1).toMatchObject({
      client_secret_slot: 'b',
      client_secret_older_key_id: a1,
      client_secret_restart_by: midnight(2 * R),
    });
    expect((await held()).sort()).toEqual([a1, d1.client_secret_key_id].sort());
    expect(await signIn(env)).toBe(a1);

    // Restarted before day 20, it runs on slot b's secret; the day-20 rotation deletes a1, which it no longer uses.
    env.botpress?.restart();
    const b1 = d1.client_secret_key_id;
    expect(await signIn(env)).toBe(b1);
    const third = await deploy(env, 2 * R);
    expect(third.deletedKeys).toEqual([a1]);
    expect(await signIn(env)).toBe(b1);

    // A gap of more than one period: the guard stops the plan, nothing changes, sign-in goes on.
    const before = (await held()).sort();
    const gap = await deploy(env, 4 * R + 5);
    expect(gap.code).not.toBe(0);
    expect(gap.errors.join('\n')).toMatch(
      /botpress-azure-sso: this deploy runs in rotation period 4 while the last deploy ran in period 2: more than one rotation date has passed, so both client secrets would be re-issued at once\. A running Botpress may still hold a secret it would delete\. Fix: deploy once with allow_secret_reissue=true/,
    );
    expect([gap.createdKeys, gap.deletedKeys]).toEqual([[], []]);
    expect((await held()).sort()).toEqual(before);
    expect(await signIn(env)).toBe(b1);
  }, 180_000);
});
