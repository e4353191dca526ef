/**
 * The restart step's reach into the machine (RestartIo): the command through `sh -c` in a process
 * group of its own (stopped as a whole at the deadline: SIGTERM, then SIGKILL five seconds later),
 * and GETs through Node's http/https clients, which trust the system's certificates and
 * NODE_EXTRA_CA_CERTS, follow no redirect, and read at most a mebibyte.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import type { RestartIo } from './restart-botpress';

const MAX_BODY_BYTES = 1 << 20;
const KILL_GRACE_MS = 5000;

export function nodeRestartIo(): RestartIo {
  return {
    run: (command, deadline) =>
      new Promise((resolve) => {
        const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
        let timedOut = false;
        const stop = (signal: NodeJS.Signals) => {
          try {
            process.kill(-(child.pid as number), signal);
          } catch {
            // already gone
          }
        };
        let kill: NodeJS.Timeout | undefined;
        const timer = setTimeout(
          () => {
            timedOut = true;
            stop('SIGTERM');
            kill = setTimeout(() => stop('SIGKILL'), KILL_GRACE_MS);
          },
          Math.max(0, deadline - Date.now()),
        );
        child.on('error', () => resolve({ code: null, timedOut }));
        child.on('exit', (code) => {
          clearTimeout(timer);
          if (kill) clearTimeout(kill);
          resolve({ code, timedOut });
        });
      }),
    get: (url, deadline) =>
      new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = target.protocol === 'http:' ? http : https;
        const req = client.request(target, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error('the answer is larger than 1 MiB'));
            else chunks.push(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        const late = setTimeout(
          () => req.destroy(new Error('no answer before the deadline')),
          Math.max(0, deadline - Date.now()),
        );
        req.on('close', () => clearTimeout(late));
        req.on('error', reject);
        req.end();
      }),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}
