import type { VerifyHttp, VerifyTarget, Verdict } from './check';
import { CHECKS } from './checks';

/** Runs every check in order: each gathers, then judges what it gathered. */
export async function runChecks(target: VerifyTarget, http: VerifyHttp, now: Date): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const check of CHECKS) verdicts.push(check.judge(target, await check.gather(target, http, now), now));
  return verdicts;
}

/** 0 when nothing failed (skips and warnings do not fail), 1 otherwise. */
export function exitCodeFor(verdicts: readonly Verdict[]): 0 | 1 {
  return verdicts.some((v) => v.status === 'fail') ? 1 : 0;
}
