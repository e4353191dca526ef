/**
 * A Botpress host in a temporary folder, for the host programs' tests and the benchmark: folders
 * owned by Botpress's user (uid 999, the official image's) beside root-only files whose reading
 * or change is detected. Plain CommonJS with Node built-ins only (the benchmark requires it as it is).
 */
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BOTPRESS_UID = 999;

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

/** Owner, group and permission bits of `file` (following a link: what a reader would get). */
function attributesOf(file) {
  const s = fs.statSync(file);
  return { uid: s.uid, gid: s.gid, mode: s.mode & 0o7777 };
}

module.exports = { BOTPRESS_UID, attributesOf, makeHostTree, plantLink, writeOwned, mkdirOwned, sha256 };
