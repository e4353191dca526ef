// Timing `npm test`: whole runs in their own process group (jest starts workers and OpenTofu), so
// that a timeout or an interrupted benchmark stops all of it; jest's JSON report of the last run
// gives the per-file durations.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { childEnv, npmCommand } = require('./command');
const { fmtMs } = require('./format');
const { OPTIONS, PATHS, log, rel } = require('./options');

/** The process group of a running runInGroup child, killed if the benchmark is interrupted. */
let runningGroup;

function killGroupOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (runningGroup) {
        try {
          process.kill(-runningGroup, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    });
  }
}

/**
 * Runs a command in its own process group, so that a timeout stops all of it. Resolves with the
 * wall time, exit code and the output's tail.
 */
function runInGroup(argv, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
    let output = '';
    let timedOut = false;
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    runningGroup = child.pid;
    const keep = (data) => {
      output = (output + data).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      runningGroup = undefined;
      resolve({ ms: elapsed(), code: undefined, signal: undefined, timedOut, output, error: error.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      runningGroup = undefined;
      resolve({ ms: elapsed(), code, signal, timedOut, output });
    });
  });
}

/** The files of a jest JSON report, slowest first. */
function jestFiles(report) {
  return (report.testResults || [])
    .map((f) => ({
      file: rel(f.name),
      ms: f.endTime - f.startTime,
      tests: (f.assertionResults || []).length,
      status: f.status,
    }))
    .sort((a, b) => b.ms - a.ms);
}

/** `npm test`, OPTIONS.testRuns times: each run's time and outcome, and the last report's summary. */
async function timeTestSuite(npmTest, jestJson) {
  const tests = { runs: OPTIONS.testRuns, outcomes: [], files: [], summary: 'no jest report' };
  for (let i = 0; i < OPTIONS.testRuns; i++) {
    fs.rmSync(jestJson, { force: true });
    const r = await runInGroup(npmTest.argv, { cwd: PATHS.root, env: childEnv(), timeoutMs: OPTIONS.testTimeoutMs });
    npmTest.times.push(r.ms);
    const outcome = r.timedOut
      ? `timed out after ${fmtMs(r.ms)}`
      : r.error
        ? r.error
        : `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}`;
    tests.outcomes.push(outcome);
    log(`  npm test run ${i + 1}/${OPTIONS.testRuns}: ${fmtMs(r.ms)} (${outcome})`);
    if (fs.existsSync(jestJson)) {
      const report = JSON.parse(fs.readFileSync(jestJson, 'utf8'));
      tests.files = jestFiles(report);
      tests.summary = `${report.numPassedTests}/${report.numTotalTests} tests passed, ${report.numPassedTestSuites}/${report.numTotalTestSuites} files`;
    } else if (r.code !== 0) {
      log(r.output.trim().split('\n').slice(-10).join('\n'));
    }
  }
  return tests;
}

/**
 * The two other suites CI runs, once each (none when BENCH_TEST_RUNS=0): the proofs
 * (test/proofs/) and the consumer test (the packed package in a fresh project; it needs the npm
 * registry). Each one's time and outcome.
 */
async function timeOtherSuites() {
  if (OPTIONS.testRuns === 0) return [];
  const suites = [];
  for (const script of ['test:proofs', 'test:consumer']) {
    const r = await runInGroup(npmCommand(['run', script]), {
      cwd: PATHS.root,
      env: childEnv(),
      timeoutMs: OPTIONS.testTimeoutMs,
    });
    const outcome = r.timedOut ? 'timed out' : r.error ? r.error : `exit ${r.code}`;
    log(`  npm run ${script}: ${fmtMs(r.ms)} (${outcome})`);
    suites.push({ script, ms: r.ms, outcome });
  }
  return suites;
}

module.exports = { killGroupOnSignals, timeOtherSuites, timeTestSuite };
