/**
 * What verify checks for one environment (VerifyTarget), read from the settings and the live files
 * the deploy wrote: the config file (or, with database storage, the env file's
 * BP_CONFIG_AUTHSTRATEGIES), the env file with environment delivery, and optionally the deploy
 * outputs. Throws SsoInputError naming the field and the fix.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LoadedEnvironment } from '../../app/load-settings';
import {
  normalizeBotpressUrl,
  secretEnvironmentVariable,
  SSO_DEFAULTS,
  SsoInputError,
} from '../../constructs/internal';
import { stackOutputs } from '../stack-outputs';
import type { VerifyTarget } from './check';
import { entraEndpointsFor } from './entra-endpoints';

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
  const text = stackOutputs(data, environment);
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
  // Read at loading the settings, the safe way (app/host-files.ts), as synthesis reads it; only
  // with an env file to read (database storage or environment delivery).
  const envText = env.envText;
  if ((database || s.secret?.delivery === 'environment') && envText === undefined) {
    throw new SsoInputError(
      `${field}.secret.envFile`,
      s.secret?.envFile,
      `does not exist (looked at ${env.envFile ?? 'no path'})`,
      `deploy first (npx cdktf deploy ${env.name}), and run verify where the env file is`,
    );
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
  const signInAudience = s.signInAudience ?? SSO_DEFAULTS.signInAudience;
  const cloud = s.cloud ?? SSO_DEFAULTS.cloud;
  const tenantId = s.tenantId?.toLowerCase();
  return {
    environment: env.name,
    strategyName,
    botpressStorage: database ? 'database' : 'disk',
    botpressUrl: normalizeBotpressUrl(s.botpressUrl, `${field}.botpressUrl`),
    signInAudience,
    cloud,
    tenantId,
    entra: entraEndpointsFor(
      { cloud, signInAudience, tenantId },
      { tokenURL: options.tokenURL as string, authorizationURL: options.authorizationURL as string },
    ),
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
