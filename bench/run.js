// Running the commands: each group in rounds, every command once per round in an order rotated by
// one each round (so that a slow spell of a shared machine falls on all of them alike), after
// warm-up rounds that are not kept. Times are wall-clock times of whole processes.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { CommandError, childEnv, describeCommand, npmCommand } = require('./command');
const { fmtMs } = require('./format');
const { OPTIONS, PATHS, log } = require('./options');

/** Builds dist/ when it is missing; says whether it did. */
function ensureBuilt() {
  if (fs.existsSync(PATHS.distMain)) return false;
  log('dist/main.js is missing: running npm run build');
  const [bin, ...args] = npmCommand(['run', 'build']);
  const result = spawnSync(bin, args, {
    cwd: PATHS.root,
    stdio: ['ignore', process.stderr, process.stderr],
    env: childEnv(),
  });
  if (result.error || result.status !== 0)
    throw new CommandError(
      `npm run build failed (${result.error ? result.error.message : `exit code ${result.status}`})`,
    );
  return true;
}

/** When dist/main.js was last written: another process's rebuild during the run shows here. */
const distStamp = () => (fs.existsSync(PATHS.distMain) ? fs.statSync(PATHS.distMain).mtimeMs : undefined);

/** Waits for dist/main.js after another process removed it (npm run build starts with rm -rf dist). */
function waitForDist() {
  const deadline = Date.now() + 180000;
  while (Date.now() < deadline) {
    if (fs.existsSync(PATHS.distMain)) {
      spawnSync('sleep', ['2']); // let the rest of the build land
      return true;
    }
    spawnSync('sleep', ['1']);
  }
  return false;
}

/**
 * Runs a command once and returns its wall time in ms, or undefined when it timed out. With
 * `record`, keeps the time (and the peak RSS reported by the preload).
 */
function runOnce(cmd, record, notes) {
  const rssFile = cmd.rss ? path.join(PATHS.work, `maxrss-${process.pid}.txt`) : undefined;
  for (let attempt = 1; ; attempt++) {
    if (rssFile) fs.rmSync(rssFile, { force: true });
    const env = childEnv(rssFile ? { ...cmd.env, BENCH_MAXRSS_FILE: rssFile } : cmd.env);
    const start = process.hrtime.bigint();
    const result = spawnSync(cmd.argv[0], cmd.argv.slice(1), {
      cwd: cmd.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      timeout: OPTIONS.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error && result.error.code === 'ETIMEDOUT') {
      cmd.timedOut = true;
      return undefined;
    }
    if (result.error || result.status !== 0) {
      const output = `${result.stdout || ''}${result.stderr || ''}`;
      // Another developer's `npm run build` may have removed dist/ under us: wait and retry.
      if (attempt < 3 && (!fs.existsSync(PATHS.distMain) || /Cannot find module/.test(output)) && waitForDist()) {
        notes.add('dist/ disappeared during the run (another process rebuilt it); the affected runs were repeated.');
        continue;
      }
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new CommandError(
        `"${cmd.label}" failed (${result.error ? result.error.message : `exit code ${result.status}, signal ${result.signal}`}):\n  ${describeCommand(cmd)}\n${tail}`,
      );
    }
    if (ms > OPTIONS.slowMs) cmd.slow = true;
    if (record || cmd.slow) {
      // A slow run counts even as a warm-up: at that length warm-up effects do not matter.
      cmd.times.push(ms);
      if (rssFile && fs.existsSync(rssFile)) {
        const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb)) cmd.rssKb.push(kb);
      }
    }
    return ms;
  }
}

/**
 * Warm-ups, then `runs` rounds; each round runs every command, rotating who goes first. A command
 * that timed out, or that is slow and already has a measurement, is not run again.
 */
function runGroup(name, commands, warmup, runs, notes) {
  const total = warmup + runs;
  for (let round = 0; round < total; round++) {
    const record = round >= warmup;
    const shift = round % commands.length;
    const order = [...commands.slice(shift), ...commands.slice(0, shift)];
    const line = [];
    for (const cmd of order) {
      if (cmd.timedOut || (cmd.slow && cmd.times.length > 0)) continue;
      const ms = runOnce(cmd, record, notes);
      line.push(`${cmd.label} ${ms === undefined ? `timed out (> ${OPTIONS.timeoutMs / 1000} s)` : fmtMs(ms)}`);
    }
    if (line.length)
      log(
        `  ${name} ${record ? `run ${round - warmup + 1}/${runs}` : `warm-up ${round + 1}/${warmup}`}: ${line.join(', ')}`,
      );
  }
}

/** Runs the three groups; a command that fails ends its group only, and is reported in `errors`. */
function runGroups(cases, { errors, notes }) {
  const { runs, warmup, cliRuns, cliWarmup } = OPTIONS;
  const attempt = (name, fn) => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      errors.push(`${name}: ${error.message}`);
      log(`ERROR in ${name}: ${error.message}`);
    }
  };
  attempt('synthesis', () => runGroup('synth', cases.groups.synth, warmup, runs, notes));
  attempt('large config', () => runGroup('large', cases.groups.large, warmup, runs, notes));
  attempt('cdktf CLI', () => runGroup('cli', cases.groups.cli, cliWarmup, cliRuns, notes));
}

/** The in-process parse + render timing (medians in ms), or undefined (and an error) when it could not run. */
function timeRenderOnly(cmd, { errors }) {
  const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), {
    cwd: PATHS.root,
    env: childEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: OPTIONS.timeoutMs,
  });
  if (r.status === 0) return JSON.parse(r.stdout);
  const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-3).join(' ');
  errors.push(`in-process parse + render: ${why}\n  ${describeCommand(cmd)}`);
  log(`ERROR in in-process parse + render: ${why}`);
  return undefined;
}

module.exports = { distStamp, ensureBuilt, runGroups, timeRenderOnly };
