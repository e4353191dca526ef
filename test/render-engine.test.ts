/**
 * The rendered botpress.config.json (and env file), evaluated by a real OpenTofu.
 *
 * Every case is synthesized with the real stack and its files are evaluated by the engine in ONE
 * run (test/support/tofu.ts). The expected files are worked out by hand in this file from the base
 * config and the documented changes: `authStrategies.<name>` becomes the full oauth2 entry, the name
 * is appended once to `pro.collaboratorsAuthStrategies`, `pro.externalAuth.enabled` becomes true
 * (its algorithms kept, or ["HS256"] added), and nothing else changes. Files are compared byte for
 * byte, so key order, numbers and untouched lines are checked along with the values.
 *
 * Fixed point: each "again" case synthesizes with the EXPECTED text as its base. Since the first
 * case's evaluated text is asserted to equal that text byte for byte, this is the same as rendering
 * onto the engine's own output, without a second engine run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EntraValues } from './support/tofu';
import { describeWithEngine, evaluateFiles } from './support/tofu';
import { largeConfig } from './support/large-config';
import { EXAMPLE_CONFIG, TestSsoProps, synthStack } from './support/stacks';
import { SsoInputError } from '../constructs/input-error';

const CONFIG_PATH = '../../../botpress.config.json';
const ENV_PATH = '../../../bp.env';
const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const MINIMAL_CONFIG = fixture('minimal.botpress.config.json');
const HOSTILE_CONFIG = fixture('hostile.botpress.config.json');

const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DEPLOYER_TENANT = '99999999-8888-4777-a666-555555555555';
const GIVEN_TENANT = '12345678-90ab-4cde-8f01-234567890abc';
const CALLBACK_BASE = 'https://bots.example.com/api/v1/auth/login-callback/oauth2/';
const ENV_VARIABLE = 'BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET';
/** What docs/client-secret.md says clientSecret reads with environment delivery. */
const ENV_PLACEHOLDER = `set by the environment variable ${ENV_VARIABLE}`;

/** Quotes, backslashes, template and cdktf sequences, a newline, a tab, unicode: no <, >, &, U+2028/9. */
const TEXT_SECRET = 'q"\\${x}%{ if }$${y}%%{z}\n\t~é😀=TfToken[TOKEN.1]#{TfToken[TOKEN.2]}-8.109562212591379e+298';
/** Also what Terraform's jsonencode escapes differently from JSON.stringify. */
const NASTY_SECRET = `${TEXT_SECRET}<&>\u2028\u2029\u0000\u001f\u007f'\`\r"`;

/**
 * Terraform's jsonencode of a string (Go's encoding/json): JSON.stringify plus HTML-safe escapes
 * of < > & and escapes of U+2028/U+2029. \b and \f are refused because Go versions differ there.
 */
function tfJsonString(value: string): string {
  if (/[\b\f]/.test(value)) throw new Error('tfJsonString: \\b and \\f are encoded differently by Go versions');
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Terraform normalizes strings to NFC, so the product writes a string that NFC would change with
 * \\u escapes for everything outside ASCII (same value for JSON.parse); every other string as
 * JSON.stringify does.
 */
function nfcSafe(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
    const value = JSON.parse(literal) as string;
    if (value.normalize('NFC') === value) return literal;
    return literal.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  });
}

const SECRET_MARK = '\u0000<the secret>\u0000';
/** 2-space JSON as Botpress writes it, with the secret written the way Terraform's jsonencode writes it. */
function render(doc: unknown, secret?: string): string {
  const text = nfcSafe(`${JSON.stringify(doc, null, 2)}\n`);
  if (secret === undefined) return text;
  const mark = JSON.stringify(SECRET_MARK);
  if (text.split(mark).length !== 2) throw new Error('render: the secret must appear exactly once');
  return text.replace(mark, () => tfJsonString(secret));
}

function replaceOnce(text: string, search: string, replacement: string): string {
  const count = text.split(search).length - 1;
  if (count !== 1) throw new Error(`expected ${JSON.stringify(search)} once in the base, found it ${count} times`);
  return text.replace(search, () => replacement);
}

/** Byte comparison that names the first difference instead of diffing megabytes. */
function expectSameText(actual: string | undefined, expected: string): void {
  if (actual === expected) return;
  if (actual === undefined) throw new Error('the file was not rendered');
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const line = expected.slice(0, i).split('\n').length;
  // Non-ASCII shown as escapes, so that "e\u0301" and "\u00e9" look different.
  const show = (t: string) =>
    JSON.stringify(t.slice(Math.max(0, i - 80), i + 80)).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  throw new Error(
    `texts differ at character ${i} (line ${line}; lengths ${actual.length} vs ${expected.length}):\n` +
      `  actual:   ${show(actual)}\n` +
      `  expected: ${show(expected)}`,
  );
}

interface EntryOptions {
  readonly name?: string;
  readonly authority: string;
  readonly loginHost?: string;
  readonly graphHost?: string;
  readonly label?: string;
  readonly allowSelfSignup?: boolean;
  /** The clientSecret value; the secret's mark by default. */
  readonly clientSecret?: string;
}

/** The strategy entry as docs/file-placement.md documents it (with the `hidden` that Botpress's schema requires). */
function entry(o: EntryOptions) {
  const login = `https://${o.loginHost ?? 'login.microsoftonline.com'}/${o.authority}/oauth2/v2.0`;
  return {
    type: 'oauth2',
    allowSelfSignup: o.allowSelfSignup ?? false,
    hidden: false,
    ...(o.label !== undefined ? { label: o.label } : {}),
    options: {
      authorizationURL: `${login}/authorize`,
      tokenURL: `${login}/token`,
      clientSecret: o.clientSecret ?? SECRET_MARK,
      clientID: CLIENT_ID,
      callbackURL: `${CALLBACK_BASE}${o.name ?? 'azuread'}`,
      scope: 'openid profile email',
      userInfoURL: `https://${o.graphHost ?? 'graph.microsoft.com'}/oidc/userinfo`,
    },
    fieldMapping: { email: 'email' },
  };
}

/**
 * The documented changes applied to a plain object (only for configs without integer-like keys,
 * whose order a plain object keeps). Existing keys keep their place; new ones go last.
 */
function withSso(base: any, name: string, strategy: object) {
  const doc = structuredClone(base);
  doc.authStrategies = { ...(doc.authStrategies ?? {}), [name]: strategy };
  const list: string[] = doc.pro.collaboratorsAuthStrategies ?? ['default'];
  doc.pro.collaboratorsAuthStrategies = list.includes(name) ? list : [...list, name];
  doc.pro.externalAuth = { ...(doc.pro.externalAuth ?? {}), enabled: true };
  doc.pro.externalAuth.algorithms ??= ['HS256'];
  return doc;
}

/** Docker's --env-file: `#` lines and blank lines skipped, value = everything after the first `=`, verbatim. */
function dockerEnvFile(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').replace(/^\s+/, ''); // bufio.ScanLines drops one \r; docker trims the left
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`docker would read ${JSON.stringify(line)} from the host environment`);
    const name = line.slice(0, eq);
    if (/\s/.test(name)) throw new Error(`docker: variable ${JSON.stringify(name)} contains whitespaces`);
    variables.set(name, line.slice(eq + 1));
  }
  return variables;
}

/** Botpress 12's BP_CONFIG_* override: JSON.parse first, the raw text if that fails. */
function botpressOverride(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// --- the cases --------------------------------------------------------------------------------

interface Case {
  readonly props: TestSsoProps;
  readonly secret: string;
  readonly tenantId?: string;
  /** The config file Terraform must write. */
  readonly config: string;
  /** With environment delivery: the secret that Botpress must end up with. */
  readonly envSecret?: string;
  /** Add a case that renders onto `config` and must give `config` again. */
  readonly again?: boolean;
}

const example = JSON.parse(EXAMPLE_CONFIG);
const deployerEntry = entry({ authority: DEPLOYER_TENANT });
const ENV_SECRETS = [
  '123',
  'true',
  'null',
  '"quoted"',
  '-8.109562212591379e+298',
  '[1, 2]',
  '{"a": 1}',
  'line1\nline2',
  'a"b',
  'back\\slash\\',
  '\\"',
  'a=b==c=',
  ' spaced \t',
  '#not-a-comment',
  '${x}%{ if }$${y}',
  'Zq8~AbC.dEf_GhI-jKl0123456789mNoPqRsTuVwXyZ',
  'é😀<&>\u2028\r',
];

/** A previously rendered example, with a real-looking secret in it. */
const RENDERED_EXAMPLE = render(withSso(example, 'azuread', deployerEntry), TEXT_SECRET);

const STALE_BASE = (() => {
  const doc = structuredClone(example);
  doc.authStrategies = {
    default: example.authStrategies.default,
    azuread: {
      type: 'oauth2',
      allowSelfSignup: true,
      hidden: true,
      label: 'Old label',
      options: {
        authorizationURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
        tokenURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
        clientSecret: 'old-secret-that-must-go',
        clientID: 'old-client-id',
        callbackURL: 'https://old.example.com/api/v1/auth/login-callback/oauth2/azuread',
        scope: 'openid',
        jwtToken: { audience: 'old' },
      },
      fieldMapping: { email: 'mail', name: 'displayName' },
      extra: ['stale'],
    },
    saml: {
      type: 'saml',
      allowSelfSignup: false,
      hidden: false,
      options: { entryPoint: 'https://idp.example.com/saml' },
    },
  };
  doc.pro.collaboratorsAuthStrategies = ['default', 'azuread', 'saml'];
  doc.pro.externalAuth = {
    enabled: false,
    audience: 'bots',
    publicKey: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----',
  };
  return doc;
})();

const CASES: Record<string, Case> = {
  example: {
    props: {},
    secret: TEXT_SECRET,
    config: RENDERED_EXAMPLE,
    again: true,
  },
  'example, nasty secret': {
    props: {},
    secret: NASTY_SECRET,
    config: render(withSso(example, 'azuread', deployerEntry), NASTY_SECRET),
    again: true,
  },
  minimal: {
    props: { baseConfig: MINIMAL_CONFIG },
    secret: TEXT_SECRET,
    config: render(
      {
        pro: {
          enabled: true,
          collaboratorsAuthStrategies: ['default', 'azuread'],
          externalAuth: { enabled: true, algorithms: ['HS256'] },
        },
        authStrategies: { azuread: deployerEntry },
      },
      TEXT_SECRET,
    ),
    again: true,
  },
  hostile: {
    props: { baseConfig: HOSTILE_CONFIG },
    secret: NASTY_SECRET,
    config: (() => {
      const strategy = JSON.stringify(deployerEntry, null, 2).replace(/\n/g, '\n    ');
      let text = HOSTILE_CONFIG;
      text = replaceOnce(text, '      "saml-${x}"\n    ],', '      "saml-${x}",\n      "azuread"\n    ],');
      text = replaceOnce(
        text,
        '"externalAuth": {\n      "enabled": false,',
        '"externalAuth": {\n      "enabled": true,',
      );
      text = replaceOnce(
        text,
        '\n    }\n  },\n  "after": {',
        `\n    },\n    "azuread": ${strategy}\n  },\n  "after": {`,
      );
      return text.replace(JSON.stringify(SECRET_MARK), () => tfJsonString(NASTY_SECRET));
    })(),
    again: true,
  },
  'stale entry': {
    props: { baseConfig: render(STALE_BASE), label: 'Sign in with Microsoft', allowSelfSignup: true },
    secret: TEXT_SECRET,
    config: render(
      withSso(
        STALE_BASE,
        'azuread',
        entry({ authority: DEPLOYER_TENANT, label: 'Sign in with Microsoft', allowSelfSignup: true }),
      ),
      TEXT_SECRET,
    ),
    again: true,
  },
  disabled: {
    props: { baseConfig: RENDERED_EXAMPLE, enabled: false },
    secret: TEXT_SECRET,
    config: (() => {
      const doc = withSso(example, 'azuread', deployerEntry);
      delete doc.authStrategies.azuread;
      doc.pro.collaboratorsAuthStrategies = ['default'];
      return render(doc); // externalAuth stays enabled: only the strategy and its name go
    })(),
    again: true,
  },
  'tenant given': {
    props: { tenantId: GIVEN_TENANT },
    secret: TEXT_SECRET,
    config: render(withSso(example, 'azuread', entry({ authority: GIVEN_TENANT })), TEXT_SECRET),
    again: true,
  },
  ...Object.fromEntries(
    (
      [
        ['AzureADMultipleOrgs', 'organizations'],
        ['AzureADandPersonalMicrosoftAccount', 'common'],
        ['PersonalMicrosoftAccount', 'consumers'],
      ] as const
    ).map(([signInAudience, authority]): [string, Case] => [
      `audience ${signInAudience}`,
      {
        props: { signInAudience },
        secret: TEXT_SECRET,
        config: render(withSso(example, 'azuread', entry({ authority })), TEXT_SECRET),
      },
    ]),
  ),
  'cloud usgovernment': {
    props: { cloud: 'usgovernment' },
    secret: TEXT_SECRET,
    config: render(
      withSso(
        example,
        'azuread',
        entry({ authority: DEPLOYER_TENANT, loginHost: 'login.microsoftonline.us', graphHost: 'graph.microsoft.us' }),
      ),
      TEXT_SECRET,
    ),
  },
  'cloud china': {
    props: { cloud: 'china', signInAudience: 'AzureADMultipleOrgs' },
    secret: TEXT_SECRET,
    config: render(
      withSso(
        example,
        'azuread',
        entry({
          authority: 'organizations',
          loginHost: 'login.chinacloudapi.cn',
          graphHost: 'microsoftgraph.chinacloudapi.cn',
        }),
      ),
      TEXT_SECRET,
    ),
  },
  'strategy name and label': {
    props: { strategyName: 'entra-id_2', label: 'Entra ${tenant} <SSO> & "more"', allowSelfSignup: true },
    secret: TEXT_SECRET,
    config: render(
      withSso(
        example,
        'entra-id_2',
        entry({
          name: 'entra-id_2',
          authority: DEPLOYER_TENANT,
          label: 'Entra ${tenant} <SSO> & "more"',
          allowSelfSignup: true,
        }),
      ),
      TEXT_SECRET,
    ),
    again: true,
  },
  'environment, mixed-case name': {
    props: { strategyName: 'Entra_SSO', secretDelivery: { kind: 'environment', envFilePath: ENV_PATH } },
    secret: 'Zq8~mixed.case_name',
    envSecret: 'Zq8~mixed.case_name',
    config: render(
      withSso(
        example,
        'Entra_SSO',
        entry({
          name: 'Entra_SSO',
          authority: DEPLOYER_TENANT,
          clientSecret: 'set by the environment variable BP_CONFIG_AUTHSTRATEGIES_ENTRA_SSO_OPTIONS_CLIENTSECRET',
        }),
      ),
    ),
  },
  big: {
    props: { baseConfig: largeConfig(EXAMPLE_CONFIG, 1_100_000) },
    secret: TEXT_SECRET,
    config: '', // filled below (the base is only generated once)
  },
};
(CASES.big as { config: string }).config = render(
  withSso(JSON.parse(CASES.big.props.baseConfig as string), 'azuread', deployerEntry),
  TEXT_SECRET,
);
ENV_SECRETS.forEach((secret, i) => {
  CASES[`environment ${i}: ${JSON.stringify(secret)}`] = {
    props: { secretDelivery: { kind: 'environment', envFilePath: ENV_PATH } },
    secret,
    envSecret: secret,
    config: render(withSso(example, 'azuread', entry({ authority: DEPLOYER_TENANT, clientSecret: ENV_PLACEHOLDER }))),
    again: i === 0,
  };
});
for (const [name, c] of Object.entries(CASES)) {
  if (c.again) CASES[`${name}, rendered again`] = { ...c, props: { ...c.props, baseConfig: c.config }, again: false };
}

/**
 * Cases that show product bugs (see the KNOWN PRODUCT BUGS block below). They ride in the same
 * engine run; a case whose synthesis throws records the error instead.
 */
const MINIMAL_PRO = { enabled: true, licenseKey: 'k', collaboratorsAuthStrategies: ['default'] };
const BUG_CASES: Record<string, Case> = {
  'unbalanced ${ in the label': {
    props: { label: 'Sign in ${' },
    secret: TEXT_SECRET,
    config: render(
      withSso(example, 'azuread', entry({ authority: DEPLOYER_TENANT, label: 'Sign in ${' })),
      TEXT_SECRET,
    ),
  },
  'unbalanced ${ in a value right before authStrategies': {
    props: { baseConfig: render({ pro: MINIMAL_PRO, motd: 'Prices in ${', authStrategies: {} }) },
    secret: TEXT_SECRET,
    config: render(
      withSso({ pro: MINIMAL_PRO, motd: 'Prices in ${', authStrategies: {} }, 'azuread', deployerEntry),
      TEXT_SECRET,
    ),
  },
  'canonically equivalent keys (NFC)': {
    props: {
      baseConfig: render({
        pro: MINIMAL_PRO,
        labels: { 'e\u0301': 'decomposed', '\u00e9': 'precomposed' },
        cafe: 'Cafe\u0301',
      }),
    },
    secret: TEXT_SECRET,
    config: render(
      withSso(
        { pro: MINIMAL_PRO, labels: { 'e\u0301': 'decomposed', '\u00e9': 'precomposed' }, cafe: 'Cafe\u0301' },
        'azuread',
        deployerEntry,
      ),
      TEXT_SECRET,
    ),
  },
  'a number token uncovered by the escaping': {
    props: { baseConfig: render({ pro: MINIMAL_PRO, big: `1${'0'.repeat(300)}e-8.10956221259138e+298` }) },
    secret: TEXT_SECRET,
    config: render(
      withSso({ pro: MINIMAL_PRO, big: `1${'0'.repeat(300)}e-8.10956221259138e+298` }, 'azuread', deployerEntry),
      TEXT_SECRET,
    ),
  },
};

// --- the tests --------------------------------------------------------------------------------

/** Synthesizes every case and evaluates them all in ONE engine run (once per file). */
const evaluated = (() => {
  let result:
    | {
        stacks: Record<string, Record<string, any>>;
        files: Record<string, Record<string, string>>;
        errors: Record<string, unknown>;
      }
    | undefined;
  return () => {
    if (result) return result;
    const all = { ...CASES, ...BUG_CASES };
    const stacks: Record<string, Record<string, any>> = {};
    const errors: Record<string, unknown> = {};
    const batch: Array<{ name: string; stack: Record<string, any>; values: EntraValues }> = [];
    // Cases that differ only in what Entra returns (the env-secret cases) share one synthesis.
    const synthesized = new Map<string, string>();
    for (const [name, c] of Object.entries(all)) {
      const props = JSON.stringify(c.props, (_key, value: unknown) =>
        value === undefined ? '\u0000undefined' : value,
      );
      try {
        const text = synthesized.get(props) ?? synthStack(c.props).text;
        synthesized.set(props, text);
        stacks[name] = JSON.parse(text);
      } catch (error) {
        if (!(name in BUG_CASES)) throw error;
        errors[name] = error;
        continue;
      }
      batch.push({
        name,
        stack: stacks[name],
        values: { clientId: CLIENT_ID, clientSecret: c.secret, tenantId: c.tenantId ?? DEPLOYER_TENANT },
      });
    }
    const files: Record<string, Record<string, string>> = {};
    evaluateFiles(batch).forEach((r, i) => (files[batch[i].name] = r.files));
    result = { stacks, files, errors };
    return result;
  };
})();

describeWithEngine('the rendered files, evaluated by OpenTofu', () => {
  const names = Object.keys(CASES);
  let stacks: Record<string, Record<string, any>> = {};
  let files: Record<string, Record<string, string>> = {};

  beforeAll(() => {
    ({ stacks, files } = evaluated());
  });

  it.each(names)('%s: the config file is exactly the expected document', (name) => {
    expectSameText(files[name][CONFIG_PATH], CASES[name].config);
  });

  it.each(names.filter((name) => CASES[name].envSecret === undefined && !/^disabled/.test(name)))(
    '%s: the secret arrives exactly in clientSecret',
    (name) => {
      const config = JSON.parse(files[name][CONFIG_PATH]);
      const strategy = (CASES[name].props.strategyName as string | undefined) ?? 'azuread';
      expect(config.authStrategies[strategy].options.clientSecret).toBe(CASES[name].secret);
      expect(config.authStrategies[strategy].options.clientID).toBe(CLIENT_ID);
    },
  );

  it('keeps every value of the example and changes only the documented keys (parsed)', () => {
    const base = JSON.parse(EXAMPLE_CONFIG);
    const config = JSON.parse(files.example[CONFIG_PATH]);
    const { authStrategies, pro, ...rest } = config;
    const { authStrategies: baseStrategies, pro: basePro, ...baseRest } = base;
    expect(rest).toEqual(baseRest);
    expect(Object.keys(config)).toEqual(Object.keys(base));
    expect(authStrategies.default).toEqual(baseStrategies.default);
    expect(Object.keys(authStrategies)).toEqual(['default', 'azuread']);
    expect(authStrategies.azuread).toEqual({
      ...deployerEntry,
      options: { ...deployerEntry.options, clientSecret: TEXT_SECRET },
    });
    expect(pro).toEqual({
      ...basePro,
      collaboratorsAuthStrategies: ['default', 'azuread'],
      externalAuth: { enabled: true, algorithms: ['HS256', 'HS384', 'HS512'] },
    });
  });

  it("keeps the example's text: the file is the base with exactly the documented edits", () => {
    const strategy = JSON.stringify(deployerEntry, null, 2).replace(/\n/g, '\n    ');
    let text = EXAMPLE_CONFIG;
    text = replaceOnce(
      text,
      '"collaboratorsAuthStrategies": [\n      "default"\n    ]',
      '"collaboratorsAuthStrategies": [\n      "default",\n      "azuread"\n    ]',
    );
    text = replaceOnce(text, '"externalAuth": {\n      "enabled": false,', '"externalAuth": {\n      "enabled": true,');
    text = replaceOnce(
      text,
      '"maxLoginAttempt": 0\n      }\n    }\n  },',
      `"maxLoginAttempt": 0\n      }\n    },\n    "azuread": ${strategy}\n  },`,
    );
    expectSameText(
      files.example[CONFIG_PATH],
      text.replace(JSON.stringify(SECRET_MARK), () => tfJsonString(TEXT_SECRET)),
    );
  });

  it('keeps the hostile config: order of integer-like keys, exact numbers, escaped sequences (raw text)', () => {
    const text = files.hostile[CONFIG_PATH];
    const order = [
      '"$schema"',
      '"b": "plain',
      '"10": "ten',
      '"2": "two',
      '"templates"',
      '"numbers"',
      '"text"',
      '"pro"',
      '"authStrategies"',
      '"after"',
    ];
    const positions = order.map((fragment) => text.indexOf(fragment));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const fragment of [
      '"tokenLike": -1.8881545897087626e+289,',
      '"realTokenLike": -8.109562212591379e+298,',
      '"big": 12345678901234567890,',
      '"trailingZero": 1.50,',
      '"hugeExponent": 1E+400,',
      '"negativeZero": -0,',
      '      1.50,\n      12345678901234567890,\n      -0.0,\n      0\n',
      '"interpolation": "${x}",',
      '"escapedInterpolation": "$${x}",',
      '"escapedDirective": "%%{ if }",',
      '"tripleDollar": "$$${x} and %%%{y}",',
      '"stringToken": "${TfToken[TOKEN.1]}",',
      '"listToken": "#{TfToken[TOKEN.1]}",',
      '"mapToken": "&{TfToken[TOKEN.1]}",',
      '"numberTokenString": "-1.8881545897087626e+289",',
      '"realNumberTokenString": "-8.109562212591379e+298",',
      '"${TfToken[TOKEN.1]}": "key with a string token",',
      '"-1.8881545897087626e+289": "number-token-like key"',
      '"controls": "\\u0000\\u0001\\b\\f\\u001f\u007f",',
      '"separators": "a\u2028b\u2029c",',
      '"loneSurrogate": "\\ud800 and \\udfff",',
      '"after": {\n    "10": 1,\n    "2": 2,\n    "a": 3\n  }\n}\n',
    ]) {
      expect(text).toContain(fragment);
    }
  });

  it("keeps the hostile config's values (parsed) apart from the documented changes", () => {
    const base = JSON.parse(HOSTILE_CONFIG);
    const expected = withSso(base, 'azuread', {
      ...deployerEntry,
      options: { ...deployerEntry.options, clientSecret: NASTY_SECRET },
    });
    expect(JSON.parse(files.hostile[CONFIG_PATH])).toEqual(expected);
    expect(expected.pro.externalAuth.algorithms).toEqual(['RS256', 'HS256']);
  });

  it('replaces a stale oauth2 entry of the same name in place and lists the name once', () => {
    const config = JSON.parse(files['stale entry'][CONFIG_PATH]);
    expect(Object.keys(config.authStrategies)).toEqual(['default', 'azuread', 'saml']);
    expect(config.authStrategies.azuread.options).not.toHaveProperty('jwtToken');
    expect(config.authStrategies.azuread).not.toHaveProperty('extra');
    expect(config.authStrategies.azuread.fieldMapping).toEqual({ email: 'email' });
    expect(config.pro.collaboratorsAuthStrategies).toEqual(['default', 'azuread', 'saml']);
    expect(config.pro.externalAuth).toEqual({ ...STALE_BASE.pro.externalAuth, enabled: true, algorithms: ['HS256'] });
    expect(files['stale entry'][CONFIG_PATH]).not.toContain('old-secret-that-must-go');
  });

  it('never touches the default (basic) strategy', () => {
    const block = JSON.stringify({ default: example.authStrategies.default }, null, 2).slice(2, -2);
    for (const name of names.filter((n) => !/^(minimal|hostile)/.test(n))) {
      expect(files[name][CONFIG_PATH]).toContain(block.replace(/\n/g, '\n  '));
    }
    expect(JSON.parse(files.hostile[CONFIG_PATH]).authStrategies.default).toEqual(
      JSON.parse(HOSTILE_CONFIG).authStrategies.default,
    );
  });

  it('removes the entry and its name with enabled: false, keeps the rest, and writes no secret', () => {
    const text = files.disabled[CONFIG_PATH];
    const config = JSON.parse(text);
    expect(config.authStrategies).toEqual({ default: example.authStrategies.default });
    expect(config.pro.collaboratorsAuthStrategies).toEqual(['default']);
    expect(config.pro.externalAuth.enabled).toBe(true);
    expect(text).not.toContain(JSON.stringify(TEXT_SECRET).slice(1, -1));
    expect(stacks.disabled.resource.azuread_application_password).toBeUndefined();
  });

  it("uses the given tenant, or asks azuread_client_config for the deployer's", () => {
    expect(stacks['tenant given'].data?.azuread_client_config).toBeUndefined();
    expect(stacks.example.data.azuread_client_config).toBeDefined();
    const given = JSON.parse(files['tenant given'][CONFIG_PATH]).authStrategies.azuread.options;
    const deployer = JSON.parse(files.example[CONFIG_PATH]).authStrategies.azuread.options;
    expect(given.authorizationURL).toBe(`https://login.microsoftonline.com/${GIVEN_TENANT}/oauth2/v2.0/authorize`);
    expect(deployer.authorizationURL).toBe(
      `https://login.microsoftonline.com/${DEPLOYER_TENANT}/oauth2/v2.0/authorize`,
    );
    expect(deployer.tokenURL).toBe(`https://login.microsoftonline.com/${DEPLOYER_TENANT}/oauth2/v2.0/token`);
  });

  it.each([
    [
      'audience AzureADMultipleOrgs',
      'https://login.microsoftonline.com/organizations/oauth2/v2.0',
      'https://graph.microsoft.com',
    ],
    [
      'audience AzureADandPersonalMicrosoftAccount',
      'https://login.microsoftonline.com/common/oauth2/v2.0',
      'https://graph.microsoft.com',
    ],
    [
      'audience PersonalMicrosoftAccount',
      'https://login.microsoftonline.com/consumers/oauth2/v2.0',
      'https://graph.microsoft.com',
    ],
    [
      'cloud usgovernment',
      `https://login.microsoftonline.us/${DEPLOYER_TENANT}/oauth2/v2.0`,
      'https://graph.microsoft.us',
    ],
    [
      'cloud china',
      'https://login.chinacloudapi.cn/organizations/oauth2/v2.0',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  ])('%s: authority and hosts', (name, authority, graph) => {
    const options = JSON.parse(files[name][CONFIG_PATH]).authStrategies.azuread.options;
    expect(options.authorizationURL).toBe(`${authority}/authorize`);
    expect(options.tokenURL).toBe(`${authority}/token`);
    expect(options.userInfoURL).toBe(`${graph}/oidc/userinfo`);
  });

  const envCases = names.filter((name) => CASES[name].envSecret !== undefined);

  it.each(envCases)('%s: Docker --env-file and Botpress hand over the exact secret', (name) => {
    const c = CASES[name];
    const variable = `BP_CONFIG_AUTHSTRATEGIES_${(
      (c.props.strategyName as string | undefined) ?? 'azuread'
    ).toUpperCase()}_OPTIONS_CLIENTSECRET`;
    const envFile = files[name][ENV_PATH];
    expect(envFile).toBeDefined();
    const variables = dockerEnvFile(envFile);
    expect([...variables.keys()]).toEqual([variable]);
    const value = botpressOverride(variables.get(variable) as string);
    expect(typeof value).toBe('string');
    expect(value).toBe(c.envSecret);
    // Botpress applies the override only to a path that exists in the file.
    const config = JSON.parse(files[name][CONFIG_PATH]);
    const strategy = (c.props.strategyName as string | undefined) ?? 'azuread';
    expect(config.authStrategies[strategy].options.clientSecret).toBe(`set by the environment variable ${variable}`);
  });

  it.each(envCases)('%s: the config file holds no secret', (name) => {
    const text = files[name][CONFIG_PATH];
    const secret = CASES[name].envSecret as string;
    const config = JSON.parse(text);
    const strategy = (CASES[name].props.strategyName as string | undefined) ?? 'azuread';
    expect(config.authStrategies[strategy].options.clientSecret).not.toBe(secret);
    if (secret.length >= 8) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
      expect(text).not.toContain(tfJsonString(secret).slice(1, -1));
    }
  });

  it('writes the env file only with environment delivery', () => {
    for (const name of names) {
      expect(Object.keys(files[name]).sort()).toEqual(
        CASES[name].envSecret === undefined ? [CONFIG_PATH] : [ENV_PATH, CONFIG_PATH].sort(),
      );
    }
  });

  it('renders a config of over a megabyte, some 270 template chunks (the generator really makes one)', () => {
    const base = CASES.big.props.baseConfig as string;
    expect(base.length).toBeGreaterThan(1_000_000);
    expect(base.split('\n').length).toBeGreaterThan(1_000);
    expect(JSON.parse(files.big[CONFIG_PATH]).authStrategies.azuread.options.clientSecret).toBe(TEXT_SECRET);
  });
});

describe('secrets never reach cdk.tf.json or an input error', () => {
  /** Shaped like the secrets Entra issues. */
  const SECRET = 'Zq8~Pr3v10us.Rend3red_Secr3t-Value0123';
  const CORE = 'Rend3red_Secr3t';
  /** Any 8 characters of the secret in a row count as a leak. */
  const leaks = (text: string) =>
    Array.from({ length: SECRET.length - 7 }, (_, i) => SECRET.slice(i, i + 8)).some((piece) => text.includes(piece));
  const previous = (() => {
    const doc = withSso(example, 'azuread', entry({ authority: DEPLOYER_TENANT, clientSecret: SECRET }));
    const options = doc.authStrategies.azuread.options;
    options.jwtToken = { secret: SECRET };
    options.previousClientSecret = SECRET;
    doc.authStrategies.azuread.label = `rotated from ${SECRET}`;
    return render(doc);
  })();

  it("the base really holds the secret, and the check sees it where it is kept (another strategy's entry)", () => {
    expect(previous.split(CORE)).toHaveLength(5);
    expect(synthStack({ baseConfig: previous, strategyName: 'entra' }).text).toContain(CORE);
    expect(leaks(`... ${SECRET.slice(20, 28)} ...`)).toBe(true);
  });

  it.each<[string, TestSsoProps]>([
    ['config-file delivery', {}],
    ['environment delivery', { secretDelivery: { kind: 'environment', envFilePath: ENV_PATH } }],
    ['SSO disabled', { enabled: false }],
    ['known tenant and endpoints', { tenantId: GIVEN_TENANT, label: 'Microsoft' }],
    ['multi-tenant, self sign-up', { signInAudience: 'AzureADMultipleOrgs', allowSelfSignup: true }],
  ])('%s: the synthesized cdk.tf.json holds no trace of the previous secret', (_, props) => {
    const { text } = synthStack({ baseConfig: previous, ...props });
    expect(leaks(text)).toBe(false);
  });

  const messageOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return `${(error as Error).message}\n${(error as Error).stack ?? ''}`;
    }
    throw new Error('expected an input error');
  };

  it.each<[string, string, TestSsoProps]>([
    ['a basic strategy of the same name', previous.replace('"type": "oauth2"', '"type": "basic"'), {}],
    ['a misspelled type', previous.replace('"type": "oauth2"', '"type": "OAuth2"'), {}],
    [
      'a missing comma after the secret',
      previous.replace(`"clientSecret": "${SECRET}",`, `"clientSecret": "${SECRET}"`),
      {},
    ],
    ['a file cut right after the secret', previous.slice(0, previous.indexOf(SECRET) + SECRET.length + 1), {}],
    ['a file cut inside the secret', previous.slice(0, previous.indexOf(SECRET) + SECRET.length - 3), {}],
    ['an unquoted secret', previous.replace(`"clientSecret": "${SECRET}"`, `"clientSecret": ${SECRET}`), {}],
    ['a line break inside the secret', previous.replace(SECRET, `${SECRET.slice(0, 5)}\n${SECRET.slice(5)}`), {}],
    ['a bad escape inside the secret', previous.replace(SECRET, `${SECRET.slice(0, 5)}\\x${SECRET.slice(5)}`), {}],
    [
      'a duplicate key next to the secret',
      previous.replace(`"clientSecret": "${SECRET}",`, `"clientSecret": "${SECRET}",\n"clientSecret": "${SECRET}",`),
      {},
    ],
    [
      'the default strategy taken as the name',
      previous.replace('"maxLoginAttempt": 0', `"maxLoginAttempt": 0, "secret": "${SECRET}"`),
      { strategyName: 'default' },
    ],
  ])('an input error for %s does not repeat the secret', (_, baseConfig, props) => {
    expect(baseConfig).toContain(CORE);
    const message = messageOf(() => synthStack({ baseConfig, ...props }));
    expect(leaks(message)).toBe(false);
  });
});

/**
 * Regressions: each of these once failed against the product (unbalanced `${`, NFC, secrets in
 * schema errors, "internal" errors for bad externalAuth, an uncovered number token).
 */
describe('regressions: input errors', () => {
  const SECRET = 'Zq8~Pr3v10us.Rend3red_Secr3t-Value0123';
  const strategy = { type: 'oauth2', options: { clientSecret: SECRET } };
  it.each<[string, object]>([
    ['authStrategies written as a list', { pro: MINIMAL_PRO, authStrategies: [{ azuread: strategy }] }],
    ['the secret pasted as the strategy', { pro: MINIMAL_PRO, authStrategies: { azuread: SECRET } }],
  ])('BUG: a schema error for %s repeats the secret in its message', (_, doc) => {
    let message = '';
    try {
      synthStack({ baseConfig: render(doc) });
    } catch (error) {
      expect(error).toBeInstanceOf(SsoInputError);
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('Rend3red_Secr3t');
  });

  it.each<[string, object]>([
    ['an empty algorithms list', { enabled: false, algorithms: [] }],
    ['a non-string audience', { enabled: false, algorithms: ['HS256'], audience: 5 }],
  ])(
    'BUG: pro.externalAuth with %s is answered with an "internal" error instead of an input error or a fix',
    (_, externalAuth) => {
      let error: unknown;
      try {
        synthStack({ baseConfig: render({ pro: { ...MINIMAL_PRO, externalAuth } }) });
      } catch (e) {
        error = e;
      }
      if (error !== undefined)
        expect(`${(error as Error).name}: ${(error as Error).message}`).toMatch(/^SsoInputError: /);
    },
  );
});

describeWithEngine('regressions: rendering', () => {
  let files: Record<string, Record<string, string>> = {};
  let errors: Record<string, unknown> = {};
  beforeAll(() => {
    ({ files, errors } = evaluated());
  });

  /** Either a clear input error at synthesis, or the exact expected file. */
  const check = (name: string) => {
    if (name in errors) {
      const error = errors[name] as Error;
      expect(`${error.name}: ${error.message}`).toMatch(/^SsoInputError: /);
      return;
    }
    expectSameText(files[name][CONFIG_PATH], BUG_CASES[name].config);
  };

  it('BUG: an unbalanced "${" in the label makes cdktf drop the ${ } around every value after it (the file is not JSON)', () => {
    check('unbalanced ${ in the label');
  });

  it('BUG: an unbalanced "${" in the last value before a new authStrategies does the same', () => {
    check('unbalanced ${ in a value right before authStrategies');
  });

  it('BUG: Terraform normalizes text to NFC: "e\\u0301" and "\\u00e9" keys come out as duplicate keys, "Cafe\\u0301" changes', () => {
    check('canonically equivalent keys (NFC)');
  });

  it('BUG: escaping the first exponent of "1000…0e-8.10956221259138e+298" uncovers a cdktf number token (synthesis crashes)', () => {
    check('a number token uncovered by the escaping');
  });
});
