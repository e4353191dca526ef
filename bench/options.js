// What a run of the benchmark is told: its variables (BENCH_*, see README.md), the targets it
// checks, and where it writes. Read once, when the benchmark starts.
'use strict';
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

function intFromEnv(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

const RUNS = intFromEnv('BENCH_RUNS', 15, 1);

/** Rounds and limits. */
const OPTIONS = {
  runs: RUNS,
  warmup: intFromEnv('BENCH_WARMUP', 3),
  cliRuns: intFromEnv('BENCH_CLI_RUNS', Math.min(5, RUNS), 1),
  cliWarmup: intFromEnv('BENCH_CLI_WARMUP', 1),
  testRuns: intFromEnv('BENCH_TEST_RUNS', 1, 0),
  raceRuns: intFromEnv('BENCH_RACE_RUNS', 5000, 0),
  timeoutMs: intFromEnv('BENCH_TIMEOUT_S', 180, 1) * 1000,
  slowMs: intFromEnv('BENCH_SLOW_S', 20, 1) * 1000,
  testTimeoutMs: intFromEnv('BENCH_TEST_TIMEOUT_S', 1800, 1) * 1000,
  keep: Boolean(process.env.BENCH_KEEP),
  /** A sentence for the Notes of RESULTS.md, e.g. that other work shared the machine. */
  note: (process.env.BENCH_NOTE || '').trim(),
};

/** Settings files with this many environments. */
const ENV_COUNTS = [1, 20, 100];
/** Sizes of the generated botpress.config.json files; the last one is the ~5 MB of the target. */
const LARGE_SIZES_MB = [0.5, 1, 5];

const TARGETS = {
  synth: 1.5, // one environment vs the bare app
  envs20: 2, // twenty environments vs one
  cli: 1.2, // cdktf synth of the example vs of the bare app
  memory: 1.3, // peak RSS of one environment vs the bare app
  // The issue asks that a multi-megabyte config render "without a noticeable slowdown", with no
  // number. This benchmark's reading: the largest config (about 5 MB) adds at most one second to
  // a synthesis (which the cdktf CLI itself makes take about two). The cost per MB against a
  // plain JSON.parse + JSON.stringify is reported beside it, for information.
  largeExtraMs: 1000,
};

const BENCH_DIR = path.join(ROOT, 'bench');
const PATHS = {
  root: ROOT,
  /** Fixtures and outputs (gitignored; inside the repository so that they resolve its node_modules). */
  work: path.join(BENCH_DIR, 'work.tmp'),
  /** The bare cdktf app, the baseline. */
  bare: path.join(BENCH_DIR, 'bare.tmp'),
  results: path.join(BENCH_DIR, 'RESULTS.md'),
  distMain: path.join(ROOT, 'dist', 'main.js'),
  /** The library's internal door, for the in-process parse + render timing. */
  distInternal: path.join(ROOT, 'dist', 'constructs', 'internal.js'),
  example: path.join(ROOT, 'examples', 'botpress.config.json'),
};

/** A path as shown: relative to the repository, with forward slashes. */
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/') || '.';
/** Progress goes to stderr; the summary to stdout. */
const log = (message) => process.stderr.write(`${message}\n`);

module.exports = { OPTIONS, ENV_COUNTS, LARGE_SIZES_MB, TARGETS, PATHS, rel, log };
