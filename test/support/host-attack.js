/**
 * Botpress's user attacking the host programs, for the tests and the benchmark: folders owned by
 * uid 999 (the official image's user) beside root-only files, and actors that run as uid 999
 * (setpriv): a swapper that exchanges folders and files with links to root-only files as fast as
 * it can, and a writer that writes the live file in place as Botpress does, timed into the
 * installer's work. The loops that count what the attacker won live here, so that the benchmark
 * can run them with larger numbers than the tests:
 *
 *   node test/support/host-attack.js lost-updates 10000 [spawn]
 *   node test/support/host-attack.js swaps 2000 [spawn]
 *
 * (the program comes from dist/constructs/generated/host-programs.js: npm run build first).
 * Plain CommonJS with Node built-ins only, so that the benchmark can require it as it is.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BOTPRESS_UID = 999;
/** renameat2(2) by architecture: the swapper exchanges two names atomically (RENAME_EXCHANGE). */
const RENAMEAT2 = { x64: 316, arm64: 276 };

/** tmpfs when there is one: fsync costs nothing there, which keeps the loops fast. */
function fastTempRoot() {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

function mkdirOwned(dir, uid, mode) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, uid, uid);
  fs.chmodSync(dir, mode);
}

function writeOwned(file, text, uid, mode) {
  fs.writeFileSync(file, text);
  fs.chownSync(file, uid, uid);
  fs.chmodSync(file, mode);
}

/** A symbolic link made by Botpress's user (owned by it, as one it planted would be). */
function plantLink(target, at) {
  fs.symlinkSync(target, at);
  fs.lchownSync(at, BOTPRESS_UID, BOTPRESS_UID);
}

/**
 * A Botpress host in a temporary folder (root, 0755):
 * - deploy/ (root 0700): the deployer's folder with the stage and the receipt;
 * - botpress/data/global/ (999:999 0755) with botpress.config.json (999:999 0640);
 * - secret/ (root 0700): root-only files the attacker points links at (target.json, and
 *   data/global/botpress.config.json, global/botpress.config.json for links at folders), each
 *   holding `marker`. `secrets.problems()` says whether any of them was read or changed.
 */
function makeHostTree(options = {}) {
  const base = fs.mkdtempSync(path.join(options.root ?? fastTempRoot(), 'bpsso-host-'));
  fs.chmodSync(base, 0o755);
  const deploy = path.join(base, 'deploy');
  mkdirOwned(deploy, 0, 0o700);
  const botpress = path.join(base, 'botpress');
  const data = path.join(botpress, 'data');
  const global = path.join(data, 'global');
  for (const dir of [botpress, data, global]) mkdirOwned(dir, BOTPRESS_UID, 0o755);
  const live = path.join(global, 'botpress.config.json');
  writeOwned(live, '{"version":"12.30.0","written":"by Botpress"}', BOTPRESS_UID, 0o640);

  const marker = `ROOT-ONLY-${randomBytes(8).toString('hex')}`;
  const secretDir = path.join(base, 'secret');
  const secretFile = path.join(secretDir, 'target.json');
  const secretGlobal = path.join(secretDir, 'global');
  const secretData = path.join(secretDir, 'data');
  for (const dir of [secretDir, secretGlobal, secretData, path.join(secretData, 'global')]) mkdirOwned(dir, 0, 0o700);
  const secretFiles = [
    secretFile,
    path.join(secretGlobal, 'botpress.config.json'),
    path.join(secretData, 'global', 'botpress.config.json'),
  ];
  for (const file of secretFiles) writeOwned(file, `{"secret":"${marker}"}`, 0, 0o600);

  return {
    base,
    deploy,
    stage: path.join(deploy, 'botpress.config.json.botpress-sso'),
    receipt: path.join(deploy, 'botpress.config.json.botpress-sso-receipt'),
    botpress,
    data,
    global,
    live,
    backup: `${live}.bak`,
    marker,
    secretDir,
    secretFile,
    secretGlobal,
    secretData,
    secrets: watchSecrets(secretDir, secretFiles),
    /** Every file under the tree outside secret/ that holds the marker (it leaked). */
    leaks: () => filesHolding(base, marker, [secretDir]),
    remove: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/**
 * Root-only files whose reading is detected: their access time is set an hour before their
 * modification time, so that the kernel's relatime updates it on the next read. `problems()`
 * lists every file read, changed (content, mode, owner, time) and every entry added or removed.
 */
function watchSecrets(dir, files) {
  const stamp = (file) => {
    const s = fs.statSync(file, { bigint: true });
    return { atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, mode: s.mode, uid: s.uid, gid: s.gid };
  };
  const listing = () => listTree(dir).join('\n');
  const before = new Map();
  // Whole seconds, so that putting the times back after a check restores them exactly.
  const setTimes = (file, atimeNs, mtimeNs) =>
    fs.utimesSync(file, Number(atimeNs / 1000000000n), Number(mtimeNs / 1000000000n));
  for (const file of files) {
    const sha = sha256(fs.readFileSync(file));
    const mtimeNs = (fs.statSync(file, { bigint: true }).mtimeNs / 1000000000n) * 1000000000n;
    setTimes(file, mtimeNs - 3600000000000n, mtimeNs);
    before.set(file, { ...stamp(file), sha });
  }
  const entries = listing();
  return {
    problems() {
      const problems = [];
      for (const [file, was] of before) {
        const now = stamp(file); // before reading the content, which moves the access time
        if (now.atimeNs !== was.atimeNs) problems.push(`${file} was read`);
        for (const key of ['mtimeNs', 'mode', 'uid', 'gid'])
          if (now[key] !== was[key]) problems.push(`${file}: ${key} changed from ${was[key]} to ${now[key]}`);
        if (sha256(fs.readFileSync(file)) !== was.sha) problems.push(`${file}: content changed`);
        setTimes(file, was.atimeNs, was.mtimeNs);
      }
      if (listing() !== entries) problems.push(`${dir}: entries added or removed:\n${listing()}`);
      return problems;
    },
  };
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function listTree(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) out.push(...listTree(full));
  }
  return out.sort();
}

function filesHolding(dir, text, skip) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip.includes(full)) continue;
    if (entry.isDirectory()) found.push(...filesHolding(full, text, skip));
    else if (entry.isFile() && fs.readFileSync(full, 'utf8').includes(text)) found.push(full);
  }
  return found;
}

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
// `onTemp`-th distinct one has had `onChange` change events, it writes `count` times, each after a
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
  if (armed.changes < armed.onChange) return;
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
      timeout: 10000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
  };
}

const runnerFor = (program, mode) => (mode === 'spawn' ? spawnedProgram(program) : inProcessProgram(program));

/** The install environment for a tree, paths relative to the deployer's folder (the stack's). */
function installEnv(tree, extra = {}) {
  return {
    BPSSO_STAGE: path.relative(tree.deploy, tree.stage),
    BPSSO_RECEIPT: path.relative(tree.deploy, tree.receipt),
    BPSSO_LIVE: path.relative(tree.deploy, tree.live),
    BPSSO_MODE: '',
    BPSSO_DEFAULT_MODE: '0600',
    BPSSO_NAME: 'botpress.config.json',
    ...extra,
  };
}

/** What a failed run's message says happened, by the refusal's wording (host/ is the source). */
function classify(result) {
  if (result.code === 0) return 'installed';
  const text = result.stderr;
  if (/is a symbolic link in /.test(text)) return 'refused: link in path';
  if (/is a symbolic link/.test(text)) return 'refused: link';
  if (/changed while the deploy was opening it/.test(text)) return 'refused: folder swapped while opening';
  if (/is lost/.test(text)) return 'LOST (reported)';
  if (/That write was put back/.test(text)) return 'write put back';
  if (/last write, made after the installer replaced the file/.test(text)) return 'newer write kept';
  if (/while the installer was working/.test(text)) return 'refused: changed during install';
  if (/changed after synthesis/.test(text)) return 'refused: changed after synthesis';
  return `other: ${text.split('\n')[0]}`;
}

const tally = (counts, key) => (counts[key] = (counts[key] ?? 0) + 1);

/**
 * Installs `runs` times while the swapper exchanges the live file, its backup, its folder and a
 * parent folder with links to root-only files. The attacker wins a run if a root-only file was
 * read or changed, or its content reached any file outside secret/.
 */
async function measureSwapRaces({ program, runs, mode = 'in-process' }) {
  const tree = makeHostTree();
  const run = runnerFor(program, mode);
  const outcomes = {};
  let swapper;
  try {
    writeOwned(tree.backup, '{"previous":true}', BOTPRESS_UID, 0o640);
    swapper = await startSwapper([
      { real: tree.live, linkTo: tree.secretFile },
      { real: tree.backup, linkTo: tree.secretFile },
      { real: tree.global, linkTo: tree.secretGlobal },
      { real: tree.data, linkTo: tree.secretData },
    ]);
    for (let i = 0; i < runs; i++) {
      fs.writeFileSync(tree.stage, `{"rendered":${i}}`, { mode: 0o600 });
      tally(outcomes, classify(run(installEnv(tree), tree.deploy)));
    }
    const swaps = await swapper.stop();
    swapper = undefined;
    return { runs, mode, swaps, outcomes, secretProblems: tree.secrets.problems(), leaks: tree.leaks() };
  } finally {
    if (swapper) await swapper.stop();
    tree.remove();
  }
}

/**
 * Installs `runs` times while Botpress's user writes the live file in place, timed into the
 * installer's work: once its second temporary file (the new content) has been written, `burst`
 * writes follow, each after a random pause up to `maxDelayUs`, so that some fall before the
 * installer's last check, some between it and the rename, some after. A run loses a write when,
 * after it, the live file does not hold the writer's last write (nor could anything newer be
 * there: nothing else writes it); `lost` counts those the installer did not report (must be 0),
 * `lostReported` those it did.
 */
async function measureLostUpdates({ program, runs, mode = 'in-process', maxDelayUs = 50, burst = 2, samples }) {
  const tree = makeHostTree();
  const run = runnerFor(program, mode);
  const writer = await startWriter(tree.live);
  const outcomes = {};
  let lost = 0;
  let lostReported = 0;
  let writes = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const base = `{"version":"12.30.0","base":${i}}`;
      fs.writeFileSync(tree.live, base); // in place: owner and mode stay 999:999 0640
      fs.writeFileSync(tree.stage, `{"version":"12.30.0","base":${i},"rendered":true}`, { mode: 0o600 });
      const style = i % 4 === 3 ? 'split' : 'sync';
      const armed = await writer.arm({
        content: `{"version":"12.30.0","base":${i},"botpress":"saved settings #"}`,
        count: burst,
        style,
        splitMs: 1 + (i % 5),
        onTemp: 2,
        onChange: 2,
        maxDelayUs,
        timeoutMs: mode === 'spawn' ? 3000 : 500,
      });
      const result = run(installEnv(tree, { BPSSO_EXPECT_SHA256: sha256(base) }), tree.deploy);
      const reply = await armed.done();
      const now = fs.readFileSync(tree.live, 'utf8');
      const outcome = classify(result);
      samples?.push({ style, reply, outcome, live: now });
      if (reply.startsWith('wrote ')) {
        writes += burst;
        const last = `{"version":"12.30.0","base":${i},"botpress":"saved settings ${reply.slice(6)}"}`;
        if (now !== last) {
          if (outcome === 'LOST (reported)') lostReported++;
          else lost++;
        }
        tally(outcomes, `${outcome}${now === last ? '' : ' -> last write lost'}`);
      } else {
        tally(outcomes, `no write: ${outcome}`);
      }
    }
    return { runs, mode, writes, lost, lostReported, outcomes, burst, maxDelayUs };
  } finally {
    await writer.stop();
    tree.remove();
  }
}

module.exports = {
  BOTPRESS_UID,
  makeHostTree,
  plantLink,
  writeOwned,
  mkdirOwned,
  startSwapper,
  startWriter,
  inProcessProgram,
  spawnedProgram,
  installEnv,
  classify,
  measureSwapRaces,
  measureLostUpdates,
};

if (require.main === module) {
  const [scenario, runs = '100', mode = 'in-process'] = process.argv.slice(2);
  const { INSTALL_PROGRAM } = require(
    path.join(__dirname, '..', '..', 'dist', 'constructs', 'generated', 'host-programs.js'),
  );
  const measure = { 'lost-updates': measureLostUpdates, swaps: measureSwapRaces }[scenario];
  if (!measure) {
    console.error('usage: node test/support/host-attack.js lost-updates|swaps [runs] [in-process|spawn]');
    process.exit(2);
  }
  measure({ program: INSTALL_PROGRAM, runs: Number(runs), mode }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
