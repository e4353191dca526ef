/**
 * What synthesis sees of the files a deploy will install on the Botpress host (I/O at the edge,
 * called by main.ts): their owner, group and mode, whether their folder is writable, and who is
 * deploying. The decisions are pure (constructs/file-ownership.ts).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ObservedFile } from '../constructs/internal';
import type { Deployer, HostFileObservation } from './deploy-rights';

/** The user running this process. */
export function currentDeployer(): Deployer {
  let name: string | undefined;
  try {
    name = os.userInfo().username;
  } catch {
    // no passwd entry (containers with an arbitrary uid)
  }
  return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, groups: process.getgroups?.() ?? [], name };
}

/** Names from /etc/passwd or /etc/group, where the host has them. */
function nameOf(database: '/etc/passwd' | '/etc/group', id: number): string | undefined {
  try {
    for (const line of readFileSync(database, 'utf8').split('\n')) {
      const [name, , number] = line.split(':');
      if (number !== undefined && Number(number) === id) return name;
    }
  } catch {
    // no such database (macOS keeps users elsewhere): numbers only
  }
  return undefined;
}

/** Owner, group and mode of `file`, or undefined when it does not exist. */
export function observeFile(file: string): ObservedFile | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return {
    uid: stat.uid,
    gid: stat.gid,
    mode: stat.mode & 0o7777,
    owner: nameOf('/etc/passwd', stat.uid),
    group: nameOf('/etc/group', stat.gid),
  };
}

/** `field`'s file as the deploy will find it. */
export function observeHostFile(field: string, value: string, absolute: string): HostFileObservation {
  let folderWritable = true;
  try {
    accessSync(path.dirname(absolute), constants.W_OK | constants.X_OK);
  } catch (error) {
    // A folder that does not exist yet is created by the local provider (MkdirAll).
    folderWritable = (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  return { field, value, path: absolute, file: observeFile(absolute), folderWritable };
}
