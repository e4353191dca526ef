/**
 * What a Botpress server and Entra get from a synthesized stack, evaluated by a real OpenTofu:
 * the rendered config file (and env file) and the Web redirect URIs the app registration
 * declares. Like evaluateFiles (tofu.ts), the attributes only Entra knows become variables with
 * known values and every case is evaluated in ONE engine run.
 */
import { effectiveBotpressConfig } from './botpress-env';
import { parseDockerEnvFile } from './env-files';
import { EntraValues, evaluateExpressions } from './tofu';

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
  const shapes = cases.map(({ stack }) => signInExpressions(JSON.parse(stack) as TfJson));
  const results = evaluateExpressions(
    cases.map(({ stack, values }, i) => ({
      stack,
      values,
      expressions: {
        ...Object.fromEntries(shapes[i].files.map((file, j) => [`file${j}_content`, file.content])),
        redirect_uris: shapes[i].redirectUris,
      },
    })),
  );
  return results.map((result, i) => {
    const contents = shapes[i].files.map((_, j) => result[`file${j}_content`] as string);
    const configText = contents.find((text) => /^\s*\{/.test(text) && 'authStrategies' in (JSON.parse(text) as object));
    const envFileText = contents.find((text) => /^BP_CONFIG_/m.test(text));
    const redirectUris = (result.redirect_uris as string[][]).flat();
    return { configText, envFileText, redirectUris };
  });
}

/**
 * The config as a Botpress process sees it: the stored config with the env file's `BP_CONFIG_*`
 * variables applied the way Botpress 12 applies them (botpress-env.ts), the file read the way
 * `docker run --env-file` reads it (env-files.ts).
 */
export function botpressView(configText: string, envFileText?: string): Record<string, any> {
  return effectiveBotpressConfig(configText, parseDockerEnvFile(envFileText ?? '')).config;
}
