// A command the benchmark measures: what it runs, where, with which variables, and what it has
// measured so far; how it is shown (the "Commands" section of RESULTS.md, error messages); and the
// clean environment every child process gets.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { PATHS, rel } = require('./options');

/** A command that failed: reported under "Errors", the other groups still run. */
class CommandError extends Error {}

/**
 * A command to measure. `argv[0]` is run directly (no shell). `env` holds only what the command
 * adds to the environment, so that it can be printed; `display` is argv as printed; `rss` asks the
 * preload for the peak RSS.
 */
function command(label, argv, { cwd = PATHS.root, env = {}, rss = false, display } = {}) {
  return { label, argv, cwd, env, rss, display, times: [], rssKb: [], timedOut: false, slow: false };
}

/** Quotes a word for the "exact commands" listing (POSIX shell). */
const shq = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The command as one shell line, paths relative to the directory it runs in. */
function describeCommand(cmd) {
  const local = (p) => (p.startsWith(PATHS.root + path.sep) ? path.relative(cmd.cwd, p).split(path.sep).join('/') : p);
  const envText = Object.entries(cmd.env).map(([k, v]) => `${k}=${shq(local(v))}`);
  const argv = (cmd.display || cmd.argv).map((a) => (a === process.execPath ? 'node' : local(a)));
  const cd = cmd.cwd === PATHS.root ? '' : `cd ${shq(rel(cmd.cwd))} && `;
  return `${cd}${['CHECKPOINT_DISABLE=1', ...envText, ...argv.map(shq)].join(' ')}`;
}

/** The environment every child runs with: the caller's, minus anything that steers the app. */
function childEnv(extra = {}) {
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
  for (const name of ['BOTPRESS_SSO_SETTINGS', 'CDKTF_OUTDIR', 'CDKTF_CONTEXT_JSON', 'NODE_OPTIONS']) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('npm_') || name.startsWith('BENCH_')) delete env[name];
  return { ...env, ...extra };
}

/** How to run npm: through the npm that started us if any, else from PATH. */
function npmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /\.c?js$/.test(execPath) && fs.existsSync(execPath)) return [process.execPath, execPath, ...args];
  return ['npm', ...args];
}

module.exports = { CommandError, command, describeCommand, childEnv, npmCommand };
