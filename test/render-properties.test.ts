/**
 * Property-based tests of the rendering, with fixed seeds so that every run checks the same cases.
 *
 * Documents are generated in an ordered model of this file's own (objects as entry lists, numbers
 * as source text), so that integer-like keys, key order and digits that a double cannot hold are
 * all exercised, and the expected document is worked out by this file's own oracle: the documented
 * changes, applied to the ordered model, written as 2-space JSON by this file's own serializer.
 */
import fc from 'fast-check';
import { HIDDEN_CHARACTERS } from '../constructs/input-error';
import { mergeBotpressConfig, StrategyChange } from '../constructs/botpress/config-merge';
import { fromValue, parseJson, renderJson, renderJsonText } from '../constructs/text/json-document';
import { HOLES, strategyEntry } from '../constructs/botpress/strategy-entry';
import { escapeTemplateLiteral, toTerraformTemplateChunks } from '../constructs/text/terraform-template';
import { describeWithEngine, evaluateFiles } from './support/tofu';
import { synthStack } from './support/stacks';

// --- an ordered JSON model, its serializer and the documented changes ---------------------------

type J = string | boolean | null | Num | J[] | Obj;
interface Num {
  readonly num: string;
}
interface Obj {
  readonly entries: ReadonlyArray<readonly [string, J]>;
}
const isObj = (v: J): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && 'entries' in v;
const obj = (entries: ReadonlyArray<readonly [string, J]>): Obj => ({ entries });

/**
 * A string as the product writes it: as JSON.stringify does, except that text NFC would change
 * (Terraform normalizes every string) gets \\u escapes for everything outside ASCII.
 */
function lit(s: string): string {
  const literal = JSON.stringify(s);
  return s.normalize('NFC') === s
    ? literal
    : literal.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** 2-space JSON with a trailing newline, as Botpress writes it (`JSON.stringify(config, null, 2)`), see `lit`. */
function ser(v: J, indent = ''): string {
  const inner = `${indent}  `;
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return lit(v);
  if (Array.isArray(v))
    return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + ser(x, inner)).join(',\n')}\n${indent}]`;
  if (isObj(v)) {
    if (v.entries.length === 0) return '{}';
    return `{\n${v.entries.map(([k, x]) => `${inner}${lit(k)}: ${ser(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return v.num;
}
const file = (v: J) => `${ser(v)}\n`;

/** Plain data (what JSON.parse gives) for value comparisons. */
function plain(v: J): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) return Object.fromEntries(v.entries.map(([k, x]) => [k, plain(x)]));
  return JSON.parse(v.num);
}
function fromPlain(v: unknown): J {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return { num: JSON.stringify(v) };
  if (Array.isArray(v)) return v.map(fromPlain);
  return obj(Object.entries(v as object).map(([k, x]) => [k, fromPlain(x)] as const));
}

const get = (o: Obj, key: string) => o.entries.find(([k]) => k === key)?.[1];
/** Sets a key in place, or appends it. */
const set = (o: Obj, key: string, value: J): Obj =>
  get(o, key) === undefined
    ? obj([...o.entries, [key, value]])
    : obj(o.entries.map(([k, x]) => [k, k === key ? value : x] as const));

/**
 * The documented changes. Upsert: `authStrategies.<name>` = the entry (in place when present,
 * last otherwise, authStrategies itself created last in the root when missing); the name
 * appended once to `pro.collaboratorsAuthStrategies` (Botpress's default ["default"] when the
 * list is missing); `pro.externalAuth.enabled` = true, its `algorithms` kept or ["HS256"] added.
 * Remove: the entry and the name go; a missing list is written as Botpress's default.
 */
function expected(doc: Obj, action: 'upsert' | 'remove', name: string, entry: J): Obj {
  const strategies = get(doc, 'authStrategies') as Obj | undefined;
  let pro = get(doc, 'pro') as Obj;
  const list = get(pro, 'collaboratorsAuthStrategies') as string[] | undefined;
  const names = list ?? ['default'];
  const nextNames =
    action === 'upsert' ? (names.includes(name) ? names : [...names, name]) : names.filter((n) => n !== name);
  if (list === undefined || nextNames.length !== names.length) pro = set(pro, 'collaboratorsAuthStrategies', nextNames);
  if (action === 'upsert') {
    let externalAuth = set((get(pro, 'externalAuth') as Obj | undefined) ?? obj([]), 'enabled', true);
    if (get(externalAuth, 'algorithms') === undefined) externalAuth = set(externalAuth, 'algorithms', ['HS256']);
    pro = set(pro, 'externalAuth', externalAuth);
  }
  let root = doc;
  if (action === 'upsert') root = set(root, 'authStrategies', set(strategies ?? obj([]), name, entry));
  else if (strategies) root = set(root, 'authStrategies', obj(strategies.entries.filter(([k]) => k !== name)));
  return set(root, 'pro', pro);
}

// --- a reference evaluator for the literal part of a Terraform template -------------------------

/**
 * Evaluates template text the way Terraform does for what escapeTemplateLiteral may produce:
 * `$${` and `%%{` are escapes (leftmost first), `${"<run of $ and %>"}`, `${"["}`, `${"e"}`
 * and `${"E"}` are the escaper's own interpolations, `${hole.NAME}` stands for a value; any
 * other `${` or `%{` is an error.
 */
function evaluateLiteral(
  text: string,
  hole: (name: string) => string = () => {
    throw new Error('no holes here');
  },
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += `${text[i]}{`;
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i);
      const expression = text.slice(i + 2, end);
      if (/^"([$%]+|\[|e|E)"$/.test(expression)) out += JSON.parse(expression);
      else if (expression.startsWith('hole.')) out += hole(expression.slice(5));
      else
        throw new Error(
          `an interpolation \${${expression}} at ${i} in ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 40))}`,
        );
      i = end + 1;
    } else if (text.startsWith('%{', i)) {
      throw new Error(`a directive at ${i} in ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 40))}`);
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/**
 * cdktf's number tokens inside strings (cdktf/lib/tokens/private/encoding.js): a match of this
 * pattern whose double has 0xfdff in its top 16 bits (about -8.1e298) is read as a token.
 */
const CDKTF_NUMBER = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
function isCdktfNumberToken(match: string): boolean {
  const words = new Uint32Array(new Float64Array([parseFloat(match)]).buffer);
  return (words[1] & 0xffff0000) >>> 0 === 0xfdff0000;
}

// --- generators ---------------------------------------------------------------------------------

const FRAGMENTS = [
  '${x}',
  '%{ if true }',
  '%{ endif }',
  '$${',
  '%%{',
  '$',
  '%',
  '{',
  '}',
  '$$',
  '%%',
  '${TfToken[TOKEN.1]}',
  '#{TfToken[TOKEN.1]}',
  '&{TfToken[TOKEN.1]}',
  'TfToken[',
  ']}',
  '-1.8881545897087626e+289',
  '-8.109562212591379e+298',
  '1e300',
  '1e5',
  'e+289',
  '"',
  '\\',
  '\\n',
  '\n',
  '\r\n',
  '\t',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udc00',
  '😀',
  '<>&',
  '\u0000',
  '\u001f',
  '\u007f',
  '\ufeff',
  'é',
  'e\u0301',
  '10',
  '2',
  ' ',
  '=',
  '#',
];
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc
      .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 6 })
      .map((a) => a.join('')),
  );
const key = fc.oneof(text(8), fc.constantFrom('10', '2', '0', '-1', '1.5', 'a', 'default', 'azuread'));
const num = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ num: JSON.stringify(d) })),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => ({ num: n.toString() })),
  fc
    .constantFrom(
      '12345678901234567890',
      '1.50',
      '1E+400',
      '-0',
      '-0.0',
      '1e-7',
      '0.1e2',
      '-1.8881545897087626e+289',
      '-8.109562212591379e+298',
    )
    .map((raw) => ({ num: raw })),
);
const entries = <T extends J>(value: fc.Arbitrary<T>, maxLength: number, reserved: readonly string[] = []) =>
  fc
    .uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength })
    .map((list) => list.filter(([k]) => !reserved.includes(k)) as Array<readonly [string, J]>);

const { value: anyValue } = fc.letrec<{ value: J }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text(12),
    num,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    entries(tie('value'), 4).map(obj),
  ),
}));

/** Inserts entries at random places of a list. */
const placed = (
  list: Array<readonly [string, J]>,
  extra: Array<readonly [string, J] | undefined>,
  positions: number[],
) => {
  const out = [...list];
  extra.forEach((entry, i) => {
    if (entry) out.splice(positions[i] % (out.length + 1), 0, entry);
  });
  return out;
};

const STRATEGY_NAME = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_]{0,20}$/),
  fc.constantFrom('azuread', 'default2', 'a', 'Z', '0', '10'),
);
const nonEmptyText = text(10).filter((s) => s.length > 0);

const caseArb = fc
  .record({
    name: STRATEGY_NAME,
    rootEntries: entries(anyValue, 5, ['pro', 'authStrategies']),
    proEntries: entries(anyValue, 4, ['collaboratorsAuthStrategies', 'externalAuth']),
    list: fc.option(fc.array(nonEmptyText, { maxLength: 4 }), { nil: undefined }),
    listHasName: fc.boolean(),
    externalAuth: fc.option(
      fc.record({
        enabled: fc.option(fc.boolean(), { nil: undefined }),
        algorithms: fc.option(
          fc.array(fc.constantFrom('HS256', 'RS256', 'ES512', '${x}'), { minLength: 1, maxLength: 3 }),
          { nil: undefined },
        ),
        audience: fc.option(text(10), { nil: undefined }),
        extra: entries(anyValue, 2, ['enabled', 'algorithms', 'audience', 'issuer', 'publicKey']),
      }),
      { nil: undefined },
    ),
    strategies: fc.option(
      entries(
        fc
          .record({ type: fc.constantFrom('basic', 'saml', 'ldap', 'oauth2'), rest: entries(anyValue, 3, ['type']) })
          .map(({ type, rest }): J => obj([['type', type], ...rest])),
        3,
      ),
      { nil: undefined },
    ),
    stale: fc.option(entries(anyValue, 3, ['type']), { nil: undefined }),
    positions: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    action: fc.constantFrom<'upsert' | 'remove'>('upsert', 'upsert', 'upsert', 'remove'),
    secret: text(40).filter((s) => s.length > 0),
    // A label is text people read: control characters and bidirectional overrides are refused
    // (test/app.test.ts), so the hostile labels here hold everything else.
    label: fc.option(
      text(12).map((s) => s.replace(new RegExp(`[${HIDDEN_CHARACTERS}]`, 'gu'), '')),
      { nil: undefined },
    ),
    allowSelfSignup: fc.boolean(),
    environment: fc.boolean(),
  })
  .map((c) => {
    const p = c.positions;
    let list = c.list;
    if (list && c.listHasName)
      list = placed(
        list.map((s) => [s, null] as const),
        [[c.name, null]],
        [p[0]],
      ).map(([s]) => s);
    const externalAuth = c.externalAuth
      ? obj(
          placed(
            c.externalAuth.extra,
            [
              c.externalAuth.enabled === undefined ? undefined : ['enabled', c.externalAuth.enabled],
              c.externalAuth.algorithms === undefined ? undefined : ['algorithms', c.externalAuth.algorithms],
              c.externalAuth.audience === undefined ? undefined : ['audience', c.externalAuth.audience],
            ],
            [p[1], p[2], p[3]],
          ),
        )
      : undefined;
    const pro = obj(
      placed(
        c.proEntries,
        [
          list ? ['collaboratorsAuthStrategies', list] : undefined,
          externalAuth ? ['externalAuth', externalAuth] : undefined,
        ],
        [p[4], p[5]],
      ),
    );
    // Other strategies never take the name, except as a stale oauth2 entry (which is replaced).
    let strategies: Obj | undefined;
    if (c.strategies) {
      const others = c.strategies.filter(([k]) => k !== c.name);
      strategies = obj(placed(others, [c.stale ? [c.name, obj([['type', 'oauth2'], ...c.stale])] : undefined], [p[2]]));
    }
    const doc = obj(
      placed(c.rootEntries, [['pro', pro], strategies ? ['authStrategies', strategies] : undefined], [p[3], p[1]]),
    );
    return { ...c, doc, environment: c.environment && /^[A-Za-z0-9_]+$/.test(c.name) };
  });
type GeneratedCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const SEED = 20240611;
const RUNS = 200;

// --- pure properties ----------------------------------------------------------------------------

const ENTRY_PLAIN = {
  type: 'oauth2',
  allowSelfSignup: false,
  hidden: false,
  options: {
    authorizationURL: 'a',
    tokenURL: 't',
    clientSecret: 's',
    clientID: 'c',
    callbackURL: 'cb',
    scope: 'openid profile email',
  },
  fieldMapping: { email: 'email' },
};

function mergeText(baseText: string, c: GeneratedCase, entry = fromValue(ENTRY_PLAIN)) {
  const change: StrategyChange =
    c.action === 'upsert'
      ? { action: 'upsert', name: c.name, entry: entry as never }
      : { action: 'remove', name: c.name };
  return mergeBotpressConfig(parseJson(baseText), change, 'configFile').config;
}

const holeEntry = (c: GeneratedCase) =>
  strategyEntry({
    allowSelfSignup: c.allowSelfSignup,
    label: c.label,
    callbackUrl: `https://bots.example.com/api/v1/auth/login-callback/oauth2/${c.name}`,
    userInfoUrl: 'https://graph.microsoft.com/oidc/userinfo',
    scope: 'openid profile email',
  });
const HOLE_VALUES = (c: GeneratedCase): Record<string, string> => ({
  [HOLES.clientId]: '11111111-2222-3333-4444-555555555555',
  [HOLES.clientSecret]: c.secret,
  [HOLES.authorizationUrl]: 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize',
  [HOLES.tokenUrl]: 'https://login.microsoftonline.com/t/oauth2/v2.0/token',
});

describe('rendering properties (pure)', () => {
  it('the oracle writes what JSON.stringify(x, null, 2) writes, whenever a plain object can hold the document', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const value = plain(c.doc);
        fc.pre(file(fromPlain(value)) === file(c.doc)); // no integer-like keys or non-canonical numbers
        fc.pre(strings(c.doc).every((s) => s.normalize('NFC') === s)); // see lit
        expect(file(c.doc)).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('mergeBotpressConfig keeps every key, value and place of the base except the documented changes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const config = mergeText(file(c.doc), c);
        const want = expected(c.doc, c.action, c.name, fromPlain(ENTRY_PLAIN));
        expect(renderJsonText(config)).toBe(file(want));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the rendered text is valid JSON holding the exact secret, and rendering it again changes nothing', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const fill = (name: string) => HOLE_VALUES(c)[name];
        const first = renderJsonText(mergeText(file(c.doc), c, holeEntry(c)), fill);
        const parsed = JSON.parse(first);
        if (c.action === 'upsert') {
          expect(parsed.authStrategies[c.name].options.clientSecret).toBe(c.secret);
          expect(parsed.pro.collaboratorsAuthStrategies.filter((n: string) => n === c.name)).toHaveLength(
            Math.max(
              1,
              ((get(get(c.doc, 'pro') as Obj, 'collaboratorsAuthStrategies') as string[] | undefined) ?? []).filter(
                (n) => n === c.name,
              ).length,
            ),
          );
        } else {
          expect(parsed.pro.collaboratorsAuthStrategies).not.toContain(c.name);
          expect(Object.keys(parsed.authStrategies ?? {})).not.toContain(c.name);
        }
        const second = renderJsonText(mergeText(first, c, holeEntry(c)), fill);
        expect(second).toBe(first);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("the number-token check recognizes cdktf's encoding (so that the next property can fail)", () => {
    expect(isCdktfNumberToken('-8.109562212591379e+298')).toBe(true);
    expect(isCdktfNumberToken('-8.10956221259138e+298')).toBe(true);
    expect(isCdktfNumberToken('-1.8881545897087626e+289')).toBe(false);
    expect(isCdktfNumberToken('1e300')).toBe(false);
  });

  it('escapeTemplateLiteral leaves no interpolation, directive, cdktf marker or number token, and loses nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text(30),
          fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((a) => a.join('')),
        ),
        (s) => {
          const escaped = escapeTemplateLiteral(s);
          expect(escaped).not.toContain('TfToken[');
          expect(evaluateLiteral(escaped)).toBe(s);
          for (const match of escaped.match(CDKTF_NUMBER) ?? []) expect(isCdktfNumberToken(match)).toBe(false);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('the template chunks each evaluate on their own, and together give the rendered text', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 300 }), (c, chunkSize) => {
        const fill = (name: string) => HOLE_VALUES(c)[name];
        const config = mergeText(file(c.doc), c, holeEntry(c));
        const chunks = toTerraformTemplateChunks(renderJson(config), (name) => `\${hole.${name}}`, chunkSize);
        const hole = (name: string) => JSON.stringify(fill(name));
        expect(chunks.map((chunk) => evaluateLiteral(chunk, hole)).join('')).toBe(renderJsonText(config, fill));
        for (const chunk of chunks) expect(chunk).not.toContain('TfToken[');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// --- the engine property ------------------------------------------------------------------------

/**
 * What the engine sample leaves out, each for a reason outside this property:
 * - a lone surrogate in the secret: Terraform reads it as U+FFFD (Entra secrets are ASCII);
 * - test/support/tofu.ts rewrites `local.` and Entra attribute references inside the text too.
 */
function strings(v: J, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v !== null && typeof v === 'object' && isObj(v))
    v.entries.forEach(([k, x]) => (out.push(k), strings(x, out)));
  return out;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const harnessRewrites = (s: string) => /local\.|azuread_application_|data\.azuread_client_config/.test(s);

const DEPLOYER_TENANT = '99999999-8888-4777-a666-555555555555';
const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET_MARK = '\u0000<the secret>\u0000';

function engineEntry(c: GeneratedCase, variable: string | undefined): J {
  const login = `https://login.microsoftonline.com/${DEPLOYER_TENANT}/oauth2/v2.0`;
  return obj([
    ['type', 'oauth2'],
    ['allowSelfSignup', c.allowSelfSignup],
    ['hidden', false],
    ...(c.label !== undefined ? [['label', c.label] as const] : []),
    [
      'options',
      obj([
        ['authorizationURL', `${login}/authorize`],
        ['tokenURL', `${login}/token`],
        ['clientSecret', variable ? `set by the environment variable ${variable}` : SECRET_MARK],
        ['clientID', CLIENT_ID],
        ['callbackURL', `https://bots.example.com/api/v1/auth/login-callback/oauth2/${c.name}`],
        ['scope', 'openid profile email'],
        ['userInfoURL', 'https://graph.microsoft.com/oidc/userinfo'],
      ]),
    ],
    ['fieldMapping', obj([['email', 'email']])],
  ]);
}

describeWithEngine('rendering property, evaluated by OpenTofu', () => {
  const sample = fc.sample(
    caseArb
      .filter((c) => !LONE_SURROGATE.test(c.secret)) // Terraform reads a lone surrogate as U+FFFD
      .filter(
        (c) =>
          !strings(c.doc)
            .concat(c.label ?? [])
            .some((s) => harnessRewrites(s)),
      ),
    { seed: SEED, numRuns: 30 },
  );
  const results: Array<Record<string, string>> = [];

  beforeAll(() => {
    const batch = sample.map((c) => ({
      stack: synthStack({
        baseConfig: file(c.doc),
        strategyName: c.name,
        label: c.label,
        allowSelfSignup: c.allowSelfSignup,
        enabled: c.action === 'upsert',
        secretDelivery: c.environment ? { kind: 'environment', envFilePath: '../../../bp.env' } : undefined,
      }).json,
      values: { clientId: CLIENT_ID, clientSecret: c.secret, tenantId: DEPLOYER_TENANT },
    }));
    results.push(...evaluateFiles(batch).map((r) => r.files));
  });

  it('the sample is varied (so that the property says something)', () => {
    expect(sample).toHaveLength(30);
    expect(sample.filter((c) => c.action === 'remove').length).toBeGreaterThan(0);
    expect(sample.filter((c) => c.environment && c.action === 'upsert').length).toBeGreaterThan(0);
    expect(sample.filter((c) => /[${}%"\\\n]/.test(file(c.doc))).length).toBeGreaterThan(10);
  });

  it.each(Array.from({ length: 30 }, (_, i) => i))(
    'case %i: the evaluated file is the expected document and the secret arrives exactly',
    (i) => {
      const c = sample[i];
      const variable = c.environment
        ? `BP_CONFIG_AUTHSTRATEGIES_${c.name.toUpperCase()}_OPTIONS_CLIENTSECRET`
        : undefined;
      const want = file(expected(c.doc, c.action, c.name, engineEntry(c, variable)));
      const got = results[i]['../../../botpress.config.json'];
      const context = `\nbase config: ${JSON.stringify(file(c.doc))}\nname: ${c.name}, action: ${
        c.action
      }, environment: ${c.environment}`;
      const [before, after] = want.split(JSON.stringify(SECRET_MARK));
      if (after === undefined) {
        if (got !== want)
          throw new Error(
            `the file differs from the expected document${context}\ngot:  ${JSON.stringify(
              got,
            )}\nwant: ${JSON.stringify(want)}`,
          );
      } else {
        // The secret is written by Terraform's jsonencode, which escapes some characters its own way.
        if (!got.startsWith(before) || !got.endsWith(after)) {
          throw new Error(
            `the file differs from the expected document${context}\ngot:  ${JSON.stringify(
              got,
            )}\nwant: ${JSON.stringify(want)}`,
          );
        }
        expect(JSON.parse(got.slice(before.length, got.length - after.length))).toBe(c.secret);
      }
      if (variable && c.action === 'upsert') {
        const line = results[i]['../../../bp.env'].split('\n').find((l) => l.startsWith(`${variable}=`)) as string;
        expect(JSON.parse(line.slice(variable.length + 1))).toBe(c.secret);
      }
    },
  );
});
