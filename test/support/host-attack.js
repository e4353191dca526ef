/**
 * The loops that count what Botpress's user wins against an install program: swaps for links
 * while it runs, and writes in place while it runs. The tests run them a few dozen times; the
 * benchmark runs them with larger numbers:
 *
 *   node test/support/host-attack.js lost-updates 10000 [spawn]
 *   node test/support/host-attack.js swaps 2000 [spawn]
 *
 * (the program comes from dist/constructs/generated/host-programs.js: npm run build first).
 * Plain CommonJS with Node built-ins only, so that the benchmark can require it as it is.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { BOTPRESS_UID, makeHostTree, sha256, writeOwned } = require('./host-tree.js');
const { inProcessProgram, spawnedProgram, startSwapper, startWriter } = require('./host-actors.js');

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
  if (result.signal) return `killed by ${result.signal} (over the time limit)`;
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
        // Only reached when the installer stops before its second temporary file: generous, so that
        // a slow machine (a Node start-up of seconds) does not count a real write as none.
        timeoutMs: 60000,
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

module.exports = { installEnv, classify, measureSwapRaces, measureLostUpdates };

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
