/**
 * The documentation cannot drift from the code. Every fenced block of README.md and docs/**.md
 * (docs/reference/ is generated and checked by `npm run lint`) is checked as what its info string
 * says it is; a block of a kind this table does not know fails, naming its file and line, so that
 * nothing goes unchecked by accident (docs/development.md, "The documentation test", has the table):
 *
 * | info string | checked by |
 * |---|---|
 * | `sh` | every `npm run <name>` names a script of package.json; every `npx cdktf <command>` is a cdktf command |
 * | `sh offline` | as `sh`, then run as written by bash (-euo pipefail) in a sandbox copy of the project; must exit 0 |
 * | `ts file=<path>` | is exactly that file from its first `import` line |
 * | `json settings` | a whole settings file, valid against schemas/settings.schema.json |
 * | `json environment` | `"<name>": {…}` members of `environments`, valid against the settings schema |
 * | `json environment-part` | members of one environment (`"access": {…}, …`), valid once completed with botpressUrl and configFile |
 * | `json strategy` | one `"<name>": {…}` member of authStrategies, valid against schemas/auth-strategy.schema.json |
 * | `json members` | parses as the members of a JSON object (placeholders such as `<Object ID>` sit in strings) |
 * | `yaml` | parses as YAML |
 * | `text output=npm-start` | what `npm start` prints for botpress-sso.json, the checkout's path and owner shown generically |
 * | `text` | an illustration (a file's content, a message); not checked |
 *
 * Links: every relative link of README.md and docs/ points at a file that exists and, with an
 * anchor into a Markdown file, at one of its headings. A page that shows `cdktf deploy` links the
 * README's paragraph on where Terraform or OpenTofu comes from.
 *
 * Cost: the offline blocks and `npm start`'s output share one sandbox and one run of the compiled
 * app (about 0.6 s of CPU); the validators are the precompiled ones the app uses, not ajv.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateAuthStrategy, validateSettings } from '../constructs/generated/validators';
import type { CompiledValidator } from '../constructs/generated/validators';
import { describeNeeding } from './support/requirements';

const ROOT = path.join(__dirname, '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SCRIPTS = Object.keys(PACKAGE.scripts);
const CDKTF_COMMANDS = ['synth', 'diff', 'deploy', 'destroy', 'output', 'get', 'list'];
/** The README's paragraph on Terraform or OpenTofu binaries. */
const BINARY_ANCHOR = 'terraform-or-opentofu';

const PAGES = [
  'README.md',
  ...(readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.posix.join('docs', f.split(path.sep).join('/')))
    .sort(),
];
const GENERATED = (page: string) => page.startsWith('docs/reference/');
/**
 * Pages written on another branch that this one already links. Listed here, a link to it counts
 * as present; once the page exists the entry must go (a test below fails until it does), so the
 * list cannot hide a broken link for long.
 */
const ARRIVING: string[] = [];
const text = (page: string) => readFileSync(path.join(ROOT, page), 'utf8');

interface Block {
  readonly page: string;
  readonly line: number;
  readonly lang: string;
  readonly attributes: Readonly<Record<string, string | true>>;
  readonly text: string;
}

/** The fenced blocks of a Markdown text, their indentation (list items) removed. */
function blocksOf(page: string, source: string): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const close = new RegExp(`^ *${fence[0]}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]); j++)
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    if (j === lines.length) throw new Error(`${page}:${i + 1}: a fence that is never closed`);
    const [lang = '', ...words] = info.trim().split(/\s+/).filter(Boolean);
    const attributes = Object.fromEntries(
      words.map((w) => (w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, true])),
    );
    blocks.push({ page, line: i + 1, lang, attributes, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

const BLOCKS = PAGES.filter((p) => !GENERATED(p)).flatMap((p) => blocksOf(p, text(p)));
const at = (b: Block) => `${b.page}:${b.line}`;
/** The kind a block claims: its language and its bare words (`sh offline`); `key=value` words are arguments. */
const kind = (b: Block) => [b.lang, ...Object.keys(b.attributes).filter((k) => b.attributes[k] === true)].join(' ');

/** The commands of a shell block: continuation lines joined, comments dropped. */
function commandsOf(source: string): string[] {
  return source
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

function checkShell(b: Block): void {
  const named = commandsOf(b.text).flatMap((command) => [
    ...[...command.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => ({
      npmScript: m[1],
      known: SCRIPTS.includes(m[1]),
    })),
    ...[...command.matchAll(/npx cdktf ([\w-]+)/g)].map((m) => ({ cdktf: m[1], known: CDKTF_COMMANDS.includes(m[1]) })),
  ]);
  expect({ at: at(b), unknown: named.filter((n) => !n.known) }).toEqual({ at: at(b), unknown: [] });
}

/** Validates with a compiled validator (as app/settings.ts does), naming the block in a failure. */
function expectValid(b: Block, validate: CompiledValidator, data: unknown): void {
  const valid = validate(data);
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  expect({ at: at(b), errors }).toEqual({ at: at(b), errors: [] });
}

const members = (b: Block): Record<string, unknown> => JSON.parse(`{${b.text}}`);
const ENVIRONMENT = { botpressUrl: 'https://bots.example.com', configFile: 'botpress.config.json' };

const CHECKS: Readonly<Record<string, (b: Block) => void>> = {
  sh: checkShell,
  'sh offline': checkShell, // and run, below
  ts: (b) => {
    const file = b.attributes.file;
    if (typeof file !== 'string') throw new Error(`${at(b)}: a ts block names its file (ts file=<path>)`);
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    expect({ at: at(b), text: `${b.text}\n` }).toEqual({ at: at(b), text: source.slice(source.search(/^import /m)) });
  },
  'json settings': (b) => expectValid(b, validateSettings, JSON.parse(b.text)),
  'json environment': (b) => expectValid(b, validateSettings, { environments: members(b) }),
  'json environment-part': (b) =>
    expectValid(b, validateSettings, { environments: { docs: { ...ENVIRONMENT, ...members(b) } } }),
  'json strategy': (b) => {
    const entries = Object.values(members(b));
    expect({ at: at(b), entries: entries.length }).toEqual({ at: at(b), entries: 1 });
    expectValid(b, validateAuthStrategy, entries[0]);
  },
  'json members': (b) => expect(typeof members(b)).toBe('object'),
  yaml: (b) => expect(parseYaml(b.text)).toBeDefined(),
  text: () => undefined,
};

describe('the fenced blocks of README.md and docs/', () => {
  it('are all of a kind this test checks', () => {
    const unknown = BLOCKS.filter((b) => !(kind(b) in CHECKS)).map((b) => `${at(b)}: \`\`\`${b.lang} ${kind(b)}`);
    expect(unknown).toEqual([]);
  });

  it.each(
    BLOCKS.filter((b) => kind(b) in CHECKS && b.lang !== 'text').map((b) => [`${at(b)} (${kind(b)})`, b] as const),
  )('%s', (_name, b) => CHECKS[kind(b)](b));
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchorsOf(source: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const prose = source.replace(/^ *(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ *\1\s*$/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = heading
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The relative link targets of a page's prose (fenced blocks and code spans left out). */
function linksOf(source: string): string[] {
  const prose = source.replace(/^ *(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ *\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('the links of README.md and docs/', () => {
  it.each(PAGES)('%s: every relative link points at a file and heading that exist', (page) => {
    const broken = linksOf(text(page)).filter((target) => {
      const [file, anchor] = target.split('#');
      const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      if (ARRIVING.includes(resolved) && anchor === undefined) return false;
      if (resolved.startsWith('../') || !existsSync(path.join(ROOT, resolved))) return true;
      return anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(text(resolved)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('link pages still to come only while they do not exist', () => {
    expect(ARRIVING.filter((page) => existsSync(path.join(ROOT, page)))).toEqual([]);
  });

  it.each(PAGES.filter((p) => !GENERATED(p) && /cdktf deploy/.test(text(p))))(
    '%s shows cdktf deploy and links where Terraform or OpenTofu comes from',
    (page) => {
      const target = page === 'README.md' ? `#${BINARY_ANCHOR}` : `README.md#${BINARY_ANCHOR}`;
      expect(linksOf(text(page)).some((link) => link.endsWith(target))).toBe(true);
    },
  );
});

const APP_BUILT = {
  met: existsSync(path.join(ROOT, 'dist', 'main.js')),
  missing: 'dist/main.js: run npm run build (npm ci does it)',
};

describeNeeding([APP_BUILT], 'documented commands, run offline', () => {
  const offline = BLOCKS.filter((b) => kind(b) === 'sh offline');
  const npmStart = BLOCKS.filter((b) => b.attributes.output === 'npm-start');
  let sandbox: string;
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', BOTPRESS_SSO_SETTINGS: undefined };

  beforeAll(() => {
    // What a fresh checkout holds for these commands; the built app and the dependencies linked.
    sandbox = mkdtempSync(path.join(tmpdir(), 'bpsso-docs-'));
    for (const entry of ['botpress-sso.json', 'examples', 'package.json', 'cdktf.json'])
      cpSync(path.join(ROOT, entry), path.join(sandbox, entry), { recursive: true });
    for (const linked of ['dist', 'node_modules']) symlinkSync(path.join(ROOT, linked), path.join(sandbox, linked));
  });
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it('there is something to run', () => {
    expect(offline.length + npmStart.length).toBeGreaterThan(0);
  });

  it.each(offline.map((b) => [at(b), b] as const))('%s runs as written', (_name, b) => {
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', b.text], {
      cwd: sandbox,
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
    // stderr is shown on failure only: a user's own setup may warn there (TF_CLI_CONFIG_FILE, say).
    expect({ at: at(b), status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({
      at: at(b),
      status: 0,
      stderr: '',
    });
  });

  it.each(npmStart.map((b) => [at(b), b] as const))('%s is what npm start prints', (_name, b) => {
    // npm start is its prestart build, then this; the suite's dist/ is that build.
    expect(PACKAGE.scripts.start).toBe('node dist/main.js');
    const run = spawnSync(process.execPath, ['dist/main.js'], { cwd: sandbox, encoding: 'utf8', env, timeout: 30_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const shown = run.stdout
      .split(sandbox)
      .join('/…')
      .replace(/owner \d+:\d+ \([^)]*\)/g, 'owner 1000:1000 (you:you)');
    expect(shown.trim()).toBe(b.text.trim());
  });
});
