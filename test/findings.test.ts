import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FINDING_KINDS, finding, findingText } from '../constructs/findings';

describe('findings', () => {
  const kinds = Object.values(FINDING_KINDS);

  it('have unique ids', () => {
    expect(new Set(kinds.map((k) => k.id)).size).toBe(kinds.length);
  });

  it('are listed in docs/development.md, each with what it is about', () => {
    const page = readFileSync(path.join(__dirname, '..', 'docs', 'development.md'), 'utf8');
    const rows = [...page.matchAll(/^\| `(BPSSO-[A-Z]\d+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(kinds.map((k) => [k.id, k.about]));
  });

  it('read as subject, problem, fix and id', () => {
    const f = finding(FINDING_KINDS.proNotEnabled, 'baseConfig at pro.enabled', 'is not true', 'set it');
    expect(findingText(f)).toBe('baseConfig at pro.enabled is not true. Fix: set it [BPSSO-W002]');
  });
});
