/**
 * Whether Botpress lists a strategy, judged from its answer to GET /api/v1/admin/auth/config.
 * A pure function of (strategy name, HTTP status, body), apart from any HTTP client, so that the
 * restart step (host/restart-botpress.ts, bundled into the deploy) and verify's
 * botpress-lists-strategy check ask the same question. It lives in host/ because the bundled
 * programs may use nothing outside it.
 */
import { parseJsonBody } from './json-body';

export type StrategyListing =
  /** The answer lists the strategy. */
  | { readonly kind: 'listed' }
  /** Not HTTP 200, or no `payload.strategies` list: the URL is not Botpress's API (or not yet). */
  | { readonly kind: 'no-list' }
  /** A list without the strategy: the ids it holds instead. */
  | { readonly kind: 'not-listed'; readonly listed: ReadonlyArray<string | undefined> };

export function strategyListing(strategyName: string, status: number, body: string): StrategyListing {
  const payload = parseJsonBody(body)?.payload as
    { strategies?: Array<{ strategyId?: string; strategyType?: string }> } | undefined;
  if (status !== 200 || !Array.isArray(payload?.strategies)) return { kind: 'no-list' };
  const listed = payload.strategies.map((s) => s.strategyId);
  return listed.includes(strategyName) ? { kind: 'listed' } : { kind: 'not-listed', listed };
}
