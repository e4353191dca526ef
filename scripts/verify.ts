/**
 * `npm run verify -- <environment> [--outputs <file>] [--json]`: after a deploy and a Botpress
 * restart, checks from this machine that sign-in can work: Entra's discovery document, the client
 * secret, the client id and callback URL at the authorize endpoint, and Botpress's strategy and
 * login redirect (checks in verify-checks.ts). It reads the settings (BOTPRESS_SSO_SETTINGS, as
 * synthesis does) and the live files the deploy wrote; no Terraform state or Azure sign-in.
 *
 * Exit 0 when no check fails, 1 when one fails, 2 on bad input. Never prints a secret.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { DEFAULT_SETTINGS_FILE, LoadedEnvironment, READ_ONLY, loadSettings } from '../app/load-settings';
import {
  normalizeBotpressUrl,
  scrubText,
  secretEnvironmentVariable,
  SSO_DEFAULTS,
  SsoInputError,
  SsoInputErrors,
} from '../constructs/internal';
import {
  CHECKS,
  TIMEOUTS_MS,
  TimeoutName,
  Verdict,
  VerifyHttp,
  VerifyTarget,
  exitCodeFor,
  runChecks,
} from './verify-checks';

export interface VerifyArgs {
  readonly environment: string;
  readonly outputsFile?: string;
  readonly json: boolean;
}

const USAGE = 'npm run verify -- <environment> [--outputs <file from npx cdktf output <environment> --json>] [--json]';

export function parseArgs(argv: readonly string[]): VerifyArgs {
  let environment: string | undefined;
  let outputsFile: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--outputs') {
      outputsFile = argv[++i];
      if (!outputsFile) throw new SsoInputError('--outputs', undefined, 'needs a file', USAGE);
    } else if (arg.startsWith('-')) throw new SsoInputError('arguments', arg, 'is not an option of verify', USAGE);
    else if (environment === undefined) environment = arg;
    else throw new SsoInputError('arguments', arg, 'is one environment too many', USAGE);
  }
  if (environment === undefined) throw new SsoInputError('arguments', undefined, 'name no environment', USAGE);
  return { environment, outputsFile, json };
}

/** A variable of the env file as `docker run --env-file` and Botpress read it: KEY=VALUE, value JSON.parsed or taken as text. */
function envFileValue(text: string, variable: string): unknown {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${variable}=`)) continue;
    const raw = line.slice(variable.length + 1);
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** `cdktf output --json` ({stack: {name: value}}) or `terraform output -json` ({name: {value}}). */
function readOutputs(file: string, environment: string): VerifyTarget['outputs'] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SsoInputError(
      '--outputs',
      file,
      code ? `cannot be read (${code})` : 'is not JSON',
      `write it with: npx cdktf output ${environment} --json > ${file}`,
    );
  }
  const record = (value: unknown) =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const top = record(data);
  const outputs = environment in top && typeof top[environment] === 'object' ? record(top[environment]) : top;
  const text = (name: string) => {
    const value = outputs[name];
    const inner =
      value !== null && typeof value === 'object' && 'value' in (value as object)
        ? (value as { value: unknown }).value
        : value;
    return typeof inner === 'string' ? inner : undefined;
  };
  return {
    clientSecretExpiresAt: text('client_secret_expires_at'),
    clientSecretNextRotation: text('client_secret_next_rotation'),
  };
}

/** What the deploy wrote for `env`, from the live config file (and env file). Throws SsoInputError. */
export function targetFor(env: LoadedEnvironment, outputsFile?: string, projectDir = process.cwd()): VerifyTarget {
  const s = env.settings;
  const field = `environments.${env.name}`;
  const strategyName = s.strategyName ?? SSO_DEFAULTS.strategyName;
  if (s.enabled === false) {
    throw new SsoInputError(
      `${field}.enabled`,
      false,
      'turns SSO off, so there is no sign-in to verify',
      'remove "enabled": false and deploy first',
    );
  }
  const database = s.botpressStorage === 'database';
  let envText: string | undefined;
  if (database || s.secret?.delivery === 'environment') {
    try {
      envText = readFileSync(env.envFile ?? '', 'utf8');
    } catch (error) {
      throw new SsoInputError(
        `${field}.secret.envFile`,
        s.secret?.envFile,
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        `deploy first (npx cdktf deploy ${env.name}), and run verify where the env file is`,
      );
    }
  }
  // With database storage the strategy lives in BP_CONFIG_AUTHSTRATEGIES; otherwise in the config file.
  let options: Record<string, unknown> | undefined;
  if (database) {
    const strategies = envFileValue(envText ?? '', 'BP_CONFIG_AUTHSTRATEGIES') as
      Record<string, { options?: Record<string, unknown> }> | undefined;
    options = strategies?.[strategyName]?.options;
    if (!options || typeof options !== 'object') {
      throw new SsoInputError(
        `${field}.secret.envFile`,
        s.secret?.envFile,
        `has no BP_CONFIG_AUTHSTRATEGIES with ${strategyName}`,
        `deploy first: npx cdktf deploy ${env.name}`,
      );
    }
  } else {
    let config: { authStrategies?: Record<string, { options?: Record<string, unknown> }> };
    try {
      config = JSON.parse(env.baseConfig);
    } catch {
      throw new SsoInputError(
        `${field}.configFile`,
        s.configFile,
        'is not valid JSON',
        'repair it (Botpress cannot read it either), then deploy',
      );
    }
    options = config?.authStrategies?.[strategyName]?.options as Record<string, unknown> | undefined;
    if (!options || typeof options !== 'object') {
      throw new SsoInputError(
        `${field}.configFile`,
        s.configFile,
        `has no authStrategies.${strategyName}.options`,
        `deploy first: npx cdktf deploy ${env.name}`,
      );
    }
  }
  let clientSecret = options.clientSecret;
  if (!database && s.secret?.delivery === 'environment') {
    const variable = secretEnvironmentVariable(strategyName);
    const value = envFileValue(envText ?? '', variable);
    if (value === undefined) {
      throw new SsoInputError(
        `${field}.secret.envFile`,
        s.secret.envFile,
        `does not set ${variable}`,
        `deploy again: npx cdktf deploy ${env.name}`,
      );
    }
    clientSecret = typeof value === 'string' ? value : JSON.stringify(value);
  }
  for (const [key, value] of Object.entries({
    authorizationURL: options.authorizationURL,
    tokenURL: options.tokenURL,
    clientID: options.clientID,
    callbackURL: options.callbackURL,
  })) {
    if (typeof value !== 'string' || value === '') {
      throw new SsoInputError(
        `${field}.configFile`,
        s.configFile,
        `has no string authStrategies.${strategyName}.options.${key}`,
        `deploy again: npx cdktf deploy ${env.name}`,
      );
    }
  }
  if (typeof clientSecret !== 'string' || clientSecret === '') {
    throw new SsoInputError(
      `${field}.configFile`,
      s.configFile,
      `has no client secret for ${strategyName}`,
      `deploy again: npx cdktf deploy ${env.name}`,
    );
  }
  return {
    environment: env.name,
    strategyName,
    botpressStorage: database ? 'database' : 'disk',
    botpressUrl: normalizeBotpressUrl(s.botpressUrl, `${field}.botpressUrl`),
    signInAudience: s.signInAudience ?? SSO_DEFAULTS.signInAudience,
    cloud: s.cloud ?? SSO_DEFAULTS.cloud,
    tenantId: s.tenantId?.toLowerCase(),
    options: {
      authorizationURL: options.authorizationURL as string,
      tokenURL: options.tokenURL as string,
      clientID: options.clientID as string,
      clientSecret,
      callbackURL: options.callbackURL as string,
      scope: Array.isArray(options.scope)
        ? options.scope.join(' ')
        : typeof options.scope === 'string'
          ? options.scope
          : 'openid profile email',
    },
    outputs: outputsFile ? readOutputs(path.resolve(projectDir, outputsFile), env.name) : undefined,
  };
}

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

const MARKS: Readonly<Record<Verdict['status'], string>> = { pass: 'pass', fail: 'FAIL', skip: 'skip', warn: 'warn' };

export function renderText(environment: string, verdicts: readonly Verdict[]): string {
  const lines = [`botpress-azure-sso verify "${environment}":`];
  CHECKS.forEach((check, i) => {
    const v = verdicts[i];
    lines.push(`${MARKS[v.status]}  ${i + 1}. ${check.title}: ${v.detail}`);
    if (v.fix) lines.push(`      Fix: ${v.fix}`);
  });
  const failed = verdicts.filter((v) => v.status === 'fail').length;
  lines.push(failed === 0 ? 'No check failed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}

export function renderJsonResult(environment: string, verdicts: readonly Verdict[]): string {
  const code = exitCodeFor(verdicts);
  return `${JSON.stringify({ environment, ok: code === 0, checks: verdicts.map((v, i) => ({ ...v, title: CHECKS[i].title })) }, null, 2)}\n`;
}

export interface VerifyIo {
  readonly http: VerifyHttp;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now?: () => Date;
  readonly projectDir?: string;
  readonly settingsFile?: string;
}

/** The whole command; returns the exit code. Output passes through a scrub of the secret. */
export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<0 | 1 | 2> {
  const projectDir = io.projectDir ?? process.cwd();
  let target: VerifyTarget;
  let args: VerifyArgs;
  try {
    args = parseArgs(argv);
    // Read-only: verify needs to read the files, not to be able to replace them.
    const loaded = loadSettings(io.settingsFile ?? DEFAULT_SETTINGS_FILE, projectDir, READ_ONLY);
    const env = loaded.environments.find((e) => e.name === args.environment);
    if (!env) {
      throw new SsoInputError(
        'environment',
        args.environment,
        'is not in the settings file',
        `use one of ${loaded.environments.map((e) => e.name).join(', ')}`,
      );
    }
    target = targetFor(env, args.outputsFile, projectDir);
  } catch (error) {
    if (error instanceof SsoInputError || error instanceof SsoInputErrors) {
      io.stderr(`botpress-azure-sso verify: the arguments, settings or files need a fix.\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const verdicts = await runChecks(target, io.http, io.now?.() ?? new Date());
  const text = args.json ? renderJsonResult(target.environment, verdicts) : renderText(target.environment, verdicts);
  // Defence in depth: no verdict holds the secret, and none may reach the output anyway.
  io.stdout(scrubText(text, [target.options.clientSecret, JSON.stringify(target.options.clientSecret).slice(1, -1)]));
  return exitCodeFor(verdicts);
}

if (require.main === module) {
  runVerify(process.argv.slice(2), {
    http: nodeHttp(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    settingsFile: process.env.BOTPRESS_SSO_SETTINGS || DEFAULT_SETTINGS_FILE,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`botpress-azure-sso verify: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
