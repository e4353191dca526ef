/**
 * Starts the Entra stand-in (entra-stand-in.mjs, an oidc-provider behind Entra's paths) in a
 * child process and talks to it over IPC. The child listens on 127.0.0.1 only and exits when the
 * IPC channel closes: at stop(), or when the test process dies.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { SignInAudience } from '../../constructs/entra/endpoints';

export interface EntraStandInConfig {
  /** Server certificate and key for every login and Graph host (see throwaway-ca.ts). */
  readonly cert: string;
  readonly key: string;
  readonly clouds: ReadonlyArray<{ readonly loginHost: string; readonly graphHost: string }>;
  /** Directories that exist, each in one cloud. */
  readonly tenants: ReadonlyArray<{ readonly id: string; readonly loginHost: string }>;
  /** App registrations: exactly what a deploy registers. */
  readonly clients: ReadonlyArray<{
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUris: readonly string[];
    readonly tenantId: string;
    readonly loginHost: string;
    readonly signInAudience: SignInAudience;
  }>;
  /** Users who can sign in (any password); claims are what userinfo returns besides `sub`. */
  readonly users: ReadonlyArray<{ readonly login: string; readonly claims: Readonly<Record<string, string>> }>;
}

/** What the stand-in saw, without secrets. */
export interface StandInEvent {
  readonly route: string;
  readonly status: number;
  readonly clientId?: string;
  readonly grantType?: string;
  readonly secretInBody?: boolean;
  readonly basicAuth?: boolean;
  readonly redirectUri?: string;
  readonly bearerHeader?: boolean;
  readonly host?: string;
  readonly aadsts?: number;
  /** The password that matched a token request, when the client's passwords were added one by one. */
  readonly keyId?: string;
}

export interface EntraStandIn {
  readonly port: number;
  /** `POST` here adds a password (password-stand-in.ts): plain HTTP on 127.0.0.1. */
  readonly controlUrl: string;
  /** Events since the last call. */
  events(): Promise<StandInEvent[]>;
  /** Removes a password, as Entra does when the provider deletes it. */
  removePassword(clientId: string, keyId: string): Promise<void>;
  /** The key ids of the passwords a client holds. */
  passwords(clientId: string): Promise<string[]>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export function startEntraStandIn(config: EntraStandInConfig): Promise<EntraStandIn> {
  const child: ChildProcess = fork(path.join(__dirname, 'entra-stand-in.mjs'), [], {
    // jest's own flags are not for this process.
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  // oidc-provider warns about its development-only interactions; kept for failure messages only.
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Entra stand-in did not start within ${START_TIMEOUT_MS} ms\n${output}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Entra stand-in exited (${code})\n${output}`));
    });
    // One question at a time gets its answer: replies come back in order over the channel.
    const ask = <T>(request: object, replyType: string): Promise<T> =>
      new Promise((done) => {
        const onReply = (reply: { type: string } & T) => {
          if (reply.type !== replyType) return;
          child.off('message', onReply);
          done(reply);
        };
        child.on('message', onReply);
        child.send(request);
      });
    child.on(
      'message',
      function onMessage(message: { type: string; port?: number; controlPort?: number; message?: string }) {
        if (message.type === 'failed') {
          clearTimeout(timer);
          child.kill();
          reject(new Error(`Entra stand-in failed: ${message.message}\n${output}`));
        } else if (message.type === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.removeAllListeners('exit');
          resolve({
            port: message.port as number,
            controlUrl: `http://127.0.0.1:${message.controlPort}/passwords`,
            events: async () => (await ask<{ events: StandInEvent[] }>({ type: 'events' }, 'events')).events,
            removePassword: async (clientId, keyId) => {
              await ask({ type: 'remove-password', clientId, keyId }, 'removed');
            },
            passwords: async (clientId) =>
              (await ask<{ keyIds: string[] }>({ type: 'passwords', clientId }, 'passwords')).keyIds,
            stop: () =>
              new Promise((done) => {
                if (child.exitCode !== null) return done();
                child.once('exit', () => done());
                child.disconnect();
              }),
          });
        }
      },
    );
    child.send({ type: 'start', config });
  });
}
