/**
 * The construct as other people's code uses it: plain JavaScript callers get the same
 * field/value/fix errors as the compiler would give, file paths are checked, several instances
 * in one app never write one file, and errors and findings name the instance they are about.
 */
import { TerraformStack, Testing } from 'cdktf';
import { BotpressAzureSso, BotpressAzureSsoProps, SsoInputError, SsoInputErrors } from '../constructs';
import { EXAMPLE_CONFIG } from './support/stacks';
import { thrownBy } from './support/errors';

const BASE: BotpressAzureSsoProps = {
  botpressUrl: 'https://bots.example.com',
  baseConfig: EXAMPLE_CONFIG,
  configFilePath: '/srv/botpress/data/global/botpress.config.json',
};

/** The construct in a fresh app, called as plain JavaScript would (no type checking). */
function construct(props: unknown, id = 'botpress_sso', stackId = 'platform') {
  const stack = new TerraformStack(Testing.app(), stackId);
  return new BotpressAzureSso(stack, id, props as BotpressAzureSsoProps);
}

const errorsOf = (error: unknown): SsoInputError[] =>
  error instanceof SsoInputErrors ? [...error.errors] : error instanceof SsoInputError ? [error] : [];

describe('plain JavaScript callers', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['no props at all', undefined, 'props', /is not an object/],
    ['no baseConfig', { ...BASE, baseConfig: undefined }, 'baseConfig', /is required/],
    ['a number for botpressUrl', { ...BASE, botpressUrl: 42 }, 'botpressUrl', /is not a string/],
    ['a string for enabled', { ...BASE, enabled: 'yes' }, 'enabled', /is not true or false/],
    ['a fraction of days', { ...BASE, secretRotationDays: 1.5 }, 'secretRotationDays', /is not a whole number/],
    ['a string for owners', { ...BASE, owners: 'a' }, 'owners', /is not an array/],
    ['a number in access.groups', { ...BASE, access: { groups: [1] } }, 'access.groups.0', /is not a string/],
    ['an unknown delivery', { ...BASE, secretDelivery: { kind: 'mail' } }, 'secretDelivery.kind', /not a known kind/],
    ['a misspelt prop', { ...BASE, strategyname: 'x' }, 'strategyname', /is not a known prop/],
  ])('%s: a field/value/fix error, not a TypeError', (_name, props, field, problem) => {
    const error = thrownBy(() => construct(props));
    const errors = errorsOf(error);
    expect(errors.map((e) => e.field)).toContain(field);
    const mine = errors.find((e) => e.field === field) as SsoInputError;
    expect(mine.problem).toMatch(problem);
    expect(mine.fix).not.toBe('');
    expect(mine.construct).toBe('platform/botpress_sso');
  });

  it('reports every wrong type at once', () => {
    const errors = errorsOf(thrownBy(() => construct({ ...BASE, botpressUrl: 1, label: 2, owners: [3] })));
    expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['botpressUrl', 'label', 'owners.0']));
  });
});

describe('file paths', () => {
  it.each<[string, Partial<BotpressAzureSsoProps>, string, RegExp]>([
    ['an empty configFilePath', { configFilePath: '' }, 'configFilePath', /is empty/],
    ['a folder as configFilePath', { configFilePath: '/srv/botpress/data/global/' }, 'configFilePath', /folder/],
    ['"." as configFilePath', { configFilePath: '.' }, 'configFilePath', /folder/],
    [
      'an empty env file',
      { secretDelivery: { kind: 'environment', envFilePath: '' } },
      'secretDelivery.envFilePath',
      /is empty/,
    ],
    [
      'an env file that is a folder',
      { secretDelivery: { kind: 'environment', envFilePath: '/srv/botpress/..' } },
      'secretDelivery.envFilePath',
      /folder/,
    ],
    [
      'the config file as env file',
      { secretDelivery: { kind: 'environment', envFilePath: '/srv/botpress/data/global/./botpress.config.json' } },
      'secretDelivery.envFilePath',
      /same file as configFilePath and secretDelivery\.envFilePath/,
    ],
  ])('refuses %s', (_name, props, field, problem) => {
    const errors = errorsOf(thrownBy(() => construct({ ...BASE, ...props })));
    expect(errors.find((e) => e.field === field)?.problem).toMatch(problem);
  });
});

describe('several instances in one app', () => {
  it('refuses two instances that write one config file, naming both and the file', () => {
    const stack = new TerraformStack(Testing.app(), 'platform');
    new BotpressAzureSso(stack, 'first', BASE);
    const error = thrownBy(() => new BotpressAzureSso(stack, 'second', { ...BASE, strategyName: 'other' }));
    expect(error).toBeInstanceOf(SsoInputError);
    expect((error as Error).message).toMatch(
      /^platform\/second: configFilePath = "\/srv\/botpress\/data\/global\/botpress\.config\.json": is also written by platform\/first \(configFilePath\)/,
    );
  });

  it('refuses them across stacks too, where relative paths land on one file', () => {
    const app = Testing.app();
    // Relative paths are relative to each stack's folder (cdktf.out/stacks/<stack>).
    new BotpressAzureSso(new TerraformStack(app, 'a'), 'sso', { ...BASE, configFilePath: '../b/bp.json' });
    const error = thrownBy(
      () => new BotpressAzureSso(new TerraformStack(app, 'b'), 'sso', { ...BASE, configFilePath: 'bp.json' }),
    );
    expect((error as Error).message).toMatch(/^b\/sso: configFilePath = "bp\.json": is also written by a\/sso/);
  });

  it('refuses an env file shared by two instances', () => {
    const stack = new TerraformStack(Testing.app(), 'platform');
    const env = { kind: 'environment', envFilePath: '/srv/botpress/sso.env' } as const;
    new BotpressAzureSso(stack, 'first', { ...BASE, secretDelivery: env });
    const error = thrownBy(
      () =>
        new BotpressAzureSso(stack, 'second', {
          ...BASE,
          configFilePath: '/srv/other/botpress.config.json',
          secretDelivery: env,
        }),
    );
    expect((error as Error).message).toMatch(/secretDelivery\.envFilePath = .*is also written by platform\/first/);
  });

  it('gives each instance a registration name of its own and its own files', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'platform');
    const first = new BotpressAzureSso(stack, 'first', BASE);
    const second = new BotpressAzureSso(stack, 'second', {
      ...BASE,
      configFilePath: '/srv/other/botpress.config.json',
    });
    expect(first.displayName).toBe('Botpress SSO (platform/first)');
    expect(second.displayName).toBe('Botpress SSO (platform/second)');
    expect(() => Testing.synth(stack)).not.toThrow();
  });

  it('names the instance in its findings', () => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.pro.enabled = false;
    const sso = construct({ ...BASE, baseConfig: JSON.stringify(config, null, 2) });
    expect(sso.findings.map((f) => f.construct)).toEqual(sso.findings.map(() => 'platform/botpress_sso'));
    expect(sso.warnings.find((w) => w.includes('BPSSO-W002'))).toMatch(/^platform\/botpress_sso: /);
  });
});
