/** How verdicts are shown: one line per check (and its fix), or the --json document. */
import type { Verdict } from './check';
import { CHECKS } from './checks';
import { exitCodeFor } from './run-checks';

const MARKS: Readonly<Record<Verdict['status'], string>> = { pass: 'pass', fail: 'FAIL', skip: 'skip', warn: 'warn' };

export function renderText(environment: string, verdicts: readonly Verdict[]): string {
  const lines = [`botpress-azure-sso verify "${environment}":`];
  CHECKS.forEach((check, i) => {
    const v = verdicts[i];
    lines.push(`${MARKS[v.status]}  ${i + 1}. ${check.title}: ${v.detail}`);
    if (v.fix) lines.push(`      Fix: ${v.fix}`);
  });
  const failed = verdicts.filter((v) => v.status === 'fail').length;
  lines.push(failed === 0 ? 'No check failed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}

export function renderJsonResult(environment: string, verdicts: readonly Verdict[]): string {
  const code = exitCodeFor(verdicts);
  return `${JSON.stringify({ environment, ok: code === 0, checks: verdicts.map((v, i) => ({ ...v, title: CHECKS[i].title })) }, null, 2)}\n`;
}
