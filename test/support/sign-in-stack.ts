/**
 * What a Botpress server and Entra get from a synthesized stack, evaluated by a real OpenTofu:
 * the rendered config file (and env file) and the Web redirect URIs the app registration
 * declares. Like evaluateFiles (tofu.ts), the attributes only Entra knows become variables with
 * known values and every case is evaluated in ONE engine run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { effectiveBotpressConfig } from './botpress-env';
import { parseDockerEnvFile } from './env-files';
import { ENGINE, EntraValues } from './tofu';

type TfJson = {
  locals?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};

/**
 * THE one place that knows the stack's shape: which expressions hold the rendered files (name
 * and content) and the registered redirect URIs. Resources are found by type, never by id. When
 * the way files are written changes (a stage file installed by terraform_data, say), adapt this.
 */
export function signInExpressions(json: TfJson): {
  files: Array<{ filename: unknown; content: unknown }>;
  redirectUris: unknown[];
} {
  const files: Array<{ filename: unknown; content: unknown }> = [];
  for (const type of ['local_file', 'local_sensitive_file']) {
    for (const resource of Object.values(json.resource?.[type] ?? {}))
      files.push({ filename: resource.filename, content: resource.content });
  }
  const redirectUris = Object.values(json.resource?.azuread_application_redirect_uris ?? {}).map(
    (r) => r.redirect_uris,
  );
  return { files, redirectUris };
}

export interface SignInSetup {
  /** The rendered botpress.config.json text; none with database storage (nothing writes the file). */
  readonly configText?: string;
  /** The env file's text, with environment delivery. */
  readonly envFileText?: string;
  /** Every Web redirect URI the stack registers. */
  readonly redirectUris: readonly string[];
}

export function evaluateSignInSetups(cases: ReadonlyArray<{ stack: string; values: EntraValues }>): SignInSetup[] {
  if (!ENGINE) throw new Error('no OpenTofu/Terraform binary');
  const locals: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  const tfvars: Record<string, string> = {};
  const shapes = cases.map(({ stack, values }, i) => {
    const prefix = `c${i}_`;
    // The same substitutions as tofu.ts: Entra's attributes become this case's variables.
    const rewrite = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replace(/\bazuread_application_registration\.[A-Za-z0-9_-]+\.client_id\b/g, `var.${prefix}client_id`)
          .replace(/\bazuread_application_password\.[A-Za-z0-9_-]+\.value\b/g, `var.${prefix}client_secret`)
          .replace(/\bdata\.azuread_client_config\.[A-Za-z0-9_-]+\.tenant_id\b/g, `var.${prefix}tenant_id`)
          .replace(/\blocal\.([A-Za-z0-9_-]+)/g, `local.${prefix}$1`),
      );
    const json = JSON.parse(stack) as TfJson;
    for (const [name, value] of Object.entries(json.locals ?? {})) locals[prefix + name] = rewrite(value);
    for (const key of ['client_id', 'client_secret', 'tenant_id'] as const)
      variables[prefix + key] = { type: 'string' };
    tfvars[`${prefix}client_id`] = values.clientId;
    tfvars[`${prefix}client_secret`] = values.clientSecret;
    tfvars[`${prefix}tenant_id`] = values.tenantId;
    const { files, redirectUris } = signInExpressions(json);
    files.forEach((file, j) => {
      outputs[`${prefix}file${j}_name`] = { value: rewrite(file.filename) };
      outputs[`${prefix}file${j}_content`] = { value: rewrite(file.content), sensitive: true };
    });
    outputs[`${prefix}redirect_uris`] = { value: redirectUris.map(rewrite) };
    return { prefix, fileCount: files.length };
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-signin-'));
  try {
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ variable: variables, locals, output: outputs }));
    // tfvars values are data, never templates: the hostile secret arrives intact.
    writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(tfvars));
    writeFileSync(path.join(dir, '.terraformrc'), '');
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: path.join(dir, '.terraformrc'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
    const run = (...args: string[]) =>
      execFileSync(ENGINE as string, args, {
        cwd: dir,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 28,
      });
    run('init', '-input=false', '-no-color');
    run('apply', '-auto-approve', '-input=false', '-no-color', '-lock=false');
    const result = JSON.parse(run('output', '-json', '-no-color')) as Record<string, { value: unknown }>;
    return shapes.map(({ prefix, fileCount }) => {
      const contents = Array.from({ length: fileCount }, (_, j) => result[`${prefix}file${j}_content`].value as string);
      const configText = contents.find(
        (text) => /^\s*\{/.test(text) && 'authStrategies' in (JSON.parse(text) as object),
      );
      const envFileText = contents.find((text) => /^BP_CONFIG_/m.test(text));
      const redirectUris = (result[`${prefix}redirect_uris`].value as string[][]).flat();
      return { configText, envFileText, redirectUris };
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    // The engine's messages may quote the secret: say only that it failed, and where.
    // No `cause`: the original error's text may hold the secret.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`OpenTofu failed: ${e.message.split('\n')[0]}\n${(e.stderr ?? '').replace(/"[^"\n]*"/g, '"…"')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The config as a Botpress process sees it: the stored config with the env file's `BP_CONFIG_*`
 * variables applied the way Botpress 12 applies them (botpress-env.ts), the file read the way
 * `docker run --env-file` reads it (env-files.ts).
 */
export function botpressView(configText: string, envFileText?: string): Record<string, any> {
  return effectiveBotpressConfig(configText, parseDockerEnvFile(envFileText ?? '')).config;
}
