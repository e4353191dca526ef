// Botpress's user against the install program, counted over many runs: the loops of
// test/support/host-attack.js (which the proofs run a few dozen times) with the benchmark's
// numbers. Needs root (the attacker acts as uid 999) and dist/ (the bundled program).
'use strict';
const path = require('node:path');
const { OPTIONS, PATHS, log } = require('./options');

/** Each loop, its mode and its number of runs (BENCH_RACE_RUNS scales the in-process ones). */
function raceCases() {
  const runs = OPTIONS.raceRuns;
  return [
    { loop: 'lost-updates', mode: 'in-process', runs },
    { loop: 'lost-updates', mode: 'spawn', runs: Math.ceil(runs / 50) },
    { loop: 'swaps', mode: 'in-process', runs },
    { loop: 'swaps', mode: 'spawn', runs: Math.ceil(runs / 50) },
  ];
}

/** The reports of each loop, or why none was measured. */
async function measureHostRaces(session) {
  if (OPTIONS.raceRuns === 0) return { skipped: 'BENCH_RACE_RUNS=0' };
  if (process.getuid?.() !== 0) return { skipped: 'not root (the attacker acts as uid 999 through setpriv)' };
  const { INSTALL_PROGRAM } = require(path.join(PATHS.root, 'dist/constructs/generated/host-programs.js'));
  const attack = require(path.join(PATHS.root, 'test/support/host-attack.js'));
  const reports = [];
  for (const c of raceCases()) {
    const started = process.hrtime.bigint();
    try {
      const measure = c.loop === 'swaps' ? attack.measureSwapRaces : attack.measureLostUpdates;
      const report = await measure({ program: INSTALL_PROGRAM, runs: c.runs, mode: c.mode });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`  ${c.loop} (${c.mode}, ${c.runs} runs): ${summarizeRace(report)} in ${(ms / 1000).toFixed(1)} s`);
      reports.push({ ...c, report, ms });
    } catch (error) {
      session.errors.push(`${c.loop} (${c.mode}): ${error && error.stack ? error.stack : error}`);
    }
  }
  return { reports };
}

/** One line: what the attacker won (must be nothing) and what it tried. */
function summarizeRace(report) {
  if ('writes' in report)
    return `${report.lost} lost of ${report.writes} writes (${report.lostReported} lost and reported)`;
  return `${report.leaks.length} leaks, ${report.secretProblems.length} root-only files read or changed, ${report.swaps} swaps`;
}

module.exports = { measureHostRaces, summarizeRace };
