/**
 * The rendered data/global/workspaces.json, evaluated by a real OpenTofu in ONE run.
 *
 * The base is a hostile file in Botpress's layout (2-space JSON): template and cdktf sequences,
 * escapes, integer-like keys, numbers a double cannot hold, extra fields. Expected files are
 * worked out here by hand: the strategy name appended to the `authStrategies` of exactly the
 * named workspaces (or taken out), every other byte as it was. Fixed point and removal are
 * checked by synthesizing with the expected text as the base, which the first case proves
 * equal to the engine's output byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TestSsoProps } from './support/stacks';
import { synthStack } from './support/stacks';
import { guardModule, guardWorkspace } from './support/guard-workspace';
import { describeWithEngine, evaluateFiles } from './support/tofu';

const BASE = readFileSync(path.join(__dirname, 'fixtures', 'hostile.workspaces.json'), 'utf8');
const WORKSPACES_PATH = '../../../workspaces.json';
const VALUES = {
  clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  clientSecret: 'not-used-here',
  tenantId: '99999999-8888-4777-a666-555555555555',
};

function replaceOnce(text: string, search: string, replacement: string): string {
  const count = text.split(search).length - 1;
  if (count !== 1) throw new Error(`expected ${JSON.stringify(search)} once, found it ${count} times`);
  return text.replace(search, () => replacement);
}

// The three authStrategies lists of the fixture, as written.
const DEFAULT_LIST = '"authStrategies": [\n      "default"\n    ]\n  },\n  {\n    "2"';
const SALES_LIST = '"authStrategies": [\n      "default",\n      "ldap-corp"\n    ],';
const HR_LIST = '"authStrategies": []';
const withSales = (text: string, name = 'azuread') =>
  replaceOnce(
    text,
    SALES_LIST,
    `"authStrategies": [\n      "default",\n      "ldap-corp",\n      ${JSON.stringify(name)}\n    ],`,
  );
const withHr = (text: string) => replaceOnce(text, HR_LIST, '"authStrategies": [\n      "azuread"\n    ]');
const withDefault = (text: string) =>
  replaceOnce(text, DEFAULT_LIST, '"authStrategies": [\n      "default",\n      "azuread"\n    ]\n  },\n  {\n    "2"');

const SALES = withSales(BASE);
const SALES_AND_HR = withHr(SALES);
const DEFAULT_ONLY = withDefault(BASE);

const ONE_LINE = JSON.stringify([
  { id: 'default', authStrategies: ['default', 'azuread'], label: '${x} %{y} TfToken[TOKEN.1] "q" \\ é' },
  { id: 'sales', authStrategies: ['default'] },
]);

interface Case {
  readonly name: string;
  readonly base: string;
  readonly props: TestSsoProps;
  readonly expected: string;
}

const CASES: Case[] = [
  {
    name: 'adds the strategy to the named workspace, keeping everything else',
    base: BASE,
    props: { workspaces: ['sales'] },
    expected: SALES,
  },
  {
    name: 'adds it to several, an empty list included',
    base: BASE,
    props: { workspaces: ['hr', 'sales'] },
    expected: SALES_AND_HR,
  },
  {
    name: 'changes nothing when rendered onto its own output (fixed point)',
    base: SALES_AND_HR,
    props: { workspaces: ['sales', 'hr'] },
    expected: SALES_AND_HR,
  },
  {
    name: 'moves it when the settings name other workspaces',
    base: SALES_AND_HR,
    props: { workspaces: ['default'] },
    expected: DEFAULT_ONLY,
  },
  {
    name: 'takes it out of every workspace with enabled: false',
    base: SALES_AND_HR,
    props: { workspaces: ['sales', 'hr'], enabled: false },
    expected: BASE,
  },
  { name: 'takes it out with an empty workspaces list', base: SALES, props: { workspaces: [] }, expected: BASE },
  { name: 'keeps a file that lists it unchanged when the setting is absent', base: SALES, props: {}, expected: SALES },
  {
    name: 'uses the strategy name of the settings',
    base: BASE,
    props: { workspaces: ['sales'], strategyName: 'corp-sso' },
    expected: withSales(BASE, 'corp-sso'),
  },
  {
    name: 'keeps the file byte for byte without the workspaces setting, whatever its layout',
    // One line, no final newline, hostile text: not how our writer would lay it out.
    base: ONE_LINE,
    props: {},
    expected: ONE_LINE,
  },
];

describeWithEngine('workspaces.json, evaluated by OpenTofu', () => {
  let results: Array<string | undefined>;
  beforeAll(() => {
    const stacks = CASES.map(
      (c) => synthStack({ workspacesConfig: c.base, workspacesFilePath: WORKSPACES_PATH, ...c.props }).json,
    );
    results = evaluateFiles(stacks.map((stack) => ({ stack, values: VALUES }))).map(
      (evaluated) => evaluated.files[WORKSPACES_PATH],
    );
  });

  it('the base really holds the hostile content', () => {
    for (const hostile of [
      '${workspace}',
      '%{ if true }',
      'TfToken[TOKEN.7]',
      '$${not an escape}',
      '%%{nor this}',
      '\\u0301',
      '123456789012345678901234567890',
      '1.5e+300',
    ]) {
      expect(BASE).toContain(hostile);
    }
    expect(BASE.indexOf('"2"')).toBeLessThan(BASE.indexOf('"1"'));
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const actual = results[i];
    expect(actual).toBeDefined();
    if (actual !== CASES[i].expected) {
      // Name the first difference rather than print two files.
      let at = 0;
      while (actual?.[at] === CASES[i].expected[at]) at++;
      throw new Error(
        `differs at ${at}: ${JSON.stringify(actual?.slice(at - 40, at + 40))} vs ${JSON.stringify(
          CASES[i].expected.slice(at - 40, at + 40),
        )}`,
      );
    }
  });

  it("every expected file is valid JSON with the other workspaces' values unchanged", () => {
    const parsed = JSON.parse(results[0] as string) as Array<Record<string, unknown>>;
    const original = JSON.parse(BASE) as Array<Record<string, unknown>>;
    expect(parsed.map((w) => ({ ...w, authStrategies: undefined }))).toEqual(
      original.map((w) => ({ ...w, authStrategies: undefined })),
    );
  });
});

describeWithEngine('workspaces.json guards under OpenTofu', () => {
  it("refuses destroy (the lost-update check is the installer's: proofs/host-install-engine.test.ts)", () => {
    const { json } = synthStack({ workspaces: ['sales'], workspacesConfig: BASE, workspacesFilePath: WORKSPACES_PATH });
    const { root, tofu, write } = guardWorkspace();
    writeFileSync(path.join(root, 'workspaces.json'), BASE);
    write(guardModule(json, WORKSPACES_PATH, 'workspaces_file'));
    expect(tofu('init').ok).toBe(true);
    expect(tofu('apply', '-auto-approve').out).toContain('Apply complete');
    const destroy = tofu('plan', '-destroy');
    expect(destroy.ok).toBe(false);
    expect(destroy.out).toMatch(/prevent_destroy/);
  });
});
