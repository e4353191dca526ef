/**
 * The rotation schedule's two statements of one arithmetic (constructs/entra/rotation-schedule.ts):
 * the HCL the engine evaluates at plan time and the JavaScript the app tells dates with, held
 * equal by a real OpenTofu over leap years, month and year ends and times late in the day.
 */
import {
  aIsNewerHcl,
  boundaryAt,
  daysSinceEpochHcl,
  generationAt,
  generationHcl,
  midnightHcl,
  newerSlotAt,
  plusDaysHcl,
  slotGenerationsAt,
  slotGenerationsHcl,
} from '../constructs/entra/rotation-schedule';
import { describeWithEngine, evaluateExpressions } from './support/tofu';

const ANCHORS = ['1999-12-31T23:59:59Z', '2024-02-28T00:00:01Z', '2024-02-29T12:00:00Z', '2025-01-31T18:30:00Z'];
const NOWS = [
  '2000-01-01T00:00:00Z',
  '2024-03-01T23:59:59Z',
  '2025-03-01T00:00:00Z',
  '2028-02-29T06:00:00Z',
  '2100-03-01T00:00:00Z',
];
const PERIODS = [1, 30, 180, 730];

const quoted = (t: string) => JSON.stringify(t);
const cases = ANCHORS.flatMap((anchor) =>
  NOWS.filter((now) => now >= anchor).flatMap((now) => PERIODS.map((days) => ({ anchor, now, days }))),
);

describeWithEngine('the rotation schedule: HCL and JavaScript agree', () => {
  it('on the generation, the slots, the newer slot and the rotation dates', () => {
    const expressions: Record<string, string> = {};
    cases.forEach(({ anchor, now, days }, i) => {
      const k = generationHcl(`(${daysSinceEpochHcl({ anchor: quoted(anchor), now: quoted(now) })})`, days);
      const slots = slotGenerationsHcl(k);
      expressions[`k${i}`] = `\${${k}}`;
      expressions[`a${i}`] = `\${${slots.a}}`;
      expressions[`b${i}`] = `\${${slots.b}}`;
      expressions[`newer${i}`] = `\${${aIsNewerHcl(k)} ? "a" : "b"}`;
      expressions[`next${i}`] = `\${${plusDaysHcl(midnightHcl(quoted(anchor)), `(${k} + 1) * ${days}`)}}`;
    });
    const [evaluated] = evaluateExpressions([
      { stack: {}, values: { clientId: 'x', clientSecret: 'x', tenantId: 'x' }, expressions },
    ]);
    cases.forEach(({ anchor, now, days }, i) => {
      const k = generationAt(anchor, now, days);
      const slots = slotGenerationsAt(k);
      expect([`${anchor} ${now} /${days}`, evaluated[`k${i}`], evaluated[`a${i}`], evaluated[`b${i}`]]).toEqual([
        `${anchor} ${now} /${days}`,
        k,
        slots.a,
        slots.b,
      ]);
      expect(evaluated[`newer${i}`]).toBe(newerSlotAt(k));
      expect(evaluated[`next${i}`]).toBe(boundaryAt(anchor, k + 1, days));
    });
    expect(cases.length).toBeGreaterThan(50);
  });
});
