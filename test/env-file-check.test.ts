import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isOwnEnvFile } from '../app/env-file-check';
import { READ_ONLY, loadSettings } from '../app/load-settings';
import { SsoInputError } from '../constructs/input-error';
import { thrownBy } from './support/errors';
import { EXAMPLE_CONFIG, KNOWN_VALUES, synthStack } from './support/stacks';
import { describeWithEngine, evaluateFiles } from './support/tofu';

describe('isOwnEnvFile', () => {
  it('knows an empty file and the files the construct writes, and nothing else', () => {
    expect(isOwnEnvFile('')).toBe(true);
    expect(isOwnEnvFile('# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\nX=1\n')).toBe(
      true,
    );
    expect(isOwnEnvFile('DATABASE_URL=postgres://db\nBP_LICENSE_KEY=abc\n')).toBe(false);
    expect(isOwnEnvFile('X=1\n# written by botpress-azure-sso\n')).toBe(false);
  });
});

describeWithEngine('the env files the construct renders are its own', () => {
  it('with environment delivery and with database storage', () => {
    const env = { secretDelivery: { kind: 'environment' as const, envFilePath: '../../../bp.env' } };
    const stacks = [synthStack(env).json, synthStack({ ...env, botpressStorage: 'database' }).json];
    for (const { files } of evaluateFiles(stacks.map((stack) => ({ stack, values: KNOWN_VALUES })))) {
      expect(isOwnEnvFile(files['../../../bp.env'])).toBe(true);
    }
  });
});

describe('synthesis refuses to take over an env file it did not write', () => {
  function project(envText: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-envfile-'));
    mkdirSync(path.join(dir, 'bp'));
    writeFileSync(path.join(dir, 'bp', 'botpress.config.json'), EXAMPLE_CONFIG);
    writeFileSync(path.join(dir, '.env'), envText);
    const prod = {
      botpressUrl: 'https://bots.example.com',
      configFile: 'bp/botpress.config.json',
      secret: { delivery: 'environment', envFile: '.env' },
    };
    writeFileSync(path.join(dir, 'botpress-sso.json'), JSON.stringify({ environments: { prod } }));
    return dir;
  }

  it('names the file and the fix', () => {
    const error = thrownBy(() => loadSettings('botpress-sso.json', project('DATABASE_URL=postgres://db\n'))) as Error;
    expect(error).toBeInstanceOf(SsoInputError);
    expect(error.message).toMatch(
      /^environments\.prod\.secret\.envFile = "\.env": names an existing file that botpress-azure-sso did not write/,
    );
    expect(error.message).toMatch(/Fix: point secret\.envFile at a file of its own/);
  });

  it('lets its own file through, and the read-only tools read any', () => {
    expect(() =>
      loadSettings(
        'botpress-sso.json',
        project('# Botpress SSO client secret, written by botpress-azure-sso. Keep private.\n'),
      ),
    ).not.toThrow();
    expect(() => loadSettings('botpress-sso.json', project('DATABASE_URL=x\n'), READ_ONLY)).not.toThrow();
  });
});
