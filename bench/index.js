#!/usr/bin/env node
// `npm run bench`: synthesis speed and memory against a bare cdktf app, checked against the
// project's targets, printed and written to bench/RESULTS.md. README.md beside this file says
// what is measured, the variables (BENCH_*) and how to read the results. A missed target prints
// FAIL and still exits 0; only a crash (a command that fails, a fixture that cannot be written)
// exits non-zero.
'use strict';
const fs = require('node:fs');
const { benchmarkCases } = require('./cases');
const { writeFixtures } = require('./fixtures');
const { describeMachine, startOfRun } = require('./machine');
const { OPTIONS, PATHS, log, rel } = require('./options');
const { printSummary, writeResults } = require('./report');
const { summarize } = require('./results');
const { distStamp, ensureBuilt, runGroups, timeRenderOnly } = require('./run');
const { killGroupOnSignals, timeOtherSuites, timeTestSuite } = require('./test-suite');
const { measureHostRaces } = require('./host-races');

async function main() {
  killGroupOnSignals();
  const run = startOfRun(); // date, load average
  const session = { errors: [], notes: new Set() };
  const built = ensureBuilt(); // dist/, when it is missing
  const distAtStart = distStamp();
  const cases = benchmarkCases(writeFixtures()); // settings, config copies, large configs, the bare app
  log(
    `botpress-azure-sso benchmark: ${OPTIONS.runs} runs after ${OPTIONS.warmup} warm-ups (cdktf CLI: ${OPTIONS.cliRuns} after ${OPTIONS.cliWarmup}); npm test ${OPTIONS.testRuns}x; timeout ${OPTIONS.timeoutMs / 1000} s`,
  );
  runGroups(cases, session); // rounds, rotated order
  const renderOnly = timeRenderOnly(cases.renderOnly, session);
  // Checked before the test suites: the consumer test packs the project, which rebuilds dist/.
  if (distStamp() !== distAtStart)
    session.notes.add(
      'dist/main.js changed during the run (another process rebuilt dist/): measurements may mix builds.',
    );
  const tests = await timeTestSuite(cases.npmTest, cases.jestJson);
  const otherSuites = await timeOtherSuites(); // the proofs and the consumer test, once
  const races = await measureHostRaces(session); // Botpress's user against the installer
  if (OPTIONS.note) session.notes.add(OPTIONS.note);
  const results = summarize(cases, {
    machine: describeMachine(run, built),
    renderOnly,
    tests,
    otherSuites,
    races,
    ...session,
  });
  printSummary(results); // console tables
  writeResults(PATHS.results, results); // the same results, as Markdown
  log(`\nWrote ${rel(PATHS.results)}`);
  if (!OPTIONS.keep) fs.rmSync(PATHS.work, { recursive: true, force: true });
  if (session.errors.length) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
