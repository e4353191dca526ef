/**
 * Races against the bundled install program, with numbers: Botpress's user (uid 999) exchanging
 * the live file, its backup, its folder and a parent folder with links to root-only files as fast
 * as it can (renameat2 RENAME_EXCHANGE), and writing the live file in place as Botpress does,
 * timed into the installer's work. The loops are test/support/host-attack.js's, which the
 * benchmark runs with larger numbers; here they run a few hundred times in this process and a
 * few times as real `node -e` processes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { INSTALL_PROGRAM } from '../../constructs/generated/host-programs';
import { measureLostUpdates, measureSwapRaces } from '../support/host-attack';
import { describeNeeding, Requirement, ROOT_USER } from '../support/requirements';

const SWAPPER_ARCH: Requirement = {
  met: process.arch === 'x64' || process.arch === 'arm64',
  missing: `an x64 or arm64 machine (the swapper calls renameat2 by its number; this is ${process.arch})`,
};

// Processes, mounts and a swapper that takes a core: generous on a loaded machine (a hang still ends).
jest.setTimeout(180_000);

describeNeeding(
  [ROOT_USER, SWAPPER_ARCH],
  "races against the install program (Botpress's user as the attacker)",
  () => {
    it.each([
      ['in-process', 50],
      ['spawn', 1],
    ] as const)(
      'swaps for links while it runs (%s, %i runs): no root-only file read, changed or leaked',
      async (mode, runs) => {
        const report = await measureSwapRaces({ program: INSTALL_PROGRAM, runs, mode });
        expect(report.secretProblems).toEqual([]);
        expect(report.leaks).toEqual([]);
        expect(report.swaps).toBeGreaterThan(0);
        // Every run installed or refused, naming what it found. (A link swapped in between the last
        // check and the rename is replaced by the rename itself, its target untouched; the swapper
        // then exchanges two real files, which later runs see as the file replaced while they worked.)
        for (const outcome of Object.keys(report.outcomes))
          expect([
            'installed',
            'refused: link',
            'refused: link in path',
            'refused: folder swapped while opening',
            'refused: changed during install',
          ]).toContain(outcome);
      },
    );

    it.each([
      ['in-process', 40],
      ['spawn', 1],
    ] as const)('Botpress writes while it runs (%s, %i runs): no write lost', async (mode, runs) => {
      const report = await measureLostUpdates({ program: INSTALL_PROGRAM, runs, mode });
      expect(report).toMatchObject({ lost: 0, lostReported: 0 });
      expect(report.writes).toBeGreaterThan(0);
    });

    // The negative control: the 0.2 installer (frozen in test/fixtures), measured the same way,
    // loses writes and is steered by the links, so the loops above can fail.
    it('the 0.2 installer, measured the same way, loses writes and reads or changes root-only files', async () => {
      const installer02 = readFileSync(path.join(__dirname, '..', 'fixtures', 'installer-0.2.program.txt'), 'utf8');
      // A race, so it is measured in batches until it shows (on a quiet machine, in the first
      // batch; a busy one can let a whole batch pass): the count is what is asserted.
      const untilSeen = async <T>(measure: () => Promise<T>, seen: (report: T) => boolean) => {
        let report = await measure();
        for (let batch = 1; batch < 10 && !seen(report); batch++) report = await measure();
        return report;
      };
      const lost = await untilSeen(
        () => measureLostUpdates({ program: installer02, runs: 30 }),
        (report) => report.lost > 0,
      );
      expect(lost.lost).toBeGreaterThan(0);
      const swaps = await untilSeen(
        () => measureSwapRaces({ program: installer02, runs: 20 }),
        (report) => report.secretProblems.length > 0,
      );
      expect(swaps.secretProblems.length).toBeGreaterThan(0);
    });
  },
);
