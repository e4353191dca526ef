/**
 * The pure parts of database storage: Botpress's merge reproduced on the order-keeping document
 * (checked against lodash, the library Botpress uses), the variable names, the env file's
 * shape, and the errors a database-mode environment can meet.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import fc from 'fast-check';
import _ from 'lodash';
import {
  applyOverrides,
  environmentOverrides,
  overrideVariableName,
  renderEnvFile,
  unexpressedDifferences,
} from '../constructs/botpress/environment-overrides';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import { JsonObject, fromValue, jsonHole, jsonObject, toValue } from '../constructs/text/json-document';
import { defineStacks } from '../app/define-stacks';
import { loadSettings } from '../app/load-settings';
import { thrownBy } from './support/errors';
import { EXAMPLE_CONFIG, synthStack } from './support/stacks';

const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 4 }),
    // lodash skips __proto__; Botpress keys never are one.
    fc.dictionary(fc.constantFrom('a', 'b', 'c', '0', '10', 'constructor', 'toString'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** lodash merges an object into an array's indexes; the config schema rules that shape out. */
function objectOverArray(target: unknown, source: unknown): boolean {
  if (source === null || typeof source !== 'object') return false;
  if (!Array.isArray(source) && Array.isArray(target)) return true;
  if (target === null || typeof target !== 'object') return false;
  return Object.entries(source).some(([k, v]) => objectOverArray((target as Record<string, unknown>)[k], v));
}

describe('applyOverrides', () => {
  it('is lodash merge of the value set at its path', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('pro', 'authStrategies', 'x'), json, { maxKeys: 3 }),
        // No index-like segment: lodash `set` would build an array there, and no eligible path has one.
        fc.array(fc.constantFrom('pro', 'authStrategies', 'enabled', 'list'), { minLength: 1, maxLength: 3 }),
        json,
        (config, pathKeys, value) => {
          const source = _.set({}, pathKeys, value);
          fc.pre(!objectOverArray(config, source));
          const expected = _.merge(_.cloneDeep(config), source);
          const actual = toValue(
            applyOverrides(fromValue(config), [{ name: 'X', path: pathKeys, value: fromValue(value) }]),
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('merges lists by index: a shorter list leaves the tail', () => {
    const config = fromValue({ pro: { collaboratorsAuthStrategies: ['default', 'x', 'y'] } });
    const result = applyOverrides(config, [
      { name: 'X', path: ['pro', 'collaboratorsAuthStrategies'], value: fromValue(['azuread']) },
    ]);
    expect(toValue(result)).toEqual({ pro: { collaboratorsAuthStrategies: ['azuread', 'x', 'y'] } });
    expect(unexpressedDifferences(result, fromValue({ pro: { collaboratorsAuthStrategies: ['azuread'] } }))).toEqual([
      'pro.collaboratorsAuthStrategies',
    ]);
  });
});

describe('variables', () => {
  it('are named as Botpress names them', () => {
    expect(overrideVariableName(['pro', 'collaboratorsAuthStrategies'])).toBe(
      'BP_CONFIG_PRO_COLLABORATORSAUTHSTRATEGIES',
    );
    expect(overrideVariableName(['authStrategies', 'corp_sso', 'options', 'clientSecret'])).toBe(
      'BP_CONFIG_AUTHSTRATEGIES_CORP_SSO_OPTIONS_CLIENTSECRET',
    );
  });

  it.each([['my-sso'], ['a.b'], ['with space'], ['é']])(
    'refuse a key that cannot form a variable name: %j',
    (segment) => {
      const error = thrownBy(() =>
        overrideVariableName(['authStrategies', segment, 'options'], 'strategyName'),
      ) as SsoInputError;
      expect(error).toBeInstanceOf(SsoInputError);
      expect(error.message).toContain(
        `strategyName = ${JSON.stringify(segment)}: cannot be part of the environment variable name`,
      );
      expect(error.fix).toMatch(/letters, digits and "_" only/);
    },
  );

  it('are none when the strategy is not wanted', () => {
    const exported = fromValue(JSON.parse(EXAMPLE_CONFIG)) as JsonObject;
    expect(environmentOverrides(exported, exported, 'azuread')).toEqual([]);
  });

  it('go one per line, JSON without line breaks, holes left for apply', () => {
    const text = renderEnvFile(
      ['a comment\nsplit'],
      [
        { name: 'BP_CONFIG_A', path: ['a'], value: fromValue({ s: 'line1\nline2\r"\\', n: [1, true, null] }) },
        { name: 'BP_CONFIG_B', path: ['b'], value: jsonObject([['secret', jsonHole('clientSecret')]]) },
      ],
    );
    expect(text).toEqual([
      '# a comment split\nBP_CONFIG_A={"s":"line1\\nline2\\r\\"\\\\","n":[1,true,null]}\nBP_CONFIG_B={"secret":',
      { kind: 'hole', name: 'clientSecret' },
      '}\n',
    ]);
  });
});

describe('database storage errors', () => {
  const database = {
    botpressStorage: 'database' as const,
    secretDelivery: { kind: 'environment' as const, envFilePath: 'bp.env' },
  };
  const exampleWith = (edit: (doc: any) => void) => {
    const doc = JSON.parse(EXAMPLE_CONFIG);
    edit(doc);
    return JSON.stringify(doc);
  };

  it.each([
    [
      'a same-name strategy of another type',
      exampleWith(
        (d) => (d.authStrategies.azuread = { type: 'saml', allowSelfSignup: false, hidden: false, options: {} }),
      ),
      /baseConfig at authStrategies\.azuread\.type = "saml": belongs to an existing saml strategy.*Fix: choose another strategyName/s,
    ],
    [
      'an export without version',
      exampleWith((d) => delete d.version),
      /baseConfig at version = \(missing\): is missing: with database storage.*bp pullfile/s,
    ],
    [
      'an export without a collaborator list',
      exampleWith((d) => delete d.pro.collaboratorsAuthStrategies),
      /baseConfig at pro\.collaboratorsAuthStrategies = \(missing\)/,
    ],
    [
      'an export without authStrategies',
      exampleWith((d) => delete d.authStrategies),
      /baseConfig at authStrategies = \(missing\)/,
    ],
    [
      'an export without pro',
      '{"version": "12.30.9", "authStrategies": {}}',
      /baseConfig at pro = \(missing\).*complete pro section/s,
    ],
  ])('%s', (_title, baseConfig, message) => {
    const error = thrownBy(() => synthStack({ ...database, baseConfig })) as Error;
    expect(error).toBeInstanceOf(error instanceof SsoInputErrors ? SsoInputErrors : SsoInputError);
    expect(error.message).toMatch(message);
  });

  it('refuses workspaces, which such a Botpress keeps in the database too, and leaves workspaces.json alone', () => {
    const error = thrownBy(() => synthStack({ ...database, workspaces: ['default'] })) as SsoInputError;
    expect(error.message).toMatch(/^test\/sso: workspaces = \["default"\]: cannot be managed with database storage/);
    const listed = JSON.stringify([{ id: 'default', authStrategies: ['default', 'azuread'] }]);
    const { json, stack } = synthStack({
      ...database,
      workspacesConfig: listed,
      workspacesFilePath: '../../../workspaces.json',
    });
    expect(stack.sso.workspaces).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('workspaces.json');
  });

  it('needs the env file (the construct names its prop; the app, the setting: see settingsError)', () => {
    const error = thrownBy(() => synthStack({ botpressStorage: 'database' })) as SsoInputError;
    expect(error.message).toMatch(
      /^test\/sso: secretDelivery\.envFilePath = \(missing\): is required with database storage/,
    );
  });

  function settingsError(environment: object): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-db-'));
    mkdirSync(path.join(dir, 'bp'));
    writeFileSync(path.join(dir, 'bp', 'botpress.config.json'), EXAMPLE_CONFIG);
    const settings = {
      environments: {
        prod: {
          botpressUrl: 'https://bots.example.com',
          configFile: 'bp/botpress.config.json',
          botpressStorage: 'database',
          ...environment,
        },
      },
    };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify(settings));
    const error = thrownBy(() =>
      defineStacks(new App({ outdir: path.join(dir, 'out') }), loadSettings('botpress-sso.json', dir), dir),
    ) as Error;
    if (!(error instanceof SsoInputError || error instanceof SsoInputErrors)) throw error;
    return error.message;
  }

  it.each([
    [
      'no secret section',
      {},
      /environments\.prod\.secret = \(missing\): is required.*Fix: add it: with botpressStorage "database"/s,
    ],
    ['no envFile', { secret: { rotationDays: 30 } }, /environments\.prod\.secret\.envFile = \(missing\): is required/],
    [
      'config-file delivery',
      { secret: { delivery: 'config-file', envFile: 'x.env' } },
      /environments\.prod\.secret\.delivery = "config-file": is not accepted.*use "environment"/s,
    ],
    [
      'an unknown storage',
      { botpressStorage: 'cloud', secret: { envFile: 'x.env' } },
      /environments\.prod\.botpressStorage = "cloud": is not an accepted value.*"disk", "database"/s,
    ],
  ])('settings: %s', (_title, environment, message) => {
    expect(settingsError(environment)).toMatch(message);
  });

  it('settings: a strategy name with "-" is fine, since no variable name holds it', () => {
    const { stack } = synthStack({ ...database, strategyName: 'my-sso' });
    expect(stack.sso.environmentOverrides?.map((o) => o.name)).toContain('BP_CONFIG_AUTHSTRATEGIES');
  });
});
