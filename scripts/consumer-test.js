#!/usr/bin/env node
// The package judged from outside: packs it, installs the tarball into a fresh cdktf TypeScript
// project next to cdktf, constructs and the three providers from the npm registry, compiles
// examples/construct-in-your-stack.ts (the README's snippet) with `tsc --strict`, synthesizes it
// and checks the result. Run by `.ci/run` as its own step; needs the npm registry.
//
//   npm run test:consumer               # the newest version of each peer that its range allows
//   npm run test:consumer -- --oldest   # the lowest version of each peer range (the floors we claim)
//   CONSUMER_KEEP=1 npm run test:consumer   # keep the temporary project (it is kept on failure)
//
// Any problem exits non-zero with the step that failed and the output of the command behind it.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const EXAMPLE = path.join(ROOT, 'examples', 'construct-in-your-stack.ts');
const EXAMPLE_CONFIG = path.join(ROOT, 'examples', 'botpress.config.json');
const OLDEST = process.argv.includes('--oldest');
/** The compiler and Node's types are the consumer's tools, not under test: the versions this repo uses. */
const TOOLS = ['typescript', '@types/node'].map((name) => `${name}@${PKG.devDependencies[name]}`);
/** What the example declares: resource types and the outputs, checked in the synthesized stack. */
const EXPECTED_RESOURCES = [
  // the app registration, its callback, Graph access, enterprise application and client secrets
  'azuread_application_registration',
  'azuread_application_redirect_uris',
  'azuread_application_api_access',
  'azuread_service_principal',
  'azuread_application_password',
  // botpress.config.json: the stage file; its installer, and the secrets' rotation schedule
  'local_file',
  'terraform_data',
];
const STACK = 'platform';

class StepFailure extends Error {}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const output = [result.error?.message, result.stdout, result.stderr].filter(Boolean).join('\n');
    throw new StepFailure(`\`${command} ${args.join(' ')}\` exited with ${result.status}:\n${output}`);
  }
  return result.stdout;
}

function check(condition, message) {
  if (!condition) throw new StepFailure(message);
}

/** The peers to install: each one's range (npm picks the newest in it) or, with --oldest, its floor. */
function peerSpecs() {
  const peers = Object.entries(PKG.peerDependencies ?? {});
  check(peers.length > 0, 'package.json declares no peerDependencies');
  return peers.map(([name, range]) => {
    if (!OLDEST) return `${name}@${range}`;
    const floor = /^(?:\^|>=)(\d+\.\d+\.\d+)$/.exec(range);
    check(floor, `peer ${name}@${range}: --oldest understands only ^x.y.z and >=x.y.z`);
    return `${name}@${floor[1]}`;
  });
}

function packProject(work) {
  run('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: ROOT });
  const tarballs = fs.readdirSync(work).filter((file) => file.endsWith('.tgz'));
  check(tarballs.length === 1, `npm pack wrote ${tarballs.length} tarballs`);
  return path.join(work, tarballs[0]);
}

/** Only the built library, its declarations and the package's own documents ship. */
function checkTarballContents(tarball) {
  const files = run('tar', ['-tzf', tarball]).trim().split('\n');
  const allowed = /^package\/(package\.json|README\.md|LICENSE|docs\/.+\.md|dist\/constructs\/.+(\.js|\.d\.ts))$/;
  const unexpected = files.filter((file) => !allowed.test(file));
  check(unexpected.length === 0, `the tarball holds files it should not:\n  ${unexpected.join('\n  ')}`);
  for (const entry of ['dist/constructs/index.js', 'dist/constructs/index.d.ts'])
    check(files.includes(`package/${entry}`), `the tarball lacks ${entry}`);
  return files.map((file) => file.replace(/^package\//, ''));
}

/** What `cdktf init --template=typescript` writes, minus the parts synthesis does not use. */
function createConsumerProject(work) {
  const dir = path.join(work, 'consumer');
  fs.mkdirSync(dir);
  const write = (file, value) => fs.writeFileSync(path.join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  write('package.json', { name: 'consumer', version: '1.0.0', private: true, main: 'main.js' });
  write('tsconfig.json', {
    compilerOptions: {
      alwaysStrict: true,
      declaration: true,
      lib: ['es2018'],
      module: 'CommonJS',
      noEmitOnError: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      resolveJsonModule: true,
      strict: true,
      target: 'ES2018',
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'cdktf.out'],
  });
  fs.copyFileSync(EXAMPLE, path.join(dir, 'main.ts'));
  fs.copyFileSync(EXAMPLE_CONFIG, path.join(dir, 'botpress.config.json'));
  return dir;
}

/** Strict: an install-time script in the package (npm 11 counts a tarball's `prepare`) fails here. */
function installPackages(dir, tarball) {
  const specs = [tarball, ...peerSpecs(), ...TOOLS];
  run('npm', ['install', '--strict-allow-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
  });
  return specs;
}

/** A second copy of a framework package breaks `instanceof` and cdktf's construct tree. */
function checkSingleCopies(dir) {
  const copies = new Map(Object.keys(PKG.peerDependencies).map((name) => [name, []]));
  const walk = (modules) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const names = entry.startsWith('@')
        ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const pkgDir = path.join(modules, name);
        if (copies.has(name)) copies.get(name).push(`${path.relative(dir, pkgDir)} (${version(pkgDir)})`);
        walk(path.join(pkgDir, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  const wrong = [...copies].filter(([, found]) => found.length !== 1);
  check(
    wrong.length === 0,
    wrong.map(([name, found]) => `${name}: ${found.length} copies\n  ${found.join('\n  ')}`).join('\n'),
  );
  return [...copies].map(([name, [found]]) => `${name} ${found.replace(/^.* \((.*)\)$/, '$1')}`);
}

function version(pkgDir) {
  return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
}

/** Once as `cdktf init` configures TypeScript (emits main.js); once resolving through `exports`
 * and checking the package's declarations too (skipLibCheck off). */
function typeCheck(dir) {
  const tsc = (...options) =>
    run(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir, '--strict', ...options]);
  tsc();
  tsc('--noEmit', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', 'false');
}

function synthesize(dir) {
  const outdir = path.join(dir, 'cdktf.out');
  run(process.execPath, [path.join(dir, 'main.js')], {
    cwd: dir,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
  });
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
}

function checkSynthesizedStack(stack) {
  const resources = stack.resource ?? {};
  const missing = EXPECTED_RESOURCES.filter((type) => !resources[type]);
  check(missing.length === 0, `cdk.tf.json lacks ${missing.join(', ')}; it has ${Object.keys(resources).join(', ')}`);
  const registrations = Object.values(resources.azuread_application_registration);
  check(
    registrations.length === 1 && registrations[0].provider === 'azuread.corp',
    'the app registration does not use the aliased provider passed in `providers`',
  );
  check(stack.output?.client_id, 'cdk.tf.json lacks the client_id output');
  return Object.keys(resources).length;
}

/** The `exports` map is the only door: a shipped file other than the entry cannot be required by path. */
function checkPrivatePathsClosed(dir, files) {
  const internal = files.find((file) => file.endsWith('.js') && file !== 'dist/constructs/index.js');
  check(internal, 'the tarball has no file besides the entry to probe');
  const subpath = `${PKG.name}/${internal.replace(/\.js$/, '')}`;
  const probe = `try { require(${JSON.stringify(subpath)}); process.exit(1) }
    catch (e) { process.exit(e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ? 0 : 2) }`;
  const { status } = spawnSync(process.execPath, ['-e', probe], { cwd: dir });
  check(status === 0, `require('${subpath}') ${status === 1 ? 'succeeded' : 'failed for another reason'}`);
  return subpath;
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bpsso-consumer-'));
  const started = Date.now();
  let last = started;
  /** Runs one step, prints its time and what it found (`describe`), or stops the test at its failure. */
  const step = (name, fn, describe = () => '') => {
    let result;
    try {
      result = fn();
    } catch (error) {
      console.error(`consumer test FAILED at "${name}" (project kept in ${work}):\n${error.message}`);
      process.exit(1);
    }
    const now = Date.now();
    console.log(`${name.padEnd(26)} ${((now - last) / 1000).toFixed(1).padStart(5)} s  ${describe(result)}`);
    last = now;
    return result;
  };
  console.log(`consumer test: ${OLDEST ? 'the oldest' : 'the newest'} peer versions, in ${work}`);
  const tarball = step('pack', () => packProject(work), path.basename);
  const files = step(
    'tarball contents',
    () => checkTarballContents(tarball),
    (list) => `${list.length} files`,
  );
  const dir = step('create consumer project', () => createConsumerProject(work));
  step(
    'install',
    () => installPackages(dir, tarball),
    (specs) => specs.slice(1).join(' '),
  );
  step(
    'one copy of each peer',
    () => checkSingleCopies(dir),
    (found) => found.join(', '),
  );
  step('type-check (tsc --strict)', () => typeCheck(dir));
  const stack = step('synthesize', () => synthesize(dir));
  step(
    'synthesized resources',
    () => checkSynthesizedStack(stack),
    (count) => `${count} resource types`,
  );
  step(
    'private paths closed',
    () => checkPrivatePathsClosed(dir, files),
    (subpath) => `${subpath} refused`,
  );
  console.log(`consumer test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!process.env.CONSUMER_KEEP) fs.rmSync(work, { recursive: true, force: true });
}

main();
