/**
 * What every check of `npm run verify` works with: the target it checks, the HTTP client it may
 * use, what it observed, and the verdict it gives. A check gathers observations (gather), then
 * judges them with a pure function (judge); how verdicts are shown lives in report.ts. No
 * observation or verdict carries a secret: only what came back, never the client secret or a token.
 */
import type { AzureCloud, SignInAudience } from '../../constructs/internal';

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
