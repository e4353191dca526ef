/**
 * `npm run verify`: every check passing and failing against the same local stand-ins as the
 * sign-in round trip (an oidc-provider behind Entra's paths, passport-oauth2 behind Botpress's
 * routes), reached through verify's injectable HTTP client with a loopback agent. One identity
 * provider for the file; each environment of one settings file is one case.
 */
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLOUDS, oauthEndpoints, type SignInAudience } from '../constructs/entra/endpoints';
import { runVerify } from '../scripts/verify/command';
import { nodeHttp } from '../scripts/verify/http-client';
import { TIMEOUTS_MS, type Verdict } from '../scripts/verify/check';
import { CHECKS } from '../scripts/verify/checks';
import { BotpressStandIn, StrategyEntry, startBotpressStandIn } from './support/botpress-stand-in';
import { EntraStandIn, startEntraStandIn } from './support/entra-stand-in';
import { loopbackAgent } from './support/loopback-agent';
import { makeThrowawayCa } from './support/throwaway-ca';

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const UNKNOWN_TENANT = 'a8098c1a-f86e-41d1-a2f4-11a0c7b4a9e2';
/** Distinctive, so that any leak into the output is found. */
const SECRET = 'VERIFY-SECRET-"\\${x}%{y}é-7f3a9c';
const NOW = new Date('2026-03-01T00:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
const ROOT = path.join(__dirname, '..');

type Status = Verdict['status'];
interface Case {
  readonly env: string;
  readonly audience?: SignInAudience;
  readonly tenantId?: string;
  /** Tenant in the rendered endpoints (default: tenantId or TENANT). */
  readonly endpointTenant?: string;
  readonly environmentDelivery?: boolean;
  /** Database storage: the strategy exists only in the env file's BP_CONFIG_AUTHSTRATEGIES. */
  readonly database?: boolean;
  /** Secret in the config (default SECRET); Entra always holds SECRET. */
  readonly configSecret?: string;
  /** Redirect URI Entra holds, when it differs from the config's callback. */
  readonly registeredCallbackSuffix?: string;
  readonly botpress?: 'running' | 'not-restarted' | 'pro-off' | 'stale' | 'unreachable';
  readonly expiresInDays?: number;
  readonly expect: readonly [Status, Status, Status, Status, Status, Status];
  readonly aadsts?: string;
}

const ALL_PASS = ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'] as const;
const CASES: readonly Case[] = [
  { env: 'ok', tenantId: TENANT, expiresInDays: 100, expect: ALL_PASS },
  { env: 'no-outputs', tenantId: TENANT, expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'skip'] },
  { env: 'orgs', audience: 'AzureADMultipleOrgs', expect: ['pass', 'skip', 'pass', 'pass', 'pass', 'skip'] },
  { env: 'orgs-with-tenant', audience: 'AzureADMultipleOrgs', tenantId: TENANT, expiresInDays: 100, expect: ALL_PASS },
  { env: 'consumers', audience: 'PersonalMicrosoftAccount', expect: ['pass', 'skip', 'pass', 'pass', 'pass', 'skip'] },
  { env: 'env_delivery', tenantId: TENANT, environmentDelivery: true, expiresInDays: 100, expect: ALL_PASS },
  { env: 'database', tenantId: TENANT, database: true, expiresInDays: 100, expect: ALL_PASS },
  {
    env: 'database-wrong-secret',
    tenantId: TENANT,
    database: true,
    configSecret: 'an-older-secret~Q8',
    expiresInDays: 100,
    expect: ['pass', 'fail', 'pass', 'pass', 'pass', 'pass'],
    aadsts: '7000215',
  },
  {
    env: 'wrong-secret',
    tenantId: TENANT,
    configSecret: 'an-older-secret~Q8',
    expiresInDays: 100,
    expect: ['pass', 'fail', 'pass', 'pass', 'pass', 'pass'],
    aadsts: '7000215',
  },
  {
    env: 'trailing-slash',
    tenantId: TENANT,
    registeredCallbackSuffix: '/',
    expiresInDays: 100,
    expect: ['pass', 'pass', 'fail', 'pass', 'pass', 'pass'],
    aadsts: '50011',
  },
  {
    env: 'unknown-tenant',
    tenantId: UNKNOWN_TENANT,
    expiresInDays: 100,
    expect: ['fail', 'fail', 'fail', 'pass', 'pass', 'pass'],
    aadsts: '90002',
  },
  {
    env: 'not-restarted',
    tenantId: TENANT,
    botpress: 'not-restarted',
    expiresInDays: 100,
    expect: ['pass', 'pass', 'pass', 'pass', 'fail', 'pass'],
  },
  {
    env: 'pro-off',
    tenantId: TENANT,
    botpress: 'pro-off',
    expiresInDays: 100,
    expect: ['pass', 'pass', 'pass', 'fail', 'fail', 'pass'],
  },
  {
    env: 'stale-botpress',
    tenantId: TENANT,
    botpress: 'stale',
    expiresInDays: 100,
    expect: ['pass', 'pass', 'pass', 'pass', 'fail', 'pass'],
  },
  {
    env: 'unreachable',
    tenantId: TENANT,
    botpress: 'unreachable',
    expiresInDays: 100,
    expect: ['pass', 'pass', 'pass', 'fail', 'fail', 'pass'],
  },
  { env: 'expiring', tenantId: TENANT, expiresInDays: 10, expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'warn'] },
  { env: 'expired', tenantId: TENANT, expiresInDays: -1, expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'fail'] },
];

const clientIdOf = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
const hostOf = (env: string) => `${env.replace(/_/g, '-')}.bots.test`;

describe('npm run verify', () => {
  let dir: string;
  let entra: EntraStandIn;
  const botpress: BotpressStandIn[] = [];
  let run: (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bpsso-verify-'));
    const environments: Record<string, unknown> = {};
    const entries = CASES.map((c, i) => {
      const audience = c.audience ?? 'AzureADMyOrg';
      const endpoints = oauthEndpoints('public', audience, c.endpointTenant ?? c.tenantId ?? TENANT);
      const botpressUrl = `https://${hostOf(c.env)}`;
      const callbackURL = `${botpressUrl}/api/v1/auth/login-callback/oauth2/azuread`;
      const variable = 'BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET';
      const secret = c.configSecret ?? SECRET;
      const entry: StrategyEntry = {
        type: 'oauth2',
        hidden: false,
        options: {
          authorizationURL: endpoints.authorizationUrl,
          tokenURL: endpoints.tokenUrl,
          clientSecret: c.environmentDelivery ? `set by the environment variable ${variable}` : secret,
          clientID: clientIdOf(i),
          callbackURL,
          scope: 'openid profile email',
          userInfoURL: endpoints.userInfoUrl,
        },
        fieldMapping: { email: 'email' },
      };
      if (c.database) {
        // The export holds no strategy of ours: Botpress gets it from the env file only.
        const exported = {
          version: '12.30.9',
          authStrategies: { default: { type: 'basic' } },
          pro: { enabled: false, collaboratorsAuthStrategies: ['default'] },
        };
        writeFileSync(path.join(dir, `${c.env}.config.json`), JSON.stringify(exported, null, 2));
        const strategies = JSON.stringify({
          azuread: { ...entry, options: { ...entry.options, clientSecret: secret } },
        });
        writeFileSync(
          path.join(dir, `${c.env}.env`),
          `# test\nBP_CONFIG_PRO_ENABLED=true\nBP_CONFIG_AUTHSTRATEGIES=${strategies}\n`,
        );
      } else {
        writeFileSync(
          path.join(dir, `${c.env}.config.json`),
          JSON.stringify(
            { authStrategies: { default: { type: 'basic' }, azuread: entry }, pro: { enabled: true } },
            null,
            2,
          ),
        );
      }
      if (c.environmentDelivery)
        writeFileSync(path.join(dir, `${c.env}.env`), `# test\n${variable}=${JSON.stringify(secret)}\n`);
      if (c.expiresInDays !== undefined) {
        writeFileSync(
          path.join(dir, `${c.env}.outputs.json`),
          JSON.stringify({
            [c.env]: {
              client_secret_expires_at: inDays(c.expiresInDays),
              client_secret_next_rotation: inDays(c.expiresInDays - 30),
            },
          }),
        );
      }
      environments[c.env] = {
        botpressUrl,
        configFile: `${c.env}.config.json`,
        ...(c.audience ? { signInAudience: c.audience } : {}),
        ...(c.tenantId ? { tenantId: c.tenantId } : {}),
        ...(c.environmentDelivery ? { secret: { delivery: 'environment', envFile: `${c.env}.env` } } : {}),
        ...(c.database ? { botpressStorage: 'database', secret: { envFile: `${c.env}.env` } } : {}),
      };
      return { c, i, entry, callbackURL, audience };
    });
    environments.disabled = { botpressUrl: 'https://disabled.bots.test', configFile: 'ok.config.json', enabled: false };
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ environments }));

    const clouds = [{ loginHost: CLOUDS.public.loginHost, graphHost: CLOUDS.public.graphHost }];
    const ca = makeThrowawayCa([clouds[0].loginHost, clouds[0].graphHost, '*.bots.test']);
    entra = await startEntraStandIn({
      cert: ca.cert,
      key: ca.key,
      clouds,
      tenants: [{ id: TENANT, loginHost: clouds[0].loginHost }],
      clients: entries.map(({ i, callbackURL, audience, c }) => ({
        clientId: clientIdOf(i),
        clientSecret: SECRET,
        redirectUris: [`${callbackURL}${c.registeredCallbackSuffix ?? ''}`],
        tenantId: TENANT,
        loginHost: clouds[0].loginHost,
        signInAudience: audience,
      })),
      users: [],
    });
    const ports = new Map<string, number>([
      [clouds[0].loginHost, entra.port],
      [clouds[0].graphHost, entra.port],
    ]);
    for (const { c, entry } of entries) {
      if (c.botpress === 'unreachable') continue;
      const stale = { ...entry, options: { ...entry.options, clientID: '99999999-0000-4000-9000-000000000000' } };
      const running: Record<string, StrategyEntry> =
        c.botpress === 'not-restarted' || c.botpress === 'pro-off'
          ? {}
          : { azuread: c.botpress === 'stale' ? stale : entry };
      const listed: Record<string, StrategyEntry> =
        c.botpress === 'pro-off' ? { default: { type: 'basic', options: {} } } : { azuread: entry };
      const server = await startBotpressStandIn({
        externalUrl: `https://${hostOf(c.env)}`,
        cert: ca.cert,
        key: ca.key,
        running,
        listed,
      });
      botpress.push(server);
      ports.set(hostOf(c.env), server.port);
    }
    const http = nodeHttp(loopbackAgent(ca.ca, ports));
    run = async (argv) => {
      let stdout = '';
      let stderr = '';
      const code = await runVerify(argv, {
        http,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        now: () => NOW,
        projectDir: dir,
        settingsFile: 'settings.json',
      });
      return { code, stdout, stderr };
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(botpress.map((b) => b.stop()));
    await entra?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => [c.env, c] as const))('%s', async (_name, c) => {
    const argv = [c.env, '--json', ...(c.expiresInDays !== undefined ? ['--outputs', `${c.env}.outputs.json`] : [])];
    const { code, stdout, stderr } = await run(argv);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { ok: boolean; checks: Array<Verdict & { title: string }> };
    expect(result.checks.map((v) => v.id)).toEqual(CHECKS.map((check) => check.id));
    expect(result.checks.map((v) => v.status)).toEqual(c.expect);
    expect(code).toBe(c.expect.includes('fail') ? 1 : 0);
    expect(result.ok).toBe(code === 0);
    for (const v of result.checks) {
      if (v.status === 'fail' || v.status === 'warn') expect(v.fix).toEqual(expect.any(String));
      if (v.status === 'skip') expect(v.detail.length).toBeGreaterThan(10);
    }
    if (c.aadsts) {
      const failed = result.checks.filter((v) => v.status === 'fail');
      for (const v of failed) expect(v.detail).toContain(`AADSTS${c.aadsts}`);
    }
    expect(stdout).not.toContain(SECRET);
    expect(stdout).not.toContain(JSON.stringify(SECRET).slice(1, -1));
    expect(stdout).not.toContain('7f3a9c');
  });

  it('prints one line per check with the fix, and exit code 1 on a failure', async () => {
    const { code, stdout } = await run(['wrong-secret', '--outputs', 'wrong-secret.outputs.json']);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('botpress-azure-sso verify "wrong-secret":');
    expect(lines.filter((l) => /^(pass|FAIL|skip|warn) {2}\d\. /.test(l))).toHaveLength(CHECKS.length);
    expect(stdout).toContain('FAIL  2. The client secret works (client-credentials token request): ');
    expect(stdout).toContain('AADSTS7000215');
    expect(stdout).toMatch(
      / {6}Fix: the client secret Botpress has is not a valid secret of the app: npx cdktf deploy wrong-secret/,
    );
    expect(stdout).toContain('1 check failed.');
    expect(stdout).not.toContain('7f3a9c');
  });

  it.each([
    ['no environment', [], /arguments = \(missing\): name no environment/],
    ['an unknown option', ['ok', '--bogus'], /arguments = "--bogus": is not an option of verify/],
    [
      'an unknown environment',
      ['staging'],
      /environment = "staging": is not in the settings file.\n {2}Fix: use one of ok, /,
    ],
    ['a disabled environment', ['disabled'], /environments\.disabled\.enabled = false: turns SSO off/],
    [
      'a missing outputs file',
      ['ok', '--outputs', 'nope.json'],
      /--outputs = ".*nope\.json": cannot be read \(ENOENT\)/,
    ],
  ])('exit 2 on bad input: %s', async (_name, argv, message) => {
    const { code, stdout, stderr } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('7f3a9c');
  });

  it('npm run verify runs the compiled script (bad settings: exit 2, nothing on stdout)', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'verify.js'), 'ok'], {
      cwd: dir,
      env: { ...process.env, BOTPRESS_SSO_SETTINGS: 'missing-settings.json' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'BOTPRESS_SSO_SETTINGS = "missing-settings.json": names a settings file that does not exist',
    );
  });
});

describe("verify's HTTP client", () => {
  it('gives up on a server that keeps trickling bytes, naming the timeout', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const timeouts = Object.fromEntries(Object.keys(TIMEOUTS_MS).map((name) => [name, 150])) as Record<
      keyof typeof TIMEOUTS_MS,
      number
    >;
    try {
      await expect(
        nodeHttp(undefined, timeouts).get(`http://127.0.0.1:${port}/`, 'botpress-auth-config'),
      ).rejects.toThrow(/no answer within 0\.15 s \(timeout "botpress-auth-config"\)/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
