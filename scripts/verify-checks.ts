/**
 * The checks of `npm run verify`, as a table. Each check has an id, gathers what it needs through
 * the injected HTTP client (gather), and turns that observation into a verdict with a pure
 * function (judge). How verdicts are shown (text lines, --json) lives in verify.ts. No verdict
 * carries a secret: observations never hold the client secret or a token, only what came back.
 */
import { CLOUDS, type AzureCloud, type SignInAudience } from '../constructs/internal';

/** What the deploy put in place for one environment, read from the live files. */
export interface VerifyTarget {
  readonly environment: string;
  readonly strategyName: string;
  /** Where Botpress keeps its config: with `database`, SSO reaches it through the env file. */
  readonly botpressStorage: 'disk' | 'database';
  /** Botpress's external URL as the settings give it, normalized (no trailing slash). */
  readonly botpressUrl: string;
  readonly signInAudience: SignInAudience;
  readonly cloud: AzureCloud;
  /** The settings' tenantId, if any. */
  readonly tenantId?: string;
  readonly options: {
    readonly authorizationURL: string;
    readonly tokenURL: string;
    readonly clientID: string;
    readonly clientSecret: string;
    readonly callbackURL: string;
    readonly scope: string;
  };
  /** From `cdktf output --json`, when given. */
  readonly outputs?: { readonly clientSecretExpiresAt?: string; readonly clientSecretNextRotation?: string };
}

export interface HttpResponse {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
}

/** The only way checks reach the network; redirects are never followed. */
export interface VerifyHttp {
  get(url: string, timeoutName: TimeoutName): Promise<HttpResponse>;
  postForm(url: string, form: Readonly<Record<string, string>>, timeoutName: TimeoutName): Promise<HttpResponse>;
}

/** Short, named timeouts: a check that waits longer reports which one ran out. */
export const TIMEOUTS_MS = {
  'entra-discovery': 10_000,
  'entra-token': 10_000,
  'entra-authorize': 10_000,
  'botpress-auth-config': 10_000,
  'botpress-login-redirect': 10_000,
} as const;
export type TimeoutName = keyof typeof TIMEOUTS_MS;

export type VerdictStatus = 'pass' | 'fail' | 'skip' | 'warn';
export interface Verdict {
  readonly id: string;
  readonly status: VerdictStatus;
  /** What was found (pass), what is wrong (fail/warn), or why the check could not run (skip). */
  readonly detail: string;
  /** The exact fix, for fail and warn. */
  readonly fix?: string;
}

/** An observation: a response, a transport error, or a reason not to ask at all. */
export type Observation =
  | { readonly kind: 'response'; readonly url: string; readonly response: HttpResponse }
  | { readonly kind: 'error'; readonly url: string; readonly message: string }
  | { readonly kind: 'not-asked'; readonly reason: string };

export interface Check {
  readonly id: string;
  readonly title: string;
  gather(target: VerifyTarget, http: VerifyHttp, now: Date): Promise<Observation[]>;
  judge(target: VerifyTarget, observations: readonly Observation[], now: Date): Verdict;
}

/** Days before expiry from which the secret check warns. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const META_AUTHORITIES = ['organizations', 'common', 'consumers'];

/** Fixes for the AADSTS codes these checks meet (Microsoft's error code reference). */
const AADSTS_FIXES: Readonly<Record<string, string>> = {
  '50011':
    "the callback URL is not registered for the app: make Botpress's externalUrl equal to botpressUrl (scheme, host, path prefix, no trailing slash), then npx cdktf deploy {env} and restart Botpress",
  '50194':
    'a single-tenant app is used with a multi-tenant authority: npx cdktf deploy {env} (it writes the tenant id into the endpoints), then restart Botpress',
  '700016':
    'the client id is not an app in this tenant or cloud: check tenantId and cloud in the settings, then npx cdktf deploy {env} and restart Botpress',
  '90002':
    'the tenant does not exist in this cloud: check tenantId and cloud in the settings, then npx cdktf deploy {env}',
  '7000215':
    'the client secret Botpress has is not a valid secret of the app: npx cdktf deploy {env} to write the current one (a new secret can take a minute to work), pass the env file to Botpress with environment delivery, and restart Botpress',
  '7000222': 'the client secret has expired: npx cdktf deploy {env} issues a new one; restart Botpress',
};

export function aadstsCode(text: string): string | undefined {
  return /AADSTS(\d+)/.exec(text)?.[1];
}

function fixFor(code: string, target: VerifyTarget, fallback: string): string {
  return (AADSTS_FIXES[code] ?? fallback).replace(/\{env\}/g, target.environment);
}

/** `https://<host>/<authority>/oauth2/v2.0/token` apart; undefined when the URL has another form. */
export function parseTokenUrl(tokenUrl: string): { host: string; authority: string } | undefined {
  const match = /^https:\/\/([^/]+)\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(tokenUrl);
  return match ? { host: match[1], authority: match[2] } : undefined;
}

const transportFailure = (id: string, o: Extract<Observation, { kind: 'error' }>, fix: string): Verdict => ({
  id,
  status: 'fail',
  detail: `${o.url}: ${o.message}`,
  fix,
});

type Answer = Extract<Observation, { kind: 'response' }>;
const ENTRA_UNREACHABLE = 'run verify from a machine that reaches the Entra login host';
const botpressUnreachable = (target: VerifyTarget) =>
  `start Botpress, or run verify from a machine that reaches ${target.botpressUrl}`;

/**
 * The one answer a check asked for, or its verdict when there is none: skipped when the check
 * was not asked (or `notAsked` when that is a failure of its own), failed when the host did not
 * answer.
 */
function answerOf(
  id: string,
  observations: readonly Observation[],
  unreachableFix: string,
  notAsked?: (reason: string) => Verdict,
): Answer | Verdict {
  const o = one(observations);
  if (o.kind === 'not-asked') return notAsked ? notAsked(o.reason) : { id, status: 'skip', detail: o.reason };
  if (o.kind === 'error') return transportFailure(id, o, unreachableFix);
  return o;
}

const isVerdict = (o: Answer | Verdict): o is Verdict => !('kind' in o);

const one = (observations: readonly Observation[]) => observations[0];

function parseJsonBody(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const CHECKS: readonly Check[] = [
  {
    id: 'entra-discovery',
    title: "The tenant's OpenID discovery document names the configured endpoints",
    async gather(target, http) {
      const parsed = parseTokenUrl(target.options.tokenURL);
      if (!parsed)
        return [{ kind: 'not-asked', reason: `tokenURL ${target.options.tokenURL} is not an Entra v2 token endpoint` }];
      const url = `https://${parsed.host}/${parsed.authority}/v2.0/.well-known/openid-configuration`;
      return [await ask(url, () => http.get(url, 'entra-discovery'))];
    },
    judge(target, observations) {
      const id = 'entra-discovery';
      const redeploy = `npx cdktf deploy ${target.environment} (it renders the endpoints), then restart Botpress`;
      const o = answerOf(id, observations, ENTRA_UNREACHABLE, (reason) => ({
        id,
        status: 'fail',
        detail: reason,
        fix: redeploy,
      }));
      if (isVerdict(o)) return o;
      const code = aadstsCode(o.response.body);
      if (code)
        return { id, status: 'fail', detail: `${o.url} answered AADSTS${code}`, fix: fixFor(code, target, redeploy) };
      const doc = o.response.status === 200 ? parseJsonBody(o.response.body) : undefined;
      if (!doc)
        return {
          id,
          status: 'fail',
          detail: `${o.url} answered HTTP ${o.response.status} without a discovery document`,
          fix: 'check tenantId and cloud in the settings',
        };
      const wrong = (
        [
          ['authorization_endpoint', 'authorizationURL', target.options.authorizationURL],
          ['token_endpoint', 'tokenURL', target.options.tokenURL],
        ] as const
      ).filter(([key, , configured]) => doc[key] !== configured);
      if (wrong.length > 0) {
        return {
          id,
          status: 'fail',
          detail: wrong
            .map(([key, option, configured]) => `${option} is ${configured}, discovery says ${String(doc[key])}`)
            .join('; '),
          fix: redeploy,
        };
      }
      return { id, status: 'pass', detail: `${o.url} names the configured authorize and token endpoints` };
    },
  },
  {
    id: 'entra-client-secret',
    title: 'The client secret works (client-credentials token request)',
    async gather(target, http) {
      if (target.signInAudience === 'PersonalMicrosoftAccount') {
        return [
          {
            kind: 'not-asked',
            reason:
              'apps for personal Microsoft accounts only cannot request app-only tokens, so the secret cannot be tried without a sign-in',
          },
        ];
      }
      const parsed = parseTokenUrl(target.options.tokenURL);
      if (!parsed)
        return [{ kind: 'not-asked', reason: `tokenURL ${target.options.tokenURL} is not an Entra v2 token endpoint` }];
      const tenant = META_AUTHORITIES.includes(parsed.authority) ? target.tenantId : parsed.authority;
      if (!tenant) {
        return [
          {
            kind: 'not-asked',
            reason: `the endpoints use /${parsed.authority}, and a client-credentials request needs the app's home tenant: set tenantId in the settings to run this check`,
          },
        ];
      }
      const url = `https://${parsed.host}/${tenant}/oauth2/v2.0/token`;
      const form = {
        grant_type: 'client_credentials',
        client_id: target.options.clientID,
        client_secret: target.options.clientSecret,
        scope: `https://${CLOUDS[target.cloud].graphHost}/.default`,
      };
      return [await ask(url, () => http.postForm(url, form, 'entra-token'))];
    },
    judge(target, observations) {
      const id = 'entra-client-secret';
      const o = answerOf(id, observations, ENTRA_UNREACHABLE);
      if (isVerdict(o)) return o;
      const body = parseJsonBody(o.response.body);
      if (o.response.status === 200 && typeof body?.access_token === 'string') {
        return { id, status: 'pass', detail: `${o.url} issued a token for client ${target.options.clientID}` };
      }
      const code = aadstsCode(o.response.body);
      const error = typeof body?.error === 'string' ? body.error : `HTTP ${o.response.status}`;
      return {
        id,
        status: 'fail',
        detail: `${o.url} refused the client credentials: ${error}${code ? ` AADSTS${code}` : ''}`,
        fix: code
          ? fixFor(code, target, `npx cdktf deploy ${target.environment}, then restart Botpress`)
          : `npx cdktf deploy ${target.environment}, then restart Botpress`,
      };
    },
  },
  {
    id: 'entra-authorize',
    title: 'Entra accepts the client id and the callback URL (authorize request, no sign-in)',
    async gather(target, http) {
      const url = new URL(target.options.authorizationURL);
      url.searchParams.set('client_id', target.options.clientID);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('redirect_uri', target.options.callbackURL);
      url.searchParams.set('scope', target.options.scope);
      url.searchParams.set('response_mode', 'query');
      return [await ask(url.href, () => http.get(url.href, 'entra-authorize'))];
    },
    judge(target, observations) {
      const id = 'entra-authorize';
      const o = answerOf(id, observations, ENTRA_UNREACHABLE);
      if (isVerdict(o)) return o;
      const code = aadstsCode(`${o.response.location ?? ''}\n${o.response.body}`);
      if (code) {
        return {
          id,
          status: 'fail',
          detail: `the authorize endpoint answered AADSTS${code}`,
          fix: fixFor(code, target, `npx cdktf deploy ${target.environment}, then restart Botpress`),
        };
      }
      if (o.response.status >= 400) {
        return {
          id,
          status: 'fail',
          detail: `the authorize endpoint answered HTTP ${o.response.status}`,
          fix: `npx cdktf deploy ${target.environment}, then restart Botpress`,
        };
      }
      return {
        id,
        status: 'pass',
        detail: `client ${target.options.clientID} and callback ${target.options.callbackURL} accepted`,
      };
    },
  },
  {
    id: 'botpress-lists-strategy',
    title: `Botpress lists the strategy (GET /api/v1/admin/auth/config)`,
    async gather(target, http) {
      const url = `${target.botpressUrl}/api/v1/admin/auth/config`;
      return [await ask(url, () => http.get(url, 'botpress-auth-config'))];
    },
    judge(target, observations) {
      const id = 'botpress-lists-strategy';
      const o = answerOf(id, observations, botpressUnreachable(target));
      if (isVerdict(o)) return o;
      const payload = parseJsonBody(o.response.body)?.payload as
        { strategies?: Array<{ strategyId?: string; strategyType?: string }> } | undefined;
      if (o.response.status !== 200 || !Array.isArray(payload?.strategies)) {
        return {
          id,
          status: 'fail',
          detail: `${o.url} answered HTTP ${o.response.status} without a strategy list`,
          fix: `make botpressUrl Botpress's external URL (path prefix included)`,
        };
      }
      const listed = payload.strategies.map((s) => s.strategyId);
      if (!listed.includes(target.strategyName)) {
        return {
          id,
          status: 'fail',
          detail: `Botpress lists ${listed.length > 0 ? listed.map((s) => JSON.stringify(s)).join(', ') : 'no strategies'}, not ${JSON.stringify(target.strategyName)}`,
          fix:
            target.botpressStorage === 'database'
              ? 'start every Botpress node with the env file (docker --env-file, a Kubernetes secret), keep a license (BP_LICENSE_KEY), and restart Botpress'
              : 'enable Botpress Pro (pro.enabled with a license) and restart Botpress',
        };
      }
      return { id, status: 'pass', detail: `Botpress lists ${JSON.stringify(target.strategyName)}` };
    },
  },
  {
    id: 'botpress-login-redirect',
    title: "Botpress's login redirect points at the configured authorize endpoint, client id and callback URL",
    async gather(target, http) {
      const url = `${target.botpressUrl}/api/v1/admin/auth/redirect/oauth2/${encodeURIComponent(target.strategyName)}`;
      return [await ask(url, () => http.get(url, 'botpress-login-redirect'))];
    },
    judge(target, observations) {
      const id = 'botpress-login-redirect';
      const restart = `restart Botpress: it sets up strategies only at start`;
      const o = answerOf(id, observations, botpressUnreachable(target));
      if (isVerdict(o)) return o;
      const { status, location } = o.response;
      if (status < 300 || status >= 400 || !location) {
        return {
          id,
          status: 'fail',
          detail: `${o.url} answered HTTP ${status} instead of a redirect to Entra`,
          fix: status === 404 ? restart : `${restart}; check that Botpress Pro is enabled`,
        };
      }
      let to: URL;
      try {
        to = new URL(location, o.url);
      } catch {
        return { id, status: 'fail', detail: 'the redirect has no valid Location', fix: restart };
      }
      const problems: string[] = [];
      if (`${to.origin}${to.pathname}` !== target.options.authorizationURL)
        problems.push(`it goes to ${to.origin}${to.pathname}, the config says ${target.options.authorizationURL}`);
      if (to.searchParams.get('client_id') !== target.options.clientID)
        problems.push(
          `client_id is ${JSON.stringify(to.searchParams.get('client_id'))}, the config says ${target.options.clientID}`,
        );
      if (to.searchParams.get('redirect_uri') !== target.options.callbackURL)
        problems.push(
          `redirect_uri is ${JSON.stringify(to.searchParams.get('redirect_uri'))}, the config says ${target.options.callbackURL}`,
        );
      if (problems.length > 0) {
        return {
          id,
          status: 'fail',
          detail: `Botpress runs other options: ${problems.join('; ')}`,
          fix: `${restart}; make its externalUrl equal to botpressUrl`,
        };
      }
      return {
        id,
        status: 'pass',
        detail: `redirects to ${target.options.authorizationURL} with the configured client id and callback URL`,
      };
    },
  },
  {
    id: 'secret-expiry',
    title: "The client secret's expiry and next rotation",
    async gather(target) {
      return target.outputs
        ? []
        : [
            {
              kind: 'not-asked',
              reason: `no deploy outputs: pass --outputs <file> written by npx cdktf output ${target.environment} --json`,
            },
          ];
    },
    judge(target, observations, now) {
      const id = 'secret-expiry';
      const skipped = observations.find(
        (o): o is Extract<Observation, { kind: 'not-asked' }> => o.kind === 'not-asked',
      );
      if (skipped) return { id, status: 'skip', detail: skipped.reason };
      const expires = Date.parse(target.outputs?.clientSecretExpiresAt ?? '');
      const rotation = Date.parse(target.outputs?.clientSecretNextRotation ?? '');
      if (Number.isNaN(expires))
        return {
          id,
          status: 'skip',
          detail: 'the outputs have no client_secret_expires_at (SSO disabled, or not deployed yet)',
        };
      const deploy = `npx cdktf deploy ${target.environment} issues a new secret; restart Botpress`;
      const days = Math.floor((expires - now.getTime()) / DAY_MS);
      const when = `expires ${new Date(expires).toISOString()}${Number.isNaN(rotation) ? '' : `, next rotation ${new Date(rotation).toISOString()}`}`;
      if (expires <= now.getTime())
        return { id, status: 'fail', detail: `the client secret ${when}: it has expired`, fix: deploy };
      if (days < EXPIRY_WARNING_DAYS)
        return { id, status: 'warn', detail: `the client secret ${when}: ${days} days left`, fix: deploy };
      if (!Number.isNaN(rotation) && rotation <= now.getTime())
        return { id, status: 'warn', detail: `the client secret ${when}: rotation is due`, fix: deploy };
      return { id, status: 'pass', detail: `the client secret ${when} (${days} days left)` };
    },
  },
];

async function ask(url: string, request: () => Promise<HttpResponse>): Promise<Observation> {
  try {
    return { kind: 'response', url, response: await request() };
  } catch (error) {
    return { kind: 'error', url, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs every check in order. */
export async function runChecks(target: VerifyTarget, http: VerifyHttp, now: Date): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const check of CHECKS) verdicts.push(check.judge(target, await check.gather(target, http, now), now));
  return verdicts;
}

/** 0 when nothing failed (skips and warnings do not fail), 1 otherwise. */
export function exitCodeFor(verdicts: readonly Verdict[]): 0 | 1 {
  return verdicts.some((v) => v.status === 'fail') ? 1 : 0;
}
