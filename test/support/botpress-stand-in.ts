/**
 * A stand-in for the Botpress 12 endpoints that SSO touches, over HTTPS on 127.0.0.1.
 *
 * Botpress's own oauth2 strategy is closed source (Botpress Pro). What is known: it is built on
 * passport-oauth2, takes the strategy's `options` as they are in botpress.config.json, reads
 * `userInfoURL` with the access token and maps `fieldMapping.email` onto the collaborator's
 * email (facts sections 1, 6 and 9). So this stand-in hands the rendered `options` object,
 * unchanged, to passport-oauth2 and reads userinfo with the access token in the Authorization
 * header (Graph accepts nothing else). Limits: Botpress's own error pages, session cookies, its
 * `jwtToken` option, collaborator lookup and roles are not modelled; the stand-in answers the
 * callback with the mapped email (200) or the strategy's error (401/502).
 *
 * Routes, under the path of `botpressUrl` (Botpress serves everything under its ROOT_PATH):
 *   GET /api/v1/admin/auth/config                     the listed collaborator strategies
 *   GET /api/v1/admin/auth/redirect/oauth2/<id>       passport's redirect to the authorize URL
 *   GET /api/v1/auth/login-callback/oauth2/<id>       passport's callback: code -> token -> userinfo
 */
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface OAuth2Client {
  useAuthorizationHeaderforGET(use: boolean): void;
  get(
    url: string,
    accessToken: string,
    callback: (error: { statusCode?: number; data?: string } | null, body?: string) => void,
  ): void;
}
interface PassportStrategy {
  _oauth2: OAuth2Client;
  userProfile(accessToken: string, done: (error: Error | null, profile?: Record<string, unknown>) => void): void;
  authenticate(req: unknown, options?: Record<string, unknown>): void;
  redirect(url: string, status?: number): void;
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: Error): void;
  pass(): void;
}
type VerifyDone = (error: Error | null, user?: unknown, info?: { message: string }) => void;
// passport-oauth2 ships no types; this is the part used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OAuth2Strategy = require('passport-oauth2') as new (
  options: Record<string, unknown>,
  verify: (accessToken: string, refreshToken: string, profile: Record<string, unknown>, done: VerifyDone) => void,
) => PassportStrategy;

/** An `authStrategies` entry as Botpress reads it (after BP_CONFIG_* overrides). */
export interface StrategyEntry {
  readonly type: string;
  readonly label?: string;
  readonly hidden?: boolean;
  readonly options: Record<string, unknown>;
  readonly fieldMapping?: Record<string, string>;
}

export interface BotpressStandInOptions {
  /** Botpress's external URL, possibly with a path prefix. */
  readonly externalUrl: string;
  readonly cert: string;
  readonly key: string;
  /** Strategies whose routes were set up when "the process started". */
  readonly running: Readonly<Record<string, StrategyEntry>>;
  /**
   * Strategies listed by /api/v1/admin/auth/config (default: the running ones), or how to read
   * them at each request (Botpress lists those of its current config file, re-read on change).
   */
  readonly listed?: Readonly<Record<string, StrategyEntry>> | (() => Readonly<Record<string, StrategyEntry>>);
}

export interface BotpressStandIn {
  readonly port: number;
  /** Replaces what the server runs and lists, as a restart with another config would. */
  restart(options: Pick<BotpressStandInOptions, 'running' | 'listed'>): void;
  stop(): Promise<void>;
}

function makeStrategy(entry: StrategyEntry): PassportStrategy {
  const options = entry.options;
  const strategy = new OAuth2Strategy(options, (_accessToken, _refreshToken, profile, done) => {
    const field = entry.fieldMapping?.email ?? 'email';
    const email = profile[field];
    if (typeof email !== 'string' || email === '')
      return done(null, false, { message: `userinfo has no "${field}" for this user` });
    return done(null, { email });
  });
  strategy.userProfile = function userProfile(accessToken, done) {
    const url = options.userInfoURL;
    if (typeof url !== 'string') return done(null, {});
    this._oauth2.useAuthorizationHeaderforGET(true);
    this._oauth2.get(url, accessToken, (error, body) => {
      if (error) return done(new Error(`userinfo request failed with HTTP ${error.statusCode}: ${error.data ?? ''}`));
      try {
        return done(null, JSON.parse(body ?? '') as Record<string, unknown>);
      } catch {
        return done(new Error('userinfo did not return JSON'));
      }
    });
  };
  return strategy;
}

export function startBotpressStandIn(options: BotpressStandInOptions): Promise<BotpressStandIn> {
  const base = new URL(options.externalUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  let running = new Map(Object.entries(options.running).map(([id, entry]) => [id, makeStrategy(entry)]));
  let listed = options.listed ?? options.running;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', options.externalUrl);
    if (!url.pathname.startsWith(`${prefix}/`)) return send(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(prefix.length);
    if (req.method === 'GET' && path === '/api/v1/admin/auth/config') {
      // The shape of Botpress's sendSuccess(getCollaboratorsConfig()) (facts section 6).
      const strategies = Object.entries(typeof listed === 'function' ? listed() : listed).map(([id, entry]) => ({
        strategyType: entry.type,
        strategyId: id,
        label: entry.label,
        hidden: entry.hidden ?? false,
        loginUrl: `/login/${entry.type}/${id}`,
        registerUrl: `/register/${entry.type}/${id}`,
      }));
      return send(res, 200, { status: 'success', message: 'Auth Config', payload: { strategies, isFirstUser: false } });
    }
    const match = /^\/api\/v1\/(admin\/auth\/redirect|auth\/login-callback)\/oauth2\/([^/]+)$/.exec(path);
    const strategy = match ? running.get(decodeURIComponent(match[2])) : undefined;
    if (!match || !strategy || req.method !== 'GET') return send(res, 404, { message: 'Not Found' });

    // passport's middleware gives each request a delegate of the strategy with these actions.
    const delegate = Object.create(strategy) as PassportStrategy;
    delegate.redirect = (location, status = 302) => {
      res.writeHead(status, { location });
      res.end();
    };
    delegate.success = (user) => send(res, 200, { signedIn: user });
    delegate.fail = (challenge) =>
      send(res, 401, {
        message:
          typeof challenge === 'object' && challenge
            ? (challenge as { message?: string }).message
            : String(challenge ?? 'Unauthorized'),
      });
    // passport-oauth2 wraps transport errors in InternalOAuthError (cause in `oauthError`) and
    // the token endpoint's error responses in TokenError (error_description as the message).
    delegate.error = (error) => {
      const cause = (error as { oauthError?: { message?: string; data?: string } }).oauthError;
      send(res, 502, {
        message: cause ? `${error.message}: ${cause.message ?? cause.data ?? String(cause)}` : error.message,
        code: (error as { code?: string }).code,
      });
    };
    delegate.pass = () => send(res, 500, { message: 'unexpected pass' });
    delegate.authenticate({
      method: 'GET',
      url: req.url,
      headers: req.headers,
      query: Object.fromEntries(url.searchParams),
    });
  };

  const server: Server = createServer({ cert: options.cert, key: options.key }, handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      // Never keeps the test process alive on its own.
      server.unref();
      resolve({
        port: (server.address() as AddressInfo).port,
        restart(next) {
          running = new Map(Object.entries(next.running).map(([id, entry]) => [id, makeStrategy(entry)]));
          listed = next.listed ?? next.running;
        },
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
