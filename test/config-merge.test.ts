import { findingText } from '../constructs/findings';
import { mergeBotpressConfig, StrategyChange } from '../constructs/botpress/config-merge';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import {
  fromValue,
  jsonObject,
  jsonString,
  parseJson,
  renderJsonText,
  JsonObject,
} from '../constructs/text/json-document';

const entry = jsonObject([['type', jsonString('oauth2')]]) as JsonObject;
const upsert: StrategyChange = { action: 'upsert', name: 'azuread', entry };
const merge = (base: unknown, change: StrategyChange = upsert) =>
  JSON.parse(renderJsonText(mergeBotpressConfig(fromValue(base), change, 'configFile').config));

const errorOf = (fn: () => unknown): SsoInputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SsoInputError) return e;
    if (e instanceof SsoInputErrors) return e.errors[0];
    throw e;
  }
  throw new Error('expected an input error');
};

describe('mergeBotpressConfig', () => {
  it('adds the strategy, the collaborator entry and external auth, keeping order and other keys', () => {
    const base = { a: 1, pro: { enabled: true, x: 'y', collaboratorsAuthStrategies: ['default'] }, z: [1] };
    const merged = merge(base);
    expect(Object.keys(merged)).toEqual(['a', 'pro', 'z', 'authStrategies']);
    expect(Object.keys(merged.pro)).toEqual(['enabled', 'x', 'collaboratorsAuthStrategies', 'externalAuth']);
    expect(merged.pro.collaboratorsAuthStrategies).toEqual(['default', 'azuread']);
    expect(merged.pro.externalAuth).toEqual({ enabled: true, algorithms: ['HS256'] });
    expect(merged.authStrategies).toEqual({ azuread: { type: 'oauth2' } });
  });

  it('treats a missing collaborator list as Botpress default ["default"]', () => {
    expect(merge({ pro: { enabled: true } }).pro.collaboratorsAuthStrategies).toEqual(['default', 'azuread']);
  });

  it('adds the name once and keeps existing external auth settings', () => {
    const base = {
      pro: {
        enabled: true,
        collaboratorsAuthStrategies: ['azuread', 'default'],
        externalAuth: { enabled: false, algorithms: ['RS256'], issuer: 'me' },
      },
      authStrategies: { azuread: { type: 'oauth2', stale: true }, default: { type: 'basic' } },
    };
    const merged = merge(base);
    expect(merged.pro.collaboratorsAuthStrategies).toEqual(['azuread', 'default']);
    expect(merged.pro.externalAuth).toEqual({ enabled: true, algorithms: ['RS256'], issuer: 'me' });
    expect(merged.authStrategies).toEqual({ azuread: { type: 'oauth2' }, default: { type: 'basic' } });
  });

  it('is a fixed point', () => {
    const once = renderJsonText(
      mergeBotpressConfig(parseJson(JSON.stringify({ pro: { enabled: true } })), upsert, 'f').config,
    );
    const twice = renderJsonText(mergeBotpressConfig(parseJson(once), upsert, 'f').config);
    expect(twice).toBe(once);
  });

  it('removes only what SSO added when disabled', () => {
    const base = {
      pro: {
        enabled: true,
        collaboratorsAuthStrategies: ['default', 'azuread'],
        externalAuth: { enabled: true, algorithms: ['HS256'] },
      },
      authStrategies: { default: { type: 'basic' }, azuread: { type: 'oauth2' } },
    };
    const merged = merge(base, { action: 'remove', name: 'azuread' });
    expect(merged).toEqual({
      pro: {
        enabled: true,
        collaboratorsAuthStrategies: ['default'],
        externalAuth: { enabled: true, algorithms: ['HS256'] },
      },
      authStrategies: { default: { type: 'basic' } },
    });
  });

  it('warns when Pro is off and when removal empties the collaborator list', () => {
    expect(
      mergeBotpressConfig(fromValue({ pro: { enabled: false } }), upsert, 'configFile')
        .findings.map(findingText)
        .join(),
    ).toMatch(/pro\.enabled/);
    const removal = mergeBotpressConfig(
      fromValue({ pro: { enabled: true, collaboratorsAuthStrategies: ['azuread'] } }),
      { action: 'remove', name: 'azuread' },
      'configFile',
    );
    expect(removal.findings.map(findingText).join()).toMatch(/now empty/);
  });

  it('refuses to overwrite a strategy of another type', () => {
    const e = errorOf(() =>
      merge({ pro: {}, authStrategies: { default: { type: 'basic' } } }, { ...upsert, name: 'default' }),
    );
    expect(e.field).toBe('configFile at authStrategies.default.type');
    expect(e.message).toMatch(/existing basic strategy named "default".*Fix: choose another strategyName/s);
  });

  it.each([
    [[], /configFile.*must hold a JSON object/],
    [{ authStrategies: {} }, /configFile at pro.*missing.*start Botpress once/s],
    [{ pro: 'yes' }, /configFile at pro = \(a string of 3 characters\): must be object/],
    [{ pro: {}, authStrategies: [] }, /configFile at authStrategies = \(a JSON array of 0 items\): must be object/],
    [
      { pro: { collaboratorsAuthStrategies: 'default' } },
      /configFile at pro.collaboratorsAuthStrategies = "default": must be array/,
    ],
    [{ pro: { externalAuth: { algorithms: 'HS256' } } }, /configFile at pro.externalAuth.algorithms/],
    [
      { pro: { externalAuth: { algorithms: [] } } },
      /configFile at pro.externalAuth.algorithms = \(a JSON array of 0 items\): must NOT have fewer than 1 items/,
    ],
    [{ pro: { externalAuth: { audience: 5 } } }, /configFile at pro.externalAuth.audience = 5: must be string/],
    [
      { pro: {}, authStrategies: { azuread: 'Zq8~secret-value' } },
      /configFile at authStrategies.azuread = \(a string of 16 characters\): must be object/,
    ],
    [
      { pro: {}, authStrategies: { x: { type: 'oauth' } } },
      /authStrategies.x.type = "oauth": is not a Botpress strategy type/,
    ],
  ])('refuses the config %j', (base, message) => {
    expect(errorOf(() => merge(base)).message).toMatch(message);
  });
});
