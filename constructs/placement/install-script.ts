/**
 * The program that places a rendered file on the Botpress host: run by a `terraform_data`
 * local-exec step as `node -e <INSTALL_SCRIPT>` (node is wherever cdktf runs, on Linux, macOS
 * and Windows alike), with its paths in the environment. It is a plain string, not a stringified
 * function, so that cdk.tf.json is the same whichever compiler built this module.
 *
 * What it does, in order, and why:
 * - copies the stage file byte for byte into a new temp file in the LIVE file's folder (same
 *   filesystem, so the final rename is atomic), and fsyncs it;
 * - gives the temp file the live file's owner, group and mode (Botpress runs as its own user,
 *   uid 999 in the official image, and must keep reading and writing its config), or the mode
 *   override; a file that does not exist yet gets the deployer as owner and the override or the
 *   default mode;
 * - when the content changes, first puts the previous content in `<live>.bak`, with the same
 *   owner and mode (it may hold the same secrets), itself replaced atomically;
 * - renames the temp file over the live file: a reader (Botpress watches the folder) sees the
 *   old file or the new one, never a missing or half-written one; then fsyncs the folder;
 * - on any error removes its temp files, leaves the live file as it was, and exits 1 with a
 *   message naming the file, its owner and mode, and the user running the deploy.
 *
 * - after replacing the live file, extends its receipt (managed-file.ts says why):
 *   `sha256(sha256 of the replaced content, or "" for none + the receipt before)`.
 *
 * If the live file already holds exactly the staged bytes, it changes nothing but the mode of the
 * file and its backup (when an override asks for another): the backup keeps the content before
 * the last real change, and the receipt stays as it is.
 *
 * Environment: BPSSO_STAGE (rendered file), BPSSO_LIVE (where it goes), BPSSO_RECEIPT (the
 * receipt), BPSSO_MODE (octal mode override, or empty), BPSSO_DEFAULT_MODE (octal mode for a new
 * file). Relative paths are
 * relative to the stack's working directory, like every path in cdk.tf.json.
 */
/** The backup of the previous content sits beside the live file under this suffix. */
export const BACKUP_SUFFIX = '.bak';

export const INSTALL_SCRIPT = [
  "'use strict';",
  "const fs = require('fs'), path = require('path'), os = require('os'), crypto = require('crypto');",
  'const env = process.env;',
  `const stage = env.BPSSO_STAGE, live = env.BPSSO_LIVE, backup = live + ${JSON.stringify(BACKUP_SUFFIX)};`,
  'const override = env.BPSSO_MODE ? parseInt(env.BPSSO_MODE, 8) : undefined;',
  "const fallback = parseInt(env.BPSSO_DEFAULT_MODE || '0600', 8);",
  "const posix = process.platform !== 'win32';",
  'const dir = path.dirname(live);',
  'const temps = [];',
  "const octal = (m) => '0' + (m & 0o7777).toString(8).padStart(3, '0');",
  'const who = () => {',
  "  try { const u = os.userInfo(); return u.username + ' (uid ' + u.uid + ', gid ' + u.gid + ')'; }",
  "  catch (e) { return posix ? 'uid ' + process.getuid() + ', gid ' + process.getgid() : 'the current user'; }",
  '};',
  "const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');",
  'let before;',
  'function place(target, bytes, owner, mode) {',
  "  const temp = path.join(dir, '.' + path.basename(target) + '.' + process.pid + '.tmp');",
  '  temps.push(temp);',
  "  const fd = fs.openSync(temp, 'wx', 0o600);",
  '  try {',
  '    fs.writeFileSync(fd, bytes);',
  '    if (owner && posix && (owner.uid !== process.getuid() || owner.gid !== process.getgid())) fs.fchownSync(fd, owner.uid, owner.gid);',
  '    fs.fchmodSync(fd, mode);',
  '    fs.fsyncSync(fd);',
  '  } finally {',
  '    fs.closeSync(fd);',
  '  }',
  '  fs.renameSync(temp, target);',
  '  temps.splice(temps.indexOf(temp), 1);',
  '}',
  'function extendReceipt(replacedSha) {',
  "  let last = '';",
  "  try { last = fs.readFileSync(env.BPSSO_RECEIPT, 'utf8'); } catch (e) { if (e.code !== 'ENOENT') throw e; }",
  '  place(env.BPSSO_RECEIPT, Buffer.from(sha256(replacedSha + last)), undefined, 0o644);',
  '}',
  'try {',
  "  try { before = fs.statSync(live); } catch (e) { if (e.code !== 'ENOENT') throw e; }",
  '  const next = fs.readFileSync(stage);',
  '  const mode = override !== undefined ? override : before ? before.mode & 0o7777 : fallback;',
  '  if (!before) {',
  '    place(live, next, undefined, mode);',
  "    extendReceipt('');",
  '  } else {',
  '    const previous = fs.readFileSync(live);',
  '    if (!previous.equals(next)) {',
  '      place(backup, previous, before, mode);',
  '      place(live, next, before, mode);',
  '      extendReceipt(sha256(previous));',
  '    } else if ((before.mode & 0o7777) !== mode) {',
  '      fs.chmodSync(live, mode);',
  "      try { fs.chmodSync(backup, mode); } catch (e) { if (e.code !== 'ENOENT') throw e; }",
  '    }',
  '  }',
  '  if (posix) {',
  "    const d = fs.openSync(dir, 'r');",
  '    try { fs.fsyncSync(d); } finally { fs.closeSync(d); }',
  '  }',
  '} catch (e) {',
  '  for (const t of temps) { try { fs.unlinkSync(t); } catch (ignored) { /* already gone */ } }',
  "  const was = before ? 'owner ' + before.uid + ':' + before.gid + ', mode ' + octal(before.mode) : 'a new file';",
  '  process.stderr.write(',
  "    'botpress-azure-sso: could not install ' + live + ' (' + was + ') as ' + who() + ': ' + e.message + '\\n' +",
  "    '  Nothing was changed. Fix: run the deploy as the file\\'s owner or as root (the owner, group and mode are kept), ' +",
  "    'and give that user write access to ' + dir + '.\\n');",
  '  process.exit(1);',
  '}',
].join('\n');
