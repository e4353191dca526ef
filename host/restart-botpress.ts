/**
 * The restart step (bundled into RESTART_PROGRAM, run as `node -e` by a `terraform_data` of the
 * construct, on the deploy machine): restarts Botpress with the operator's command, then waits
 * until Botpress lists the strategy again, judged by the function verify uses
 * (strategy-listing.ts). One deadline covers both, counted from the start of the command.
 *
 * Exit 0 once Botpress lists the strategy (or, for a stack that removes SSO, answers with a list
 * without it); 1 otherwise, with a message that names the strategy, the URL and what Botpress last
 * answered. A failed step fails the apply, and Terraform then keeps the client secret it was
 * about to replace (docs/client-secret.md, "Rotation and restarts").
 *
 * The URL comes from the settings (trusted); Botpress's answers are not: they are read up to a
 * size limit, redirects are not followed, and nothing is sent but a GET without credentials.
 */
import { strategyListing, StrategyListing } from './strategy-listing';

/** The environment variables the construct sets, by what they hold. */
export const RESTART_ENV = {
  /** The shell command (`sh -c`). */
  command: 'BPSSO_RESTART_COMMAND',
  /** Seconds from the start of the command until Botpress must list the strategy. */
  timeoutSeconds: 'BPSSO_RESTART_TIMEOUT_SECONDS',
  /** `<botpressUrl>/api/v1/admin/auth/config`. */
  authConfigUrl: 'BPSSO_AUTH_CONFIG_URL',
  /** The strategy's key under authStrategies. */
  strategy: 'BPSSO_STRATEGY',
  /** `listed`, or `absent` for a deploy that removes SSO. */
  expect: 'BPSSO_EXPECT',
} as const;

export interface RestartRequest {
  readonly command: string;
  readonly timeoutMs: number;
  readonly authConfigUrl: string;
  readonly strategy: string;
  readonly expect: 'listed' | 'absent';
}

/** What the step needs from the machine: given, so that tests run it against real servers and commands of their own. */
export interface RestartIo {
  /** Runs `command` with `sh -c`, its output passed through; stops it at `deadline` (epoch ms). */
  run(command: string, deadline: number): Promise<{ readonly code: number | null; readonly timedOut: boolean }>;
  /** One GET, answering by `deadline` at the latest; never follows a redirect. */
  get(url: string, deadline: number): Promise<{ readonly status: number; readonly body: string }>;
  now(): number;
  sleep(ms: number): Promise<void>;
  out(text: string): void;
  err(text: string): void;
}

/** Between two questions to Botpress. */
const POLL_INTERVAL_MS = 1000;
export const PREFIX = 'botpress-azure-sso:';

type Env = Readonly<Record<string, string | undefined>>;

/** The request the environment describes, or what is wrong with it (a construct bug, not the user's). */
export function restartRequestFromEnv(env: Env): RestartRequest | string {
  const command = env[RESTART_ENV.command] ?? '';
  const seconds = Number(env[RESTART_ENV.timeoutSeconds]);
  const url = env[RESTART_ENV.authConfigUrl] ?? '';
  const strategy = env[RESTART_ENV.strategy] ?? '';
  const expect = env[RESTART_ENV.expect];
  if (command.trim() === '') return `${RESTART_ENV.command} is empty`;
  if (!Number.isInteger(seconds) || seconds < 1)
    return `${RESTART_ENV.timeoutSeconds} is not a whole number of seconds`;
  if (!/^https?:\/\//.test(url)) return `${RESTART_ENV.authConfigUrl} is not an http(s) URL`;
  if (strategy === '') return `${RESTART_ENV.strategy} is empty`;
  if (expect !== 'listed' && expect !== 'absent') return `${RESTART_ENV.expect} is neither "listed" nor "absent"`;
  return { command, timeoutMs: seconds * 1000, authConfigUrl: url, strategy, expect };
}

/** What an answer says, in words for the failure message. */
function describeAnswer(listing: StrategyListing, status: number): string {
  if (listing.kind === 'no-list') return `HTTP ${status} without a strategy list`;
  if (listing.kind === 'listed') return 'a strategy list with it';
  const ids = listing.listed.map((id) => JSON.stringify(id ?? null));
  return `a strategy list without it (${ids.length > 0 ? ids.join(', ') : 'empty'})`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Runs the step; returns the exit code. */
export async function restartBotpress(request: RestartRequest, io: RestartIo): Promise<number> {
  const started = io.now();
  const deadline = started + request.timeoutMs;
  const limit = `${request.timeoutMs / 1000} s (restart.timeoutSeconds)`;
  const strategy = JSON.stringify(request.strategy);
  const kept =
    '  The client secret this deploy replaces is kept: the next deploy runs the restart step again, and deletes it once the step succeeds.\n';
  io.out(`${PREFIX} restarting Botpress: ${request.command}\n`);
  const ran = await io.run(request.command, deadline);
  if (ran.timedOut || ran.code !== 0) {
    io.err(
      `${PREFIX} the restart command ${ran.timedOut ? `was still running after ${limit} and was stopped` : `failed (exit code ${ran.code ?? 'none: killed by a signal'})`}: ${request.command}\n` +
        kept +
        '  Fix: run restart.command by hand on this machine to see why it fails (or what it waits for), correct it, and deploy again.\n',
    );
    return 1;
  }
  io.out(
    `${PREFIX} the restart command finished after ${seconds(io.now() - started)}; asking ${request.authConfigUrl}\n`,
  );
  let last: string | undefined;
  for (;;) {
    try {
      const answer = await io.get(request.authConfigUrl, deadline);
      const listing = strategyListing(request.strategy, answer.status, answer.body);
      const done = request.expect === 'listed' ? listing.kind === 'listed' : listing.kind === 'not-listed';
      if (done) {
        const what =
          request.expect === 'listed' ? `lists strategy ${strategy}` : `no longer lists strategy ${strategy}`;
        io.out(
          `${PREFIX} Botpress ${what} at ${request.authConfigUrl}, ${seconds(io.now() - started)} after the restart began\n`,
        );
        return 0;
      }
      last = describeAnswer(listing, answer.status);
    } catch (error) {
      const message = (error as { message?: unknown } | undefined)?.message;
      last = `no answer (${typeof message === 'string' ? message : String(error)})`;
    }
    const left = deadline - io.now();
    if (left <= 0) break;
    await io.sleep(Math.min(POLL_INTERVAL_MS, left));
    if (io.now() >= deadline) break;
  }
  const wanted = request.expect === 'listed' ? `list strategy ${strategy}` : `answer without strategy ${strategy}`;
  io.err(
    `${PREFIX} Botpress did not ${wanted} at ${request.authConfigUrl} within ${limit} of the restart; it last answered: ${last ?? 'nothing'}.\n` +
      kept +
      '  Fix: check that Botpress started (its log), that Pro is on with a license, and that restart.command makes it read the new config and env file; raise restart.timeoutSeconds if Botpress needs longer to start.\n',
  );
  return 1;
}
