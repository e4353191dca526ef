/**
 * `describe` for suites that need something of the machine. Without it they are skipped locally
 * (with a note) but fail under CI=true, where a skipped test would be a silent hole.
 */
export interface Requirement {
  readonly met: boolean;
  /** What is missing, and how to get it. */
  readonly missing: string;
}

const ci = process.env.CI === 'true' || process.env.CI === '1';

export function describeNeeding(requirements: readonly Requirement[], name: string, body: () => void): void {
  const unmet = requirements.filter((r) => !r.met);
  if (unmet.length === 0) {
    describe(name, body);
  } else if (ci) {
    describe(name, () => {
      for (const r of unmet) {
        it(`needs: ${r.missing}`, () => {
          throw new Error(r.missing);
        });
      }
    });
  } else {
    console.warn(`Skipping "${name}": ${unmet.map((r) => r.missing).join('; ')}`);
    describe.skip(name, body);
  }
}

/** Root: the host tests own files as uid 999 (the official Botpress image) and drop privileges with setpriv. */
export const ROOT_USER: Requirement = {
  met: process.getuid?.() === 0,
  missing: 'root (the host tests chown files to uid 999 and run as other users with setpriv): run npm test as root',
};
