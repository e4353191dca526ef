// The benchmark's cases: the commands it measures, in the groups whose members run side by side
// (so that their ratios compare like with like), plus the in-process timing and the test suite.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { command, npmCommand } = require('./command');
const { ENV_COUNTS, PATHS, rel } = require('./options');

const sizeLabel = (mb) => `${mb} MB`;

/** cdktf.json's app command as argv, with the peak-RSS preload; `node` is this Node. */
function appCommand(preload) {
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(PATHS.root, 'cdktf.json'), 'utf8'));
  const app = String(cdktfJson.app || '').trim();
  const words = app.split(/\s+/);
  if (words[0] === 'node' && words.every((w) => /^[\w@%+=:,./-]+$/.test(w))) {
    return {
      app,
      argv: [process.execPath, '-r', preload, ...words.slice(1)],
      display: ['node', '-r', `./${rel(preload)}`, ...words.slice(1)],
      env: {},
    };
  }
  // Anything else goes through a shell, with the preload in NODE_OPTIONS.
  return { app, argv: ['sh', '-c', app], display: ['sh', '-c', app], env: { NODE_OPTIONS: `--require ${preload}` } };
}

/** Every command of the benchmark, from the fixtures. */
function benchmarkCases(fixtures) {
  const { programs, out, settingsFor, example, large } = fixtures;
  const app = appCommand(programs.preload);
  const appCmd = (label, settings, outName) =>
    command(label, app.argv, {
      display: app.display,
      env: { ...app.env, BOTPRESS_SSO_SETTINGS: settings, CDKTF_OUTDIR: out(outName) },
      rss: true,
    });
  const nodeCmd = (label, args, env = {}) =>
    command(label, [process.execPath, '-r', programs.preload, ...args], {
      display: ['node', '-r', `./${rel(programs.preload)}`, ...args],
      env,
      rss: true,
    });

  // Synthesis: the bare app and the app with 1, 20 and 100 environments.
  const bare = nodeCmd('bare app', [fixtures.bareMain], { CDKTF_OUTDIR: out('bare') });
  const envs = Object.fromEntries(
    ENV_COUNTS.map((n) => [n, appCmd(`app, ${n} env${n === 1 ? '' : 's'}`, settingsFor[n], `envs-${n}`)]),
  );

  // Large configs through the app and through plain JSON.parse + JSON.stringify.
  const appExample = appCmd('app, example config', settingsFor[1], 'large-example');
  const plainExample = nodeCmd('plain JSON, example config', [
    programs.plainJson,
    example.file,
    out('plain-example.json'),
  ]);
  const largeCmds = large.map((l) => ({
    ...l,
    app: appCmd(`app, ${sizeLabel(l.mb)} config`, l.settings, `large-${l.mb}mb`),
    plain: nodeCmd(`plain JSON, ${sizeLabel(l.mb)} config`, [programs.plainJson, l.file, out(`plain-${l.mb}mb.json`)]),
  }));

  // The cdktf CLI, on the example and on the bare app.
  const cdktfBin = path.join(PATHS.root, 'node_modules', '.bin', 'cdktf');
  const cliApp = command('cdktf synth, example', [cdktfBin, 'synth', '--output', out('cli-example')], {
    env: { BOTPRESS_SSO_SETTINGS: settingsFor[1] },
  });
  const cliBare = command('cdktf synth, bare app', [cdktfBin, 'synth', '--output', out('cli-bare')], {
    cwd: PATHS.bare,
  });

  // In one process: the project's JSON model on the largest config (informative).
  const renderOnly = command('in-process parse + render', [
    process.execPath,
    programs.renderOnly,
    PATHS.distInternal,
    fixtures.largest.file,
    '7',
  ]);

  // npm test with a JSON report, which gives the per-file durations too.
  const jestJson = path.join(PATHS.work, 'jest-results.json');
  const npmTest = command('npm test', npmCommand(['test', '--', '--json', `--outputFile=${jestJson}`]), {
    display: ['npm', 'test', '--', '--json', `--outputFile=${rel(jestJson)}`],
  });

  return {
    app: app.app,
    groups: {
      synth: [bare, ...ENV_COUNTS.map((n) => envs[n])],
      large: [appExample, ...largeCmds.map((l) => l.app), plainExample, ...largeCmds.map((l) => l.plain)],
      cli: [cliApp, cliBare],
    },
    bare,
    envs,
    appExample,
    plainExample,
    large: largeCmds,
    cliApp,
    cliBare,
    renderOnly,
    npmTest,
    jestJson,
    exampleMb: example.mb,
  };
}

module.exports = { benchmarkCases, sizeLabel };
