/**
 * A Botpress 12 process as a rotation meets it (facts section 6): it reads botpress.config.json
 * and its environment (the env file, as `docker run --env-file` passes it) when it starts, and
 * sets up its strategies then, once: a new secret in the files reaches it only through a
 * restart. Its public listing (`GET /api/v1/admin/auth/config`) shows the strategies of the
 * config file as it is now (Botpress re-reads the file when it changes), with the environment it
 * started with. The sign-in routes are botpress-stand-in.ts's (passport-oauth2).
 *
 * A restart can bring Botpress back without Pro (a licence problem, say): then it sets up and
 * lists no SSO strategy, which is what a restart step must notice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { startBotpressStandIn, StrategyEntry } from './botpress-stand-in';
import { botpressView } from './sign-in-stack';

export interface BotpressOnHostOptions {
  readonly externalUrl: string;
  readonly cert: string;
  readonly key: string;
  readonly configFile: string;
  /** The env file Botpress is started with, if any. */
  readonly envFile?: string;
}

export type Comeback = 'with-pro' | 'without-pro';

export interface BotpressOnHost {
  readonly port: number;
  /** Stops and starts again, reading the files now (`without-pro`: it comes back without Pro). */
  restart(comeback?: Comeback): void;
  /** The client secret of `strategy` this process started with (what it sends to Entra). */
  secretInUse(strategy: string): unknown;
  stop(): Promise<void>;
}

/**
 * The collaborator strategies of `config`: with Pro on, those in pro.collaboratorsAuthStrategies;
 * without it, only the password strategy `default` (Botpress's getCollaboratorsConfig).
 */
function collaboratorStrategies(config: Record<string, any>): Record<string, StrategyEntry> {
  const names: string[] = config.pro?.enabled === true ? (config.pro.collaboratorsAuthStrategies ?? []) : ['default'];
  return Object.fromEntries(
    names.filter((name) => config.authStrategies?.[name]).map((name) => [name, config.authStrategies[name]]),
  );
}

/** The SSO strategies a Botpress with `config` sets up when it starts (passport's routes). */
const oauth2Strategies = (config: Record<string, any>): Record<string, StrategyEntry> =>
  Object.fromEntries(Object.entries(collaboratorStrategies(config)).filter(([, entry]) => entry.type === 'oauth2'));

export async function startBotpressOnHost(options: BotpressOnHostOptions): Promise<BotpressOnHost> {
  const readEnv = () =>
    options.envFile && existsSync(options.envFile) ? readFileSync(options.envFile, 'utf8') : undefined;
  let env = readEnv();
  let pro = true;
  const view = () => {
    const config = botpressView(readFileSync(options.configFile, 'utf8'), env);
    return pro ? config : { ...config, pro: { ...config.pro, enabled: false } };
  };
  let started = view();
  const server = await startBotpressStandIn({
    externalUrl: options.externalUrl,
    cert: options.cert,
    key: options.key,
    running: oauth2Strategies(started),
    listed: () => collaboratorStrategies(view()),
  });
  return {
    port: server.port,
    restart(comeback = 'with-pro') {
      pro = comeback === 'with-pro';
      env = readEnv();
      started = view();
      server.restart({ running: oauth2Strategies(started), listed: () => collaboratorStrategies(view()) });
    },
    secretInUse: (strategy) => started.authStrategies?.[strategy]?.options?.clientSecret,
    stop: () => server.stop(),
  };
}
