/**
 * The client secret's rotation schedule without drift: a fixed anchor (the time of the first
 * deploy, kept in state) and generation k = floor(days(anchor -> now) / rotationDays), with days
 * counted between UTC calendar dates. Rotation dates are then predictable whenever the deploys
 * run: boundary n is the anchor's date (UTC midnight) + n x rotationDays days. time_rotating,
 * used before, rotates only when a deploy runs and restarts its period from there, so its dates
 * drift by every late deploy (terraform-provider-time #195).
 *
 * Two statements of the same arithmetic live here: the HCL that the engine evaluates at plan time
 * (built-in functions only), and its definition in JavaScript, which the app uses to tell people
 * dates from local state. test/rotation-schedule.test.ts holds them equal under OpenTofu over leap
 * years and month ends.
 */

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to the UTC calendar date of `timestamp` (RFC 3339). */
function daysSinceEpoch(timestamp: string): number {
  return Math.floor(Date.parse(timestamp) / DAY_MS);
}

/** The generation at `now` of a schedule anchored at `anchor`, every `rotationDays` days. */
export function generationAt(anchor: string, now: string, rotationDays: number): number {
  return Math.floor((daysSinceEpoch(now) - daysSinceEpoch(anchor)) / rotationDays);
}

/** Boundary `n` of a schedule: the anchor's UTC date + n x rotationDays days, RFC 3339 at midnight. */
export function boundaryAt(anchor: string, n: number, rotationDays: number): string {
  return new Date((daysSinceEpoch(anchor) + n * rotationDays) * DAY_MS).toISOString().replace(/\.000Z$/, 'Z');
}

/** One of the two alternating slots of the secret. */
export type SecretSlot = 'a' | 'b';

/**
 * The slot generation of each slot at generation `k`: slot a's n-th secret is issued at
 * generation 2n, slot b's at 2n - 1, and a change of its slot generation re-issues a slot.
 */
export function slotGenerationsAt(k: number): Readonly<Record<SecretSlot, number>> {
  return { a: Math.floor(k / 2), b: Math.floor((k + 1) / 2) };
}

/** The newer slot at generation `k`, whose secret the config is given: slot a in even generations. */
export function newerSlotAt(k: number): SecretSlot {
  return k % 2 === 0 ? 'a' : 'b';
}

/**
 * HCL: a map from each name of `timestamps` (HCL expressions of RFC 3339 UTC timestamps) to the
 * days from 1970-01-01 to its calendar date, as the Julian Day Number minus 2440588 (the JDN of
 * 1970-01-01), from the year, month and day alone. The rotation-lab checked it against
 * JavaScript on 200 dates (1970 to 2400, leap days and month ends included).
 */
export function daysSinceEpochHcl(timestamps: Readonly<Record<string, string>>): string {
  const entries = Object.entries(timestamps)
    .map(([name, t]) => `${name} = ${t}`)
    .join(', ');
  const y = 'tonumber(formatdate("YYYY", t))';
  const m = 'tonumber(formatdate("M", t))';
  const d = 'tonumber(formatdate("D", t))';
  // a = 1 for January and February: the year is counted from March, so the leap day comes last.
  const a = `floor((14 - ${m}) / 12)`;
  const fromMarch = `{ y = ${y} + 4800 - ${a}, m = ${m} + 12 * ${a} - 3, d = ${d} }`;
  const jdn =
    's.d + floor((153 * s.m + 2) / 5) + 365 * s.y + floor(s.y / 4) - floor(s.y / 100) + floor(s.y / 400) - 32045';
  return `{ for name, s in { for name, t in { ${entries} } : name => ${fromMarch} } : name => ${jdn} - 2440588 }`;
}

/** HCL: the generation, from a map `days` made by daysSinceEpochHcl with keys `anchor` and `now`. */
export function generationHcl(days: string, rotationDays: number): string {
  return `floor((${days}.now - ${days}.anchor) / ${rotationDays})`;
}

/** HCL: RFC 3339 timestamp `midnight` + (`days`) days, `days` being an HCL number expression. */
export function plusDaysHcl(midnight: string, days: string): string {
  return `timeadd(${midnight}, format("%dh", (${days}) * 24))`;
}

/** HCL: the UTC midnight that starts the calendar date of `timestamp`. */
export function midnightHcl(timestamp: string): string {
  return `formatdate("YYYY-MM-DD'T'00:00:00Z", ${timestamp})`;
}

/** HCL: slotGenerationsAt, `k` being an HCL number expression. */
export function slotGenerationsHcl(k: string): Readonly<Record<SecretSlot, string>> {
  return { a: `floor(${k} / 2)`, b: `floor((${k} + 1) / 2)` };
}

/** HCL: whether slot a is the newer one at generation `k` (newerSlotAt). */
export function aIsNewerHcl(k: string): string {
  return `${k} % 2 == 0`;
}
