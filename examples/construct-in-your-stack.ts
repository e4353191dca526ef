// docs/library.md's "The construct in your own stack", as a file: `npm run test:consumer` installs the
// packed package into a fresh cdktf project, compiles this with `tsc --strict` and synthesizes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack, TerraformOutput } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { BotpressAzureSso } from 'botpress-azure-sso';

// On the Botpress host: /srv/botpress/data/global/botpress.config.json. Here: the copy beside this file.
const configFile = join(__dirname, 'botpress.config.json');
const app = new App();
const stack = new TerraformStack(app, 'platform');
const corp = new AzureadProvider(stack, 'corp', { alias: 'corp', tenantId: '00000000-0000-0000-0000-000000000000' });
new LocalProvider(stack, 'local');
new TimeProvider(stack, 'time');

const sso = new BotpressAzureSso(stack, 'botpress_sso', {
  botpressUrl: 'https://bots.example.com',
  baseConfig: readFileSync(configFile, 'utf8'),
  configFilePath: configFile, // absolute, or relative to cdktf.out/stacks/platform
  strategyName: 'corp',
  signInAudience: 'AzureADMyOrg',
  secretRotationDays: 90,
  providers: { azuread: corp },
});
new TerraformOutput(stack, 'client_id', { value: sso.clientId });
app.synth();
