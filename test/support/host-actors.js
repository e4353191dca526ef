/**
 * Botpress's user acting against the host programs (setpriv, uid 999): a swapper that exchanges
 * folders and files with links to root-only files as fast as it can, and a writer that writes the
 * live file in place as Botpress does, timed into an installer's work; and the two ways to run a
 * program string: in this process (as `node -e` would, without Node's start-up) or for real.
 * Plain CommonJS with Node built-ins only (the benchmark requires it as it is).
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const { BOTPRESS_UID, plantLink } = require('./host-tree.js');

/** renameat2(2) by architecture: the swapper exchanges two names atomically (RENAME_EXCHANGE). */
const RENAMEAT2 = { x64: 316, arm64: 276 };

/** Runs `argv` as Botpress's user. */
function spawnAsBotpress(argv, options = {}) {
  return spawn('setpriv', [`--reuid=${BOTPRESS_UID}`, `--regid=${BOTPRESS_UID}`, '--clear-groups', ...argv], {
    stdio: ['pipe', 'pipe', 'inherit'],
    ...options,
  });
}

/** Lines a child writes, as a queue to wait on. */
function lineReader(stream) {
  const lines = [];
  const waiters = [];
  let rest = '';
  stream.on('data', (chunk) => {
    rest += String(chunk);
    let i;
    while ((i = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return () => (lines.length > 0 ? Promise.resolve(lines.shift()) : new Promise((resolve) => waiters.push(resolve)));
}

// The swapper: exchanges each real path with a link beside it (renameat2 RENAME_EXCHANGE, so the
// path always exists: a folder or file, or a link to a root-only one) as fast as it can, until its
// standard input closes or 60 s pass. Prints "ready" after the first round, the count at the end.
const SWAPPER = `
use strict;
my ($nr, @pairs) = @ARGV;
my $end = time + 60;
my $n = 0;
my $ready = 0;
$| = 1;
my $rin = '';
vec($rin, fileno(STDIN), 1) = 1;
while (time < $end) {
  for (my $i = 0; $i < @pairs; $i += 2) {
    my ($x, $y) = ($pairs[$i], $pairs[$i + 1]);
    # Fails while a parent is itself swapped for a link (into a folder this user cannot enter).
    $n++ if syscall($nr, -100, $x, -100, $y, 2) == 0;
  }
  print "ready\\n" if $n > 0 && !$ready++;
  if ($n % 64 == 0) {
    my $rout = $rin;
    last if select($rout, undef, undef, 0) > 0;
  }
}
# Put every real path back (outer folders first: a path under a swapped folder cannot be reached).
for my $pass (1 .. 4) {
  for (my $i = @pairs - 2; $i >= 0; $i -= 2) {
    my ($x, $y) = ($pairs[$i], $pairs[$i + 1]);
    syscall($nr, -100, $x, -100, $y, 2) if (-l $x);
  }
}
print "$n\\n";
`;

/**
 * Starts the swapper on `targets`: {real, linkTo} pairs (for each, a link to `linkTo` is planted
 * beside `real` and the two are exchanged over and over). Resolves once it is swapping.
 */
async function startSwapper(targets) {
  const nr = RENAMEAT2[process.arch];
  if (!nr) throw new Error(`the swapper knows renameat2 only on ${Object.keys(RENAMEAT2).join(', ')}`);
  const pairs = [];
  for (const { real, linkTo } of targets) {
    const link = `${real}.swap-${randomBytes(4).toString('hex')}`;
    plantLink(linkTo, link);
    pairs.push(real, link);
  }
  const child = spawnAsBotpress(['perl', '-e', SWAPPER, String(nr), ...pairs]);
  const next = lineReader(child.stdout);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const first = await next();
  if (first !== 'ready') throw new Error(`swapper: ${first}`);
  return {
    /** Stops it; resolves with the number of exchanges, every real path back in place. */
    async stop() {
      child.stdin.end();
      const count = Number(await next());
      await exited;
      for (let i = 1; i < pairs.length; i += 2) fs.rmSync(pairs[i], { force: true });
      return count;
    },
  };
}

// The writer: Botpress writing the live file in place, as its user. Armed with a command (one
// JSON line), it watches the folder (inotify) for an installer's temporary files (any hidden
// `.tmp` name, so that the 0.2 installer can be measured the same way); once the
// `onTemp`-th distinct one has had `onChange` change events (or was renamed into place), it writes `count` times, each after a
// random pause up to `maxDelayUs`: `sync` as fs.writeFileSync; `split` truncates first and writes
// `splitMs` later, as an async fs.writeFile whose write comes on a later turn of the event loop.
// Each write's text is `content` with # replaced by its number. Answers `wrote <last number>`, or
// `idle` when no temporary file came within timeoutMs.
const WRITER = `
const fs = require('fs'), path = require('path');
const live = process.argv[1];
let armed = null;
const busyWait = (us) => { const end = process.hrtime.bigint() + BigInt(us) * 1000n; while (process.hrtime.bigint() < end); };
const answer = (text) => process.stdout.write(text + '\\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function fire(a) {
  for (let k = 0; k < a.count; k++) {
    busyWait(Math.floor(Math.random() * a.maxDelayUs));
    const content = a.content.replace('#', String(k));
    if (a.style === 'sync') {
      fs.writeFileSync(live, content);
    } else {
      const fd = fs.openSync(live, 'w');
      await sleep(a.splitMs);
      fs.writeSync(fd, content);
      fs.closeSync(fd);
    }
  }
  answer('wrote ' + (a.count - 1));
}
fs.watch(path.dirname(live), (event, name) => {
  if (!armed || !name || !/^\\..*\\.tmp$/.test(name)) return;
  armed.seen.add(name);
  if (armed.seen.size < armed.onTemp) return;
  if (event === 'change') armed.changes++;
  // inotify may merge two change events into one: a second rename (the temporary file renamed into
  // place) fires the writer all the same, so that it never waits for an event that will not come.
  if (event === 'rename') armed.renames[name] = (armed.renames[name] || 0) + 1;
  if (armed.changes < armed.onChange && !(armed.renames[name] >= 2)) return;
  const a = armed; armed = null; clearTimeout(a.timer); fire(a);
});
let input = '';
process.stdin.on('data', (chunk) => {
  input += chunk;
  let i;
  while ((i = input.indexOf('\\n')) >= 0) {
    const a = JSON.parse(input.slice(0, i)); input = input.slice(i + 1);
    a.seen = new Set();
    a.changes = 0;
    a.renames = {};
    a.timer = setTimeout(() => { armed = null; answer('idle'); }, a.timeoutMs);
    armed = a;
    answer('armed');
  }
});
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(0), 600000).unref();
answer('ready');
`;

async function startWriter(live) {
  const child = spawnAsBotpress([process.execPath, '-e', WRITER, live]);
  const next = lineReader(child.stdout);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  if ((await next()) !== 'ready') throw new Error('writer did not start');
  return {
    /** Arms it for the next install; resolves once it is watching. */
    async arm(command) {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      const reply = await next();
      if (reply !== 'armed') throw new Error(`writer: ${reply}`);
      return { done: () => next() };
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * A program string run inside this process, as `node -e` would run it, with its own environment,
 * output and exit code: compiled once, run many times without Node's start-up (about 0.1 s a run
 * here), which is what lets the loops run thousands of installs.
 */
class ProgramExit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code ?? 0;
  }
}

function inProcessProgram(program) {
  const body = new Function('require', 'process', program);
  return (env, cwd) => {
    const out = [];
    const err = [];
    let exitCode = 0;
    const fake = new Proxy(process, {
      get(target, key) {
        if (key === 'env') return env;
        if (key === 'stdout') return { write: (text) => out.push(text) };
        if (key === 'stderr') return { write: (text) => err.push(text) };
        if (key === 'exitCode') return exitCode;
        if (key === 'exit')
          return (code) => {
            throw new ProgramExit(code);
          };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
      set(target, key, value) {
        if (key !== 'exitCode') throw new Error(`the program set process.${String(key)}`);
        exitCode = value;
        return true;
      },
    });
    const before = process.cwd();
    process.chdir(cwd);
    try {
      body(require, fake);
    } catch (error) {
      if (!(error instanceof ProgramExit)) throw error;
      exitCode = error.code;
    } finally {
      process.chdir(before);
    }
    return { code: exitCode ?? 0, stdout: out.join(''), stderr: err.join('') };
  };
}

/** A program string run for real, `node -e <program>` in its own process (as root unless `uid`). */
function spawnedProgram(program) {
  return (env, cwd, uid) => {
    const argv =
      uid === undefined
        ? [process.execPath, ['-e', program]]
        : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, '-e', program]];
    const result = spawnSync(argv[0], argv[1], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 60000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
  };
}

module.exports = { startSwapper, startWriter, inProcessProgram, spawnedProgram };
