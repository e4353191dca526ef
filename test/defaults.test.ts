/**
 * One source for the settings contract: the schema states the same defaults, enums, patterns and
 * ranges as the construct's table (constructs/defaults.ts), and the README's settings table
 * lists every setting of the schema with that default.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SETTING_OF_PROP } from '../app/define-stacks';
import { SSO_DEFAULTS, SSO_LIMITS } from '../constructs/defaults';

const ROOT = path.join(__dirname, '..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'settings.schema.json'), 'utf8'));
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The schema of an environment setting by its dotted path (`secret.rotationDays`). */
function settingSchema(setting: string): Record<string, any> {
  let node = schema.definitions.environment;
  for (const key of setting.split('.')) {
    if (node.$ref) node = schema.definitions[node.$ref.replace('#/definitions/', '')];
    node = node.properties?.[key];
    if (!node) throw new Error(`no setting ${setting} in the schema`);
  }
  return node.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node;
}

/** Every leaf setting of an environment, by dotted path. */
function settingPaths(node = schema.definitions.environment, prefix = ''): string[] {
  const resolved = node.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node;
  if (resolved.type !== 'object' || !resolved.properties) return [prefix];
  return Object.entries(resolved.properties as Record<string, unknown>).flatMap(([key, child]) =>
    settingPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe('the settings schema and the construct state the same contract', () => {
  const defaultedProps = Object.keys(SSO_DEFAULTS).filter(
    (prop) => SETTING_OF_PROP[prop as keyof typeof SETTING_OF_PROP],
  );
  it.each(defaultedProps)('default of %s', (prop) => {
    const setting = SETTING_OF_PROP[prop as keyof typeof SETTING_OF_PROP] as string;
    const expected = (SSO_DEFAULTS as Record<string, unknown>)[prop];
    expect(settingSchema(setting).default).toEqual(
      prop === 'secretDelivery' ? (expected as { kind: string }).kind : expected,
    );
  });

  it('default of adopt.importGraphApiAccess', () => {
    expect(settingSchema('adopt.importGraphApiAccess').default).toBe(SSO_DEFAULTS.importGraphApiAccess);
  });

  it('enums of signInAudience, cloud and botpressStorage', () => {
    expect(settingSchema('signInAudience').enum).toEqual([...SSO_LIMITS.signInAudiences]);
    expect(settingSchema('cloud').enum).toEqual([...SSO_LIMITS.clouds]);
    expect(settingSchema('botpressStorage').enum).toEqual([...SSO_LIMITS.botpressStorages]);
  });

  it('pattern of configFileMode', () => {
    expect(settingSchema('configFileMode').pattern).toBe(SSO_LIMITS.fileMode.source);
  });

  it('pattern of the texts people read (displayName, label)', () => {
    expect(settingSchema('displayName').pattern).toBe(SSO_LIMITS.displayText.source);
    expect(settingSchema('label').pattern).toBe(SSO_LIMITS.displayText.source);
  });

  it('patterns of strategyName and every GUID', () => {
    expect(settingSchema('strategyName').pattern).toBe(SSO_LIMITS.strategyName.source);
    expect(settingSchema('tenantId').pattern).toBe(SSO_LIMITS.guid.source);
    expect(schema.definitions.guid.pattern).toBe(SSO_LIMITS.guid.source);
  });

  it('range of secret.rotationDays', () => {
    const rotation = settingSchema('secret.rotationDays');
    expect([rotation.minimum, rotation.maximum]).toEqual([
      SSO_LIMITS.secretRotationDays.minimum,
      SSO_LIMITS.secretRotationDays.maximum,
    ]);
  });
});

describe("the README's settings table", () => {
  const section = readme.slice(
    readme.indexOf('\n## Settings\n'),
    readme.indexOf('\n## ', readme.indexOf('\n## Settings\n') + 1),
  );
  const rows = new Map(
    [...section.matchAll(/^\| `([^`]+)` \| ([^|]*) \|/gm)].map((match) => [match[1], match[2].trim()] as const),
  );
  // Objects documented by their own section rather than row by row.
  const bySection = new Set(['backend', 'adopt']);
  const documented = settingPaths().filter((setting) => !bySection.has(setting.split('.')[0]));

  it.each(documented)('has a row for %s with the schema default', (setting) => {
    expect(rows.has(setting)).toBe(true);
    const schemaDefault = settingSchema(setting).default;
    if (schemaDefault !== undefined) expect(rows.get(setting)).toBe(`\`${String(schemaDefault)}\``);
  });

  it('has no row for a setting the schema does not know', () => {
    const known = new Set([...documented, ...bySection]);
    expect([...rows.keys()].filter((row) => !known.has(row))).toEqual([]);
  });
});
