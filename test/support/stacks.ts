import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { BotpressAzureSsoProps } from '../../constructs/botpress-azure-sso-props';
import { BotpressSsoStack, BotpressSsoStackProps } from '../../constructs/botpress-sso-stack';

export const EXAMPLE_CONFIG = readFileSync(
  path.join(__dirname, '..', '..', 'examples', 'botpress.config.json'),
  'utf8',
);

export type TestSsoProps = Partial<BotpressAzureSsoProps>;

/** Builds one environment's stack in a test app and returns it with its synthesized JSON. */
export function synthStack(sso: TestSsoProps = {}, stack: Partial<Omit<BotpressSsoStackProps, 'sso'>> = {}) {
  const app = Testing.app();
  const built = new BotpressSsoStack(app, 'test', {
    localStatePath: '../../../terraform.test.tfstate',
    ...stack,
    sso: {
      botpressUrl: 'https://bots.example.com',
      baseConfig: EXAMPLE_CONFIG,
      configFilePath: '../../../botpress.config.json',
      ...sso,
    },
  });
  const text = Testing.synth(built);
  return { stack: built, text, json: JSON.parse(text) as Record<string, any> };
}

/** A known client secret full of characters that break naive escaping. */
export const HOSTILE_SECRET = 'a"b\\c${x}%{y}\n<&>\u2028é~Q8';
export const KNOWN_VALUES = {
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: HOSTILE_SECRET,
  tenantId: '66666666-7777-8888-9999-000000000000',
};
