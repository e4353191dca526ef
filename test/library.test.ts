/**
 * The construct as a library: loaded from the package entry (package.json main, built by
 * npm ci's preprepare step), in a stack that configures its own, aliased providers.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { EXAMPLE_CONFIG } from './support/stacks';

// The package's own name resolves to its entry point, as it would in a consumer's project.
const ENTRY = path.join(
  __dirname,
  '..',
  JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).main,
);

describe('the package entry', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built entry, loaded as a consumer would
  const lib = require(ENTRY) as typeof import('../constructs');

  it('exports the construct and its helpers', () => {
    expect(typeof lib.BotpressAzureSso).toBe('function');
    expect(typeof lib.BotpressSsoStack).toBe('function');
    expect(lib.SIGN_IN_AUDIENCES).toContain('AzureADMyOrg');
  });

  it('works in a stack of its own, with aliased providers and its own file path', () => {
    const app: App = Testing.app();
    const stack = new TerraformStack(app, 'platform');
    const corp = new AzureadProvider(stack, 'corp', {
      alias: 'corp',
      tenantId: '11111111-2222-3333-4444-555555555555',
    });
    const files = new LocalProvider(stack, 'files', { alias: 'files' });
    new TimeProvider(stack, 'time');
    const sso = new lib.BotpressAzureSso(stack, 'botpress_sso', {
      botpressUrl: 'https://chat.corp.example/bp/',
      baseConfig: EXAMPLE_CONFIG,
      configFilePath: '/srv/botpress/data/global/botpress.config.json',
      strategyName: 'corp',
      tenantId: '11111111-2222-3333-4444-555555555555',
      providers: { azuread: corp, local: files },
    });
    const json = JSON.parse(Testing.synth(stack));
    for (const type of [
      'azuread_application_registration',
      'azuread_application_redirect_uris',
      'azuread_application_api_access',
      'azuread_service_principal',
      'azuread_application_password',
    ]) {
      expect(Object.values(json.resource[type] as Record<string, any>)[0].provider).toBe('azuread.corp');
    }
    expect(Object.values(json.data.azuread_service_principal as Record<string, any>)[0].provider).toBe('azuread.corp');
    const file = Object.values(json.resource.local_file as Record<string, any>)[0];
    expect(file.provider).toBe('local.files');
    expect(file.filename).toBe('.botpress-sso/botpress_sso/config.stage'); // the stage, in the stack's own folder
    expect(sso.callbackUrl).toBe('https://chat.corp.example/bp/api/v1/auth/login-callback/oauth2/corp');
    expect(json.terraform.backend).toBeUndefined(); // the consumer's stack decides
  });
});
