/**
 * The restart step's program (host/restart-botpress.ts with its real machine access,
 * host/restart-io.ts): real `sh -c` commands and real HTTP servers on 127.0.0.1 standing in for
 * Botpress's strategy listing, one timeout of one second each, the cases run side by side. The
 * step inside a real deploy, with a real sign-in around it, is test/rotation-engine.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RESTART_ENV, restartBotpress, RestartRequest, restartRequestFromEnv } from '../../host/restart-botpress';
import { nodeRestartIo } from '../../host/restart-io';

const listing = (...ids: string[]) =>
  JSON.stringify({
    status: 'success',
    message: 'Auth Config',
    payload: { strategies: ids.map((id) => ({ strategyType: 'oauth2', strategyId: id })), isFirstUser: false },
  });

/** A server answering the listing with `answer(n)` for the n-th request (from 0). */
async function botpress(answer: (n: number) => [number, string]) {
  let n = 0;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    const [status, body] = answer(n++);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bp/api/v1/admin/auth/config`,
    requests: () => n,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether a process still runs ('Z' is an exited child nobody has reaped yet). */
function runningState(pid: number): string {
  try {
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state === 'Z' ? 'gone or exited' : `running (${state})`;
  } catch {
    return 'gone or exited';
  }
}

async function run(request: Partial<RestartRequest> & Pick<RestartRequest, 'authConfigUrl'>) {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await restartBotpress(
    // 3 s by default: a loaded machine can take over a second to start `sh -c true`, which a
    // shorter deadline would report as a command still running.
    { command: 'true', timeoutMs: 3000, strategy: 'azuread', expect: 'listed', ...request },
    { ...nodeRestartIo(), out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  return { code, out: out.join(''), err: err.join(''), ms: Date.now() - started };
}

describe('the restart step: command, wait for the strategy list, timeout', () => {
  it('succeeds once Botpress lists the strategy, and fails naming the strategy, the URL and the last answer otherwise', async () => {
    const late = await botpress((n) => (n === 0 ? [503, 'starting'] : [200, listing('default', 'azuread')]));
    const withoutPro = await botpress(() => [200, listing('default')]);
    const notBotpress = await botpress(() => [404, '<html>Not Found</html>']);
    const huge = await botpress(() => [200, 'x'.repeat(2 << 20)]);
    const closed = await botpress(() => [200, '']);
    await closed.close();
    const removed = await botpress(() => [200, listing('default')]);

    const [ok, never, notFound, tooBig, refused, absent] = await Promise.all([
      run({ authConfigUrl: late.url, timeoutMs: 5000 }),
      run({ authConfigUrl: withoutPro.url, timeoutMs: 4000 }),
      run({ authConfigUrl: notBotpress.url }),
      run({ authConfigUrl: huge.url }),
      run({ authConfigUrl: closed.url }),
      run({ authConfigUrl: removed.url, expect: 'absent' }),
    ]);

    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^botpress-azure-sso: restarting Botpress: true\n/);
    expect(ok.out).toContain(`botpress-azure-sso: Botpress lists strategy "azuread" at ${late.url}`);
    expect(late.requests()).toBe(2); // asked again after a 503, and stopped once listed

    expect(never.code).toBe(1);
    expect(never.err).toContain(
      `botpress-azure-sso: Botpress did not list strategy "azuread" at ${withoutPro.url} within 4 s (restart.timeoutSeconds) of the restart; it last answered: a strategy list without it ("default").`,
    );
    expect(never.err).toMatch(/client secret this deploy replaces is kept/);
    expect(never.err).toMatch(/Fix: check that Botpress started/);
    expect(never.ms).toBeGreaterThanOrEqual(4000);
    expect(withoutPro.requests()).toBeGreaterThanOrEqual(2); // it kept asking until the deadline

    expect(notFound.err).toContain('it last answered: HTTP 404 without a strategy list.');
    expect(tooBig.err).toContain('it last answered: no answer (the answer is larger than 1 MiB).');
    expect(refused.err).toMatch(/it last answered: no answer \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\./);

    expect(absent.code).toBe(0);
    expect(absent.out).toContain('Botpress no longer lists strategy "azuread"');
    await Promise.all([late, withoutPro, notBotpress, huge, removed].map((s) => s.close()));
  });

  it('stops a command still running at the deadline (its whole process group), and never asks Botpress after a failed command', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-restart-'));
    const pidFile = path.join(dir, 'pid');
    const server = await botpress(() => [200, listing('azuread')]);
    const [hung, failed] = await Promise.all([
      // A child of the shell that would outlive it: the step stops the group, not just sh.
      run({ authConfigUrl: server.url, command: `sleep 30 & echo $! > '${pidFile}'; wait`, timeoutMs: 2000 }),
      run({ authConfigUrl: server.url, command: 'echo restarting; exit 3' }),
    ]);
    expect(hung.code).toBe(1);
    expect(hung.err).toMatch(
      /^botpress-azure-sso: the restart command was still running after 2 s \(restart\.timeoutSeconds\) and was stopped: sleep 30 &/,
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runningState(pid)).toBe('gone or exited');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/the restart command failed \(exit code 3\): echo restarting; exit 3\n/);
    expect(failed.err).toMatch(/Fix: run restart\.command by hand/);
    expect(server.requests()).toBe(0);
    expect(existsSync(pidFile)).toBe(true);
    await server.close();
  });

  it('reads its request from the environment the construct sets, and says what is wrong with a bad one', () => {
    const env = {
      [RESTART_ENV.command]: 'docker compose up -d botpress',
      [RESTART_ENV.timeoutSeconds]: '120',
      [RESTART_ENV.authConfigUrl]: 'https://bots.example.com/api/v1/admin/auth/config',
      [RESTART_ENV.strategy]: 'azuread',
      [RESTART_ENV.expect]: 'listed',
    };
    expect(restartRequestFromEnv(env)).toEqual({
      command: 'docker compose up -d botpress',
      timeoutMs: 120_000,
      authConfigUrl: 'https://bots.example.com/api/v1/admin/auth/config',
      strategy: 'azuread',
      expect: 'listed',
    });
    expect(restartRequestFromEnv({ ...env, [RESTART_ENV.timeoutSeconds]: '0' })).toMatch(/TIMEOUT_SECONDS/);
    expect(restartRequestFromEnv({ ...env, [RESTART_ENV.command]: ' ' })).toMatch(/COMMAND is empty/);
    expect(restartRequestFromEnv({ ...env, [RESTART_ENV.authConfigUrl]: 'file:///etc/passwd' })).toMatch(/URL/);
    expect(restartRequestFromEnv({ ...env, [RESTART_ENV.expect]: 'maybe' })).toMatch(/EXPECT/);
  });
});
