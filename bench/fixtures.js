// The benchmark's inputs, written under bench/*.tmp/ (gitignored): the bare app, settings files
// with 1, 20 and 100 environments (each with its own copy of the example config), and large
// configs from the tests' generator, each with a one-environment settings file beside it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { largeConfig } = require('../test/support/large-config');
const { ENV_COUNTS, LARGE_SIZES_MB, PATHS } = require('./options');

const PROGRAMS = path.join(__dirname, 'programs');
const MB = 1048576;

function writeFile(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const writeSettings = (file, environments) => writeFile(file, `${JSON.stringify({ environments }, null, 2)}\n`);

/** The first environment of the project's settings, as a template for generated ones. */
function environmentTemplate() {
  const fallback = { botpressUrl: 'https://bots.example.com', label: 'Sign in with Microsoft' };
  try {
    const settings = JSON.parse(fs.readFileSync(path.join(PATHS.root, 'botpress-sso.json'), 'utf8'));
    const first = Object.values(settings.environments || {})[0];
    if (!first || typeof first !== 'object') return fallback;
    const { configFile: _configFile, ...rest } = first;
    return rest;
  } catch {
    return fallback;
  }
}

/** bench/bare.tmp/: the bare app and a cdktf.json, so that `cdktf synth` runs there too. */
function writeBareApp() {
  fs.rmSync(PATHS.bare, { recursive: true, force: true });
  const main = writeFile(path.join(PATHS.bare, 'main.js'), fs.readFileSync(path.join(PROGRAMS, 'bare-app.js')));
  writeFile(
    path.join(PATHS.bare, 'cdktf.json'),
    `${JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'bench-bare-app', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2)}\n`,
  );
  return main;
}

/** Settings with `count` environments, `env001`…, each with its own copy of the example config. */
function writeEnvironments(count, exampleText, template) {
  const dir = path.join(PATHS.work, `envs-${count}`);
  const environments = {};
  for (let i = 1; i <= count; i++) {
    const name = `env${String(i).padStart(3, '0')}`;
    writeFile(path.join(dir, 'configs', `${name}.botpress.config.json`), exampleText);
    environments[name] = { ...template, configFile: `configs/${name}.botpress.config.json` };
  }
  return writeSettings(path.join(dir, 'botpress-sso.json'), environments);
}

/** A large config of about `mb` MB, with a one-environment settings file beside it. */
function writeLargeConfig(mb, exampleText, template) {
  const dir = path.join(PATHS.work, `large-${mb}mb`);
  const text = largeConfig(exampleText, mb * MB);
  const file = writeFile(path.join(dir, 'botpress.config.json'), text);
  const settings = writeSettings(path.join(dir, 'botpress-sso.json'), {
    large: { ...template, configFile: 'botpress.config.json' },
  });
  return { mb, file, settings, realMb: Buffer.byteLength(text) / MB };
}

/** Writes every fixture (removing earlier ones) and says where they are. */
function writeFixtures() {
  fs.rmSync(PATHS.work, { recursive: true, force: true });
  fs.mkdirSync(path.join(PATHS.work, 'out'), { recursive: true });
  const exampleText = fs.readFileSync(PATHS.example, 'utf8');
  const template = environmentTemplate();
  const large = LARGE_SIZES_MB.map((mb) => writeLargeConfig(mb, exampleText, template));
  return {
    bareMain: writeBareApp(),
    programs: {
      preload: path.join(PROGRAMS, 'maxrss-preload.js'),
      plainJson: path.join(PROGRAMS, 'plain-json.js'),
      renderOnly: path.join(PROGRAMS, 'render-only.js'),
    },
    example: { file: PATHS.example, mb: Buffer.byteLength(exampleText) / MB },
    settingsFor: Object.fromEntries(ENV_COUNTS.map((n) => [n, writeEnvironments(n, exampleText, template)])),
    large,
    largest: large[large.length - 1],
    /** Where a command writes its output. */
    out: (name) => path.join(PATHS.work, 'out', name),
  };
}

module.exports = { writeFixtures };
