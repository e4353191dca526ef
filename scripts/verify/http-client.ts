/**
 * The HTTP client the checks use in a real run: node's http and https, with each request's named
 * timeout (check.ts) as both the socket's idle timeout and a deadline for the whole exchange.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { TIMEOUTS_MS, type TimeoutName, type VerifyHttp } from './check';

/** HTTP through node's clients; `agent` lets tests reach local stand-ins. Redirects are not followed. */
export function nodeHttp(
  agent?: https.Agent,
  timeouts: Readonly<Record<TimeoutName, number>> = TIMEOUTS_MS,
): VerifyHttp {
  const send = (url: string, method: string, timeoutName: TimeoutName, body?: string) =>
    new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const timeout = timeouts[timeoutName];
      const target = new URL(url);
      const client = target.protocol === 'http:' ? http : https;
      const headers: Record<string, string> = { accept: 'application/json, text/html' };
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const req = client.request(
        target,
        { method, headers, timeout, ...(target.protocol === 'https:' && agent ? { agent } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              location: res.headers.location,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      // The socket's idle timeout, and a deadline for the whole exchange (a server that trickles
      // bytes would never be idle long enough).
      const late = () => req.destroy(new Error(`no answer within ${timeout / 1000} s (timeout "${timeoutName}")`));
      const deadline = setTimeout(late, timeout);
      req.on('timeout', late);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', reject);
      req.end(body);
    });
  return {
    get: (url, timeoutName) => send(url, 'GET', timeoutName),
    postForm: (url, form, timeoutName) =>
      send(url, 'POST', timeoutName, new URLSearchParams(form as Record<string, string>).toString()),
  };
}
