/**
 * Applies the built-in pieces of a synthesized stack with a real OpenTofu, against real files:
 * the terraform_data installers, removers and guards run as synthesized. What only other
 * providers know is stood in:
 *
 * - azuread values (client id, secret, tenant) become variables with known values;
 * - the local provider's files (`local_file`, `local_sensitive_file`: the stage files) become
 *   `terraform_data` resources with the same name that do exactly what the provider documents
 *   (facts section 7, resource_local_file.go): Create = MkdirAll(dir, 0777) then
 *   os.WriteFile(filename, content, file_permission), i.e. open with O_CREAT|O_TRUNC, so an
 *   existing file is rewritten in place and a new one gets the mode under umask; Delete =
 *   os.Remove, errors ignored; every argument forces replacement (all of them are in
 *   triggers_replace). The stand-in is a Perl one-liner (perl-base, part of every Debian and
 *   Ubuntu): sysopen takes the very flags and mode os.WriteFile passes (O_WRONLY|O_CREAT|O_TRUNC,
 *   file_permission) and writes the bytes unchanged, and Perl starts in a tenth of node's CPU,
 *   which counted in a test that writes a stage file on every apply.
 *   The provider's Read (a missing file, or one whose SHA-1 differs from the content, drops the
 *   resource from state) cannot live in a terraform_data, so `localProviderRead` performs it in
 *   the test process before each plan, with `tofu state rm`, which is what dropping from state is.
 *   Nor can its Delete of a file resource taken out of the configuration (Terraform runs no
 *   destroy-time step of a removed block): `apply` removes those files after the apply.
 *
 * Chosen over performing the writes in the test process between plan and apply because the
 * stand-in keeps the real dependency order inside one apply (stage written, then installed).
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { passwordReferences, passwordStandIns } from './password-stand-in';
import type { Requirement } from './requirements';
import type { EntraValues } from './tofu';
import { ENGINE, engineEnv } from './tofu';

type Json = Record<string, any>;
const LOCAL_FILE_TYPES = ['local_file', 'local_sensitive_file'];

const WRITE_SCRIPT = [
  'use Fcntl; use File::Basename; use File::Path;',
  'File::Path::make_path(dirname($ENV{F}), { mode => 0777 });',
  'sysopen(my $f, $ENV{F}, O_WRONLY | O_CREAT | O_TRUNC, oct $ENV{M}) or die "$ENV{F}: $!\\n";',
  'defined(syswrite($f, $ENV{C})) or die "$ENV{F}: $!\\n";',
  'close($f) or die "$ENV{F}: $!\\n";',
].join('\n');
/** os.Remove, error ignored. */
const REMOVE_SCRIPT = 'unlink $ENV{F};';

/** Perl, which runs the stand-in. */
export const PERL: Requirement = {
  met: spawnSync('perl', ['-e', 'use Fcntl; use File::Basename; use File::Path;']).status === 0,
  missing: 'perl (the local provider stand-in in test/support/host-apply.ts): install perl-base',
};

/**
 * How the client secrets are stood in: `variable`, one known value (`var.client_secret`) for every
 * password, which are left out; `stand-in`, each password a resource of its own whose secret
 * lives in the OpenID provider stand-in (password-stand-in.ts), the plan's time a variable
 * (`var.now`, for plantimestamp()), and the outputs, variables and moved blocks kept.
 */
export type PasswordsAs = 'variable' | 'stand-in';

/** The module OpenTofu applies: built-in resources as synthesized, local files stood in. */
export function hostModule(
  stack: Json | string,
  values: EntraValues,
  passwords: PasswordsAs = 'variable',
): { module: Json; tfvars: Json; standIns: string[] } {
  const json: Json = typeof stack === 'string' ? JSON.parse(stack) : stack;
  const standInPasswords = passwords === 'stand-in';
  const rewrite = (text: string) => {
    const common = text
      .replace(/\bazuread_application_registration\.[A-Za-z0-9_-]+\.client_id\b/g, 'var.client_id')
      .replace(/\bdata\.azuread_client_config\.[A-Za-z0-9_-]+\.tenant_id\b/g, 'var.tenant_id')
      .replace(/\blocal_(sensitive_)?file\.([A-Za-z0-9_-]+)/g, 'terraform_data.$2');
    return standInPasswords
      ? passwordReferences(common).replace(/\bplantimestamp\(\)/g, 'var.now')
      : common.replace(/\bazuread_application_password\.[A-Za-z0-9_-]+\.value\b/g, 'var.client_secret');
  };
  const resources: Json = {};
  const standIns: string[] = [];
  for (const [name, resource] of Object.entries(json.resource?.terraform_data ?? {}))
    resources[name] = JSON.parse(rewrite(JSON.stringify(resource)));
  for (const type of LOCAL_FILE_TYPES) {
    for (const [name, file] of Object.entries((json.resource?.[type] ?? {}) as Json)) {
      const f = JSON.parse(rewrite(JSON.stringify(file)));
      const mode = f.file_permission ?? '0777';
      if (!/^\$\{[^}]*\}$/.test(f.content))
        throw new Error(`stand-in expects content to be one expression: ${f.content}`);
      standIns.push(name);
      resources[name] = {
        triggers_replace: { filename: f.filename, content: f.content, file_permission: mode },
        input: { filename: f.filename, content_sha1: `\${sha1(${f.content.slice(2, -1)})}` },
        provisioner: [
          {
            'local-exec': {
              interpreter: ['perl', '-e'],
              command: WRITE_SCRIPT,
              environment: { F: f.filename, C: f.content, M: mode },
            },
          },
          {
            'local-exec': {
              when: 'destroy',
              interpreter: ['perl', '-e'],
              command: REMOVE_SCRIPT,
              environment: { F: '${self.input.filename}' },
            },
          },
        ],
      };
    }
  }
  const locals: Json = JSON.parse(rewrite(JSON.stringify(json.locals ?? {})));
  // The rotation guard reads this stack's previous outputs: here the module's own local state.
  const remoteStates: Json = JSON.parse(rewrite(JSON.stringify(json.data?.terraform_remote_state ?? {})));
  for (const data of Object.values(remoteStates)) if (data.backend === 'local') data.config.path = 'terraform.tfstate';
  const module: Json = {
    variable: {
      client_id: { type: 'string' },
      client_secret: { type: 'string', sensitive: true },
      tenant_id: { type: 'string' },
      ...JSON.parse(JSON.stringify(json.variable ?? {})),
    },
    locals,
    resource: { terraform_data: resources },
    ...(Object.keys(remoteStates).length > 0 ? { data: { terraform_remote_state: remoteStates } } : {}),
  };
  if (standInPasswords) {
    const passwordsStoodIn = passwordStandIns(json, rewrite);
    Object.assign(resources, passwordsStoodIn.resources);
    Object.assign(locals, passwordsStoodIn.locals);
    Object.assign(module.variable, {
      now: { type: 'string', description: 'The time plantimestamp() stands for' },
      secret_prefix: { type: 'string', sensitive: true },
      idp_control_url: { type: 'string' },
    });
    module.output = JSON.parse(rewrite(JSON.stringify(json.output ?? {})));
    module.moved = JSON.parse(rewrite(JSON.stringify(json.moved ?? [])));
  } else {
    // Without the passwords, what only they know (key ids, end dates) has no value to read.
    for (const [name, value] of Object.entries(locals))
      if (/\bazuread_application_password\./.test(JSON.stringify(value))) delete locals[name];
  }
  return {
    module,
    tfvars: { client_id: values.clientId, client_secret: values.clientSecret, tenant_id: values.tenantId },
    standIns,
  };
}

export interface TofuResult {
  readonly code: number;
  readonly out: string;
}

/**
 * A project folder laid out like a checkout: `<root>/cdktf.out/stacks/test` is the working
 * directory, so the stack's `../../../<file>` paths land in `<root>`. `uid` runs OpenTofu as
 * that user (setpriv), with the folder given to it.
 */
export function hostWorkspace(options: { uid?: number; env?: Readonly<Record<string, string>> } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'bpsso-host-'));
  const stackDir = path.join(root, 'cdktf.out', 'stacks', 'test');
  mkdirSync(stackDir, { recursive: true });
  // A minimal environment: the unprivileged runs must not depend on root's HOME or settings.
  const env = engineEnv(root, { PATH: process.env.PATH ?? '', HOME: root, ...options.env });
  const uid = options.uid;
  const own = (file: string) => {
    if (uid !== undefined) chownSync(file, uid, uid);
  };
  for (const dir of [
    root,
    path.join(root, 'cdktf.out'),
    path.join(root, 'cdktf.out', 'stacks'),
    stackDir,
    path.join(root, '.terraformrc'),
  ])
    own(dir);
  let standIns: string[] = [];

  const command = (args: string[]): [string, string[]] =>
    uid === undefined
      ? [ENGINE as string, args]
      : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ENGINE as string, ...args]];
  const tofu = (...args: string[]): TofuResult => {
    const [file, argv] = command([...args, '-no-color', '-input=false']);
    try {
      return {
        code: 0,
        out: execFileSync(file, argv, { cwd: stackDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
      };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, out: `${e.stdout}${e.stderr}` };
    }
  };

  /** Writes the module for a synthesized stack and the values Entra would return (and any more variables). */
  const write = (stack: Json | string, values: EntraValues, passwords: PasswordsAs = 'variable', vars: Json = {}) => {
    const built = hostModule(stack, values, passwords);
    standIns = built.standIns;
    for (const [name, content] of [
      ['main.tf.json', built.module],
      ['terraform.tfvars.json', { ...built.tfvars, ...vars }],
    ] as const) {
      writeFileSync(path.join(stackDir, name), JSON.stringify(content));
      own(path.join(stackDir, name));
    }
  };

  /** Stand-ins in the state (by the input they were created with), and their files. */
  const standInsInState = () => {
    const stateFile = path.join(stackDir, 'terraform.tfstate');
    if (!existsSync(stateFile)) return [];
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Json;
    return ((state.resources ?? []) as Json[])
      .filter(
        (resource) =>
          resource.type === 'terraform_data' &&
          resource.instances[0]?.attributes.input?.value?.content_sha1 !== undefined,
      )
      .map((resource) => ({
        name: resource.name as string,
        input: resource.instances[0].attributes.input.value as { filename: string; content_sha1: string },
      }));
  };

  /** The local provider's Read for each stand-in: drop it from state if its file is missing or differs. */
  const localProviderRead = () => {
    for (const { name, input } of standInsInState()) {
      if (!standIns.includes(name)) continue;
      const file = path.resolve(stackDir, input.filename);
      const sha1 = existsSync(file) ? createHash('sha1').update(readFileSync(file)).digest('hex') : undefined;
      if (sha1 !== input.content_sha1) {
        const dropped = tofu('state', 'rm', `terraform_data.${name}`);
        if (dropped.code !== 0) throw new Error(dropped.out);
      }
    }
  };

  /** plan -detailed-exitcode after the local provider's Read: 0 no changes, 2 changes, 1 error. */
  const plan = () => {
    localProviderRead();
    return tofu('plan', '-detailed-exitcode', '-lock=false');
  };
  const apply = () => {
    localProviderRead();
    const orphans = standInsInState().filter(({ name }) => !standIns.includes(name));
    const result = tofu('apply', '-auto-approve', '-lock=false');
    if (result.code === 0)
      for (const { input } of orphans) rmSync(path.resolve(stackDir, input.filename), { force: true });
    return result;
  };
  /**
   * `tofu apply -json` run asynchronously (the test process keeps serving the stand-ins), each
   * event handed to `onEvent` as it arrives; `args` are more arguments (`-var now=...`).
   */
  const applyStreaming = (args: string[], onEvent: (event: Json) => void) => {
    localProviderRead();
    const [file, argv] = command(['apply', '-json', '-auto-approve', '-lock=false', '-input=false', ...args]);
    const child = spawn(file, argv, { cwd: stackDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: Json[] = [];
    let pending = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim() !== '')) {
        const event = JSON.parse(line) as Json;
        events.push(event);
        onEvent(event);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    return new Promise<{ code: number; events: Json[]; errors: string }>((resolve) =>
      child.on('close', (code) => resolve({ code: code ?? 1, events, errors })),
    );
  };
  return { root, stackDir, tofu, write, plan, apply, applyStreaming, init: () => tofu('init') };
}

/**
 * A child process that reads `file` in a loop, as Botpress's watcher would, until `stop()`
 * (or 60 s, so that it always ends by itself). It counts reads that found no file or text that
 * is not JSON.
 *
 * It reads once (then says "ready", so that it has surely seen the file before the apply), idles
 * until the file's folder changes, and from then on reads in a tight loop until told to stop,
 * then once more (so that it has surely seen the final file). The installer creates its temporary
 * file in that folder before it replaces the live one, so the loop covers the replacement; idling
 * until then spared a core that the loop used to spin through the whole apply (up to 1.6 s of CPU
 * per apply with the suite running). A folder that never changed means nothing was sampled:
 * stop() fails.
 */
export function pollingReader(file: string) {
  const stopFile = path.join(mkdtempSync(path.join(tmpdir(), 'bpsso-reader-')), 'stop');
  const script = [
    "const fs = require('fs'), path = require('path');",
    'const [file, stop] = process.argv.slice(1);',
    'const seen = new Set(); let reads = 0, missing = 0, invalid = 0, changed = false; const end = Date.now() + 60000;',
    'const read = () => {',
    "  let text; try { text = fs.readFileSync(file, 'utf8'); } catch (e) { missing++; return; }",
    '  reads++; try { JSON.parse(text); seen.add(text); } catch (e) { invalid++; }',
    '};',
    'const finish = () => {',
    '  read();',
    '  process.stdout.write(JSON.stringify({ reads, missing, invalid, distinct: seen.size, changed }));',
    '  process.exit(0);',
    '};',
    'const folder = fs.watch(path.dirname(file), () => {',
    '  if (changed) return;',
    '  changed = true;',
    '  folder.close();',
    '  while (!fs.existsSync(stop) && Date.now() < end) read();',
    '  finish();',
    '});',
    'fs.watch(path.dirname(stop), () => { if (!changed && fs.existsSync(stop)) finish(); });',
    'setTimeout(finish, 60000);',
    'do read(); while (reads === 0 && !fs.existsSync(stop) && Date.now() < end);',
    "process.stdout.write('ready\\n');",
  ].join('\n');
  const child: ChildProcess = spawn(process.execPath, ['-e', script, file, stopFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
    if (out.startsWith('ready\n')) signalReady();
  });
  // 'close', not 'exit': 'exit' can come before the last of its stdout has been read.
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    /** Resolves once the reader has read the file at least once. */
    ready,
    async stop(): Promise<{ reads: number; missing: number; invalid: number; distinct: number }> {
      writeFileSync(stopFile, '');
      await exited;
      const { changed, ...seen } = JSON.parse(out.replace(/^ready\n/, ''));
      if (!changed) throw new Error(`the folder of ${file} did not change while the reader ran: nothing was sampled`);
      return seen;
    },
  };
}
