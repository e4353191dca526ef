// What the figures came from: the machine, the tool versions, the commit, the load around the run.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { childEnv } = require('./command');
const { PATHS } = require('./options');

function firstLine(argv) {
  try {
    const r = spawnSync(argv[0], argv.slice(1), { cwd: PATHS.root, env: childEnv(), encoding: 'utf8', timeout: 30000 });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The short commit, and whether product files differ from it. */
function gitState() {
  const head = firstLine(['git', 'rev-parse', '--short', 'HEAD']);
  const dirty = firstLine([
    'git',
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    'main.ts',
    'app',
    'constructs',
    'package.json',
    'cdktf.json',
  ]);
  return head ? `${head}${dirty ? ' (with uncommitted changes to product files)' : ''}` : 'unknown';
}

function readVersion(pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(PATHS.root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

const loadText = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** Called when the run starts: its date and the load then. */
function startOfRun() {
  return { started: new Date(), loadAtStart: loadText() };
}

/** Called when the run ends: the machine, with the load at both ends. */
function describeMachine({ started, loadAtStart }, built) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    cdktf: readVersion('cdktf'),
    cdktfCli: readVersion('cdktf-cli'),
    terraform: firstLine([process.env.TERRAFORM_BINARY_NAME || 'terraform', 'version']),
    commit: gitState(),
    date: started.toISOString(),
    loadAtStart,
    loadAtEnd: loadText(),
    built,
  };
}

module.exports = { startOfRun, describeMachine };
