/**
 * What several checks share: asking without throwing, the one answer a check asked for, the
 * fixes for Entra's AADSTS codes, and the parsing of token URLs and JSON bodies. Pure: the HTTP
 * client is passed in, never imported.
 */
import type { HttpResponse, Observation, VerifyTarget, Verdict } from './check';

/** Authorities that are not a tenant: a client-credentials request needs the app's home tenant instead. */
export const META_AUTHORITIES = ['organizations', 'common', 'consumers'];

export const ENTRA_UNREACHABLE = 'run verify from a machine that reaches the Entra login host';
export const botpressUnreachable = (target: VerifyTarget) =>
  `start Botpress, or run verify from a machine that reaches ${target.botpressUrl}`;

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

/** The fix for Entra's answer: the one for its AADSTS code when there is one this table knows, else `fallback`. */
export function fixFor(code: string | undefined, target: VerifyTarget, fallback: string): string {
  return ((code === undefined ? undefined : AADSTS_FIXES[code]) ?? fallback).replace(/\{env\}/g, target.environment);
}

/** The fix when Entra refuses what the config holds: deploy again, so that it holds what Entra has. */
export const redeployFix = (target: VerifyTarget) => `npx cdktf deploy ${target.environment}, then restart Botpress`;

// Shared with the restart step's judgement of Botpress's strategy list (host/strategy-listing.ts).
export { parseJsonBody } from '../../host/json-body';

/** One request as an observation: its response, or the transport error it ended in. */
export async function ask(url: string, request: () => Promise<HttpResponse>): Promise<Observation> {
  try {
    return { kind: 'response', url, response: await request() };
  } catch (error) {
    return { kind: 'error', url, message: error instanceof Error ? error.message : String(error) };
  }
}

export type Answer = Extract<Observation, { kind: 'response' }>;

/**
 * The one answer a check asked for, or its verdict when there is none: skipped when the check
 * was not asked (or `notAsked` when that is a failure of its own), failed when the host did not
 * answer.
 */
export function answerOf(
  id: string,
  observations: readonly Observation[],
  unreachableFix: string,
  notAsked?: (reason: string) => Verdict,
): Answer | Verdict {
  const o = observations[0];
  if (o.kind === 'not-asked') return notAsked ? notAsked(o.reason) : { id, status: 'skip', detail: o.reason };
  if (o.kind === 'error') return { id, status: 'fail', detail: `${o.url}: ${o.message}`, fix: unreachableFix };
  return o;
}

export const isVerdict = (o: Answer | Verdict): o is Verdict => !('kind' in o);

/**
 * Why a request to Entra is not sent: the config names endpoints the settings do not derive
 * (entra-endpoints.ts), and this request would carry the secret or the client id there.
 */
export function notSentElsewhere(target: VerifyTarget, carrying: string): Observation | undefined {
  if (target.entra.kind === 'derived') return undefined;
  return {
    kind: 'not-asked',
    reason: `not sent, since it would carry ${carrying}: ${target.entra.problems.join('; ')} (check 1 fails for it)`,
  };
}
