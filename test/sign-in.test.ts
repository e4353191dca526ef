/**
 * The login round trip: a deploy's rendered strategy completes a real authorization-code sign-in.
 *
 * Each case synthesizes the real stack; ONE OpenTofu run evaluates its rendered config (and env
 * file) and the Web redirect URIs it registers, with known stand-ins for what Entra issues (client
 * id, tenant, a hostile client secret). Then, over HTTPS on 127.0.0.1 only:
 * - the identity provider is panva's certified oidc-provider behind Entra's v2 paths and Graph's
 *   /oidc/userinfo (test/support/entra-stand-in.mjs), registered with exactly the client id, secret
 *   and redirect URIs of the stack;
 * - the Botpress side is passport-oauth2 (what Botpress's oauth2 strategy is built on) configured
 *   with the rendered `options` unchanged (test/support/botpress-stand-in.ts); the real host names
 *   reach local ports through https.globalAgent, replaced for this file, trusting a throwaway CA;
 * - a scripted browser goes from Botpress's login redirect through authorize, login and consent to
 *   the callback.
 *
 * Limits, honestly: Botpress's own strategy code is closed source, so the Botpress side is the
 * library it is built on plus the documented behaviour (userinfo read with the access token,
 * `fieldMapping.email` mapped); Entra is a certified OpenID provider with Entra's paths, error codes
 * and audience rules, not Entra itself (see the header of entra-stand-in.mjs).
 */
// The module object itself (a namespace import would be a copy): its globalAgent is replaced below.
import https from 'node:https';
import { CLOUDS, type AzureCloud, type SignInAudience } from '../constructs/entra/endpoints';
import { BotpressStandIn, StrategyEntry, startBotpressStandIn } from './support/botpress-stand-in';
import { EntraStandIn, StandInEvent, startEntraStandIn } from './support/entra-stand-in';
import { loopbackAgent } from './support/loopback-agent';
import { signInThroughBrowser } from './support/scripted-browser';
import { botpressView, evaluateSignInSetups } from './support/sign-in-stack';
import { EXAMPLE_CONFIG, HOSTILE_SECRET, TestSsoProps, synthStack } from './support/stacks';
import { makeThrowawayCa } from './support/throwaway-ca';
import { describeWithEngine } from './support/tofu';

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const US_TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CN_TENANT = '16fd2706-8baf-433b-82eb-8c7fada847da';
const UNKNOWN_TENANT = 'a8098c1a-f86e-41d1-a2f4-11a0c7b4a9e2';
const OTHER_TENANT = 'e4eaaaf2-d142-41a5-8c4e-2e1a3d8c7f00';
const USER = { login: 'adele@contoso.test', email: 'Adele.Vance@contoso.test' };
const USER_WITHOUT_MAIL = { login: 'nomail@contoso.test' };
/** Secret and client id of a case: distinct per case, hostile every time. */
const secretOf = (i: number) => `${HOSTILE_SECRET}#${i}`;
const clientIdOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

type Outcome =
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'refused-at-idp'; readonly aadsts: number }
  | { readonly kind: 'token-refused'; readonly aadsts: number }
  | { readonly kind: 'no-email' };

interface Case {
  readonly name: string;
  readonly sso: TestSsoProps;
  readonly audience: SignInAudience;
  readonly cloud: AzureCloud;
  /** The tenant the deployer signed in to (where the app is registered). */
  readonly homeTenant: string;
  /** The tenant value OpenTofu gets for the deployer (default: homeTenant). */
  readonly deployerTenant?: string;
  /** What Entra holds, when it differs from the deploy (failure cases). */
  readonly registeredSecret?: string;
  readonly registeredTenant?: string;
  /** Botpress runs with a callback URL other than the registered one. */
  readonly botpressCallbackSuffix?: string;
  readonly login?: string;
  readonly expect: Outcome;
}

const SIGNED_IN: Outcome = { kind: 'signed-in' };
const ENV_DELIVERY: TestSsoProps = {
  strategyName: 'Entra_SSO',
  secretDelivery: { kind: 'environment', envFilePath: '../../../bp.env' },
};

const DATABASE_STORAGE: TestSsoProps = {
  strategyName: 'entra-db',
  botpressStorage: 'database',
  secretDelivery: { kind: 'environment', envFilePath: '../../../bp-db.env' },
};

const CASES: readonly Case[] = [
  {
    name: 'default: single tenant, deployer tenant, public cloud',
    sso: {},
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'single tenant with tenantId, Botpress under a path prefix with a trailing slash',
    sso: {
      tenantId: TENANT.toUpperCase(),
      strategyName: 'entra',
      botpressUrl: 'https://prefixed.bots.test/tools/botpress/',
    },
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    deployerTenant: OTHER_TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'AzureADMultipleOrgs: /organizations',
    sso: {},
    audience: 'AzureADMultipleOrgs',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'AzureADandPersonalMicrosoftAccount: /common',
    sso: {},
    audience: 'AzureADandPersonalMicrosoftAccount',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'PersonalMicrosoftAccount: /consumers',
    sso: {},
    audience: 'PersonalMicrosoftAccount',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'US Government cloud, single tenant',
    sso: { tenantId: US_TENANT },
    audience: 'AzureADMyOrg',
    cloud: 'usgovernment',
    homeTenant: US_TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'China cloud, any organization',
    sso: {},
    audience: 'AzureADMultipleOrgs',
    cloud: 'china',
    homeTenant: CN_TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'environment delivery: the secret read back from the env file as Botpress reads BP_CONFIG_*',
    sso: ENV_DELIVERY,
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'database storage: the whole strategy from BP_CONFIG_* variables over the stored config',
    sso: DATABASE_STORAGE,
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    expect: SIGNED_IN,
  },
  {
    name: 'failure: Entra holds another secret (AADSTS7000215 at the token request)',
    sso: {},
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    registeredSecret: 'an-older-secret~Q8',
    expect: { kind: 'token-refused', aadsts: 7000215 },
  },
  {
    name: 'failure: Botpress uses the callback with a trailing slash (AADSTS50011)',
    sso: {},
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    botpressCallbackSuffix: '/',
    expect: { kind: 'refused-at-idp', aadsts: 50011 },
  },
  {
    name: 'failure: tenantId names no tenant (AADSTS90002)',
    sso: { tenantId: UNKNOWN_TENANT },
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    expect: { kind: 'refused-at-idp', aadsts: 90002 },
  },
  {
    name: 'failure: tenantId names a tenant the app is not in (AADSTS700016)',
    sso: { tenantId: OTHER_TENANT },
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    expect: { kind: 'refused-at-idp', aadsts: 700016 },
  },
  {
    name: 'failure: the user has no email in userinfo',
    sso: {},
    audience: 'AzureADMyOrg',
    cloud: 'public',
    homeTenant: TENANT,
    login: USER_WITHOUT_MAIL.login,
    expect: { kind: 'no-email' },
  },
];

interface Prepared extends Case {
  readonly index: number;
  readonly host: string;
  readonly botpressUrl: string;
  readonly strategyName: string;
  readonly clientId: string;
  readonly entry: StrategyEntry;
  readonly registeredRedirectUris: readonly string[];
  readonly envFileText?: string;
  /** clientSecret as the config file itself holds it. */
  readonly secretInConfigFile: unknown;
}

describeWithEngine('sign-in round trip (oidc-provider + passport-oauth2)', () => {
  let prepared: Prepared[] = [];
  let entra: EntraStandIn;
  const botpress: BotpressStandIn[] = [];
  const originalAgent = https.globalAgent;

  beforeAll(async () => {
    const synthesized = CASES.map((c, index) => {
      const host = `case${index}.bots.test`;
      const botpressUrl = c.sso.botpressUrl ?? `https://${host}`;
      const { text, stack } = synthStack({ cloud: c.cloud, signInAudience: c.audience, ...c.sso, botpressUrl });
      return { c, index, host: new URL(botpressUrl).hostname, botpressUrl, text, strategyName: stack.sso.strategyName };
    });
    const setups = evaluateSignInSetups(
      synthesized.map(({ c, index, text }) => ({
        stack: text,
        values: {
          clientId: clientIdOf(index),
          clientSecret: secretOf(index),
          tenantId: c.deployerTenant ?? c.homeTenant,
        },
      })),
    );
    prepared = synthesized.map(({ c, index, host, botpressUrl, strategyName }, i) => {
      // With database storage nothing renders the file: Botpress reads its stored config (the export).
      const stored = setups[i].configText ?? c.sso.baseConfig ?? EXAMPLE_CONFIG;
      const view = botpressView(stored, setups[i].envFileText);
      return {
        ...c,
        index,
        host,
        botpressUrl,
        strategyName,
        clientId: clientIdOf(index),
        entry: view.authStrategies[strategyName] as StrategyEntry,
        registeredRedirectUris: setups[i].redirectUris,
        envFileText: setups[i].envFileText,
        secretInConfigFile: JSON.parse(stored).authStrategies[strategyName]?.options.clientSecret,
      };
    });

    const clouds = Object.values(CLOUDS).map(({ loginHost, graphHost }) => ({ loginHost, graphHost }));
    const ca = makeThrowawayCa([...clouds.flatMap((c) => [c.loginHost, c.graphHost]), '*.bots.test']);
    entra = await startEntraStandIn({
      cert: ca.cert,
      key: ca.key,
      clouds,
      tenants: [
        { id: TENANT, loginHost: CLOUDS.public.loginHost },
        { id: OTHER_TENANT, loginHost: CLOUDS.public.loginHost },
        { id: US_TENANT, loginHost: CLOUDS.usgovernment.loginHost },
        { id: CN_TENANT, loginHost: CLOUDS.china.loginHost },
      ],
      clients: prepared.map((p) => ({
        clientId: p.clientId,
        clientSecret: p.registeredSecret ?? secretOf(p.index),
        redirectUris: p.registeredRedirectUris,
        tenantId: p.registeredTenant ?? p.homeTenant,
        loginHost: CLOUDS[p.cloud].loginHost,
        signInAudience: p.audience,
      })),
      users: [
        { login: USER.login, claims: { name: 'Adele Vance', email: USER.email } },
        { login: USER_WITHOUT_MAIL.login, claims: { name: 'No Mail' } },
      ],
    });
    const ports = new Map<string, number>(
      clouds.flatMap((c) => [
        [c.loginHost, entra.port] as [string, number],
        [c.graphHost, entra.port] as [string, number],
      ]),
    );
    for (const p of prepared) {
      const entry = p.botpressCallbackSuffix
        ? {
            ...p.entry,
            options: { ...p.entry.options, callbackURL: `${p.entry.options.callbackURL}${p.botpressCallbackSuffix}` },
          }
        : p.entry;
      const server = await startBotpressStandIn({
        externalUrl: p.botpressUrl,
        cert: ca.cert,
        key: ca.key,
        running: { [p.strategyName]: entry },
      });
      botpress.push(server);
      ports.set(p.host, server.port);
    }
    // passport-oauth2 (node-oauth) uses https.globalAgent: the real URLs now reach loopback.
    https.globalAgent = loopbackAgent(ca.ca, ports);
  }, 60_000);

  afterAll(async () => {
    https.globalAgent = originalAgent;
    await Promise.all(botpress.map((b) => b.stop()));
    await entra?.stop();
  });

  it('registers exactly the callback URL the strategy uses, and renders the secret the way Botpress reads it', () => {
    for (const p of prepared) {
      expect(p.registeredRedirectUris).toEqual([p.entry.options.callbackURL]);
      expect(p.entry.options.clientSecret).toBe(secretOf(p.index));
      expect(p.entry.options.clientID).toBe(p.clientId);
      if (p.sso.botpressStorage === 'database') {
        expect(p.secretInConfigFile).toBeUndefined();
        expect(p.envFileText).toMatch(/^BP_CONFIG_AUTHSTRATEGIES=\{"entra-db":/m);
      } else if (p.sso.secretDelivery?.kind === 'environment') {
        expect(p.secretInConfigFile).toBe(
          `set by the environment variable BP_CONFIG_AUTHSTRATEGIES_${p.strategyName.toUpperCase()}_OPTIONS_CLIENTSECRET`,
        );
        expect(p.envFileText).toContain(
          `BP_CONFIG_AUTHSTRATEGIES_${p.strategyName.toUpperCase()}_OPTIONS_CLIENTSECRET=`,
        );
      } else {
        expect(p.secretInConfigFile).toBe(secretOf(p.index));
        expect(p.envFileText).toBeUndefined();
      }
    }
    expect(prepared.filter((p) => p.envFileText !== undefined)).toHaveLength(2);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const p = prepared[i];
    const options = p.entry.options as Record<string, string>;
    const start = `${p.botpressUrl.replace(/\/+$/, '')}/api/v1/admin/auth/redirect/oauth2/${p.strategyName}`;
    const result = await signInThroughBrowser(https.globalAgent, start, p.login ?? USER.login);
    const events = await entra.events();
    const tokenEvents = events.filter((e: StandInEvent) => e.route === 'token');
    const userinfo = events.filter((e: StandInEvent) => e.route === 'userinfo');

    // Botpress sent the browser to the rendered authorize endpoint with the rendered client and callback.
    const authorize = new URL(result.steps[1].url);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(options.authorizationURL);
    expect(authorize.searchParams.get('client_id')).toBe(p.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${options.callbackURL}${p.botpressCallbackSuffix ?? ''}`);
    expect(authorize.searchParams.get('scope')).toBe('openid profile email');

    switch (p.expect.kind) {
      case 'signed-in':
      case 'no-email': {
        expect(new URL(result.url).origin + new URL(result.url).pathname).toBe(options.callbackURL);
        // The code was exchanged with the secret, sent in the body (client_secret_post), at the rendered token URL.
        expect(tokenEvents).toEqual([
          expect.objectContaining({
            status: 200,
            grantType: 'authorization_code',
            clientId: p.clientId,
            secretInBody: true,
            basicAuth: false,
            redirectUri: options.callbackURL,
          }),
        ]);
        // Userinfo was read with the access token, from the rendered Graph host.
        expect(userinfo).toEqual([
          { route: 'userinfo', status: 200, bearerHeader: true, host: new URL(options.userInfoURL).host },
        ]);
        if (p.expect.kind === 'signed-in') {
          expect(result.status).toBe(200);
          expect(JSON.parse(result.body)).toEqual({ signedIn: { email: USER.email } });
        } else {
          expect(result.status).toBe(401);
          expect(JSON.parse(result.body).message).toBe('userinfo has no "email" for this user');
        }
        break;
      }
      case 'token-refused':
        expect(result.status).toBe(502);
        expect(JSON.parse(result.body).message).toContain(`AADSTS${p.expect.aadsts}:`);
        expect(tokenEvents).toEqual([
          expect.objectContaining({ status: 401, clientId: p.clientId, secretInBody: true }),
        ]);
        expect(userinfo).toEqual([]);
        break;
      case 'refused-at-idp':
        expect(result.status).toBe(400);
        expect(new URL(result.url).host).toBe(new URL(options.authorizationURL).host);
        expect(result.body).toContain(`AADSTS${p.expect.aadsts}:`);
        expect(tokenEvents).toEqual([]);
        break;
    }
    // Nothing the flow showed carries the secret.
    expect(result.body).not.toContain(secretOf(p.index));
  });
});
