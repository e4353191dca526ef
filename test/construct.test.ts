import { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { File } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { createHash } from 'node:crypto';
import { SsoInputError } from '../constructs/input-error';
import { EXAMPLE_CONFIG, synthStack } from './support/stacks';
import { thrownBy } from './support/errors';

const CALLBACK = 'https://bots.example.com/api/v1/auth/login-callback/oauth2/azuread';

describe('BotpressAzureSso', () => {
  const { text, json, stack } = synthStack();
  const only = (type: string) => Object.values(json.resource[type] as Record<string, any>)[0];

  it('declares the app registration for the audience with ID tokens and v2 access tokens', () => {
    expect(text).toHaveResourceWithProperties(ApplicationRegistration, {
      display_name: 'Botpress SSO (test/sso)', // the construct's path: unique per app
      sign_in_audience: 'AzureADMyOrg',
      implicit_id_token_issuance_enabled: true,
      requested_access_token_version: 2,
      homepage_url: 'https://bots.example.com',
    });
  });

  it('registers the callback as the Web redirect URI of that application', () => {
    expect(text).toHaveResourceWithProperties(ApplicationRedirectUris, { type: 'Web', redirect_uris: [CALLBACK] });
    expect(only('azuread_application_redirect_uris').application_id).toMatch(
      /^\$\{azuread_application_registration\.\w+\.id\}$/,
    );
    expect(json.resource.azuread_application).toBeUndefined();
  });

  it('asks for the Graph delegated scopes openid, profile and email by name', () => {
    expect(text).toHaveDataSourceWithProperties(DataAzureadServicePrincipal, {
      client_id: '00000003-0000-0000-c000-000000000000',
    });
    const access = only('azuread_application_api_access');
    expect(access.api_client_id).toBe('00000003-0000-0000-c000-000000000000');
    expect(access.scope_ids).toEqual(
      ['openid', 'profile', 'email'].map((s) =>
        expect.stringMatching(new RegExp(`oauth2_permission_scope_ids\\["${s}"\\]`)),
      ),
    );
  });

  it('declares the service principal, and by default two alternating client secrets on a fixed schedule', () => {
    expect(text).toHaveResourceWithProperties(ServicePrincipal, {});
    expect(json.resource.time_rotating).toBeUndefined();
    const passwords = json.resource.azuread_application_password as Record<string, any>;
    const [a, b] = ['slot_a', 'slot_b'].map((slot) => Object.entries(passwords).find(([id]) => id.includes(slot))?.[1]);
    for (const [slot, password] of [
      ['a', a],
      ['b', b],
    ] as const) {
      expect(password.application_id).toMatch(/azuread_application_registration\.\w+\.id\}$/);
      expect(password.display_name).toBe('botpress-sso'); // as before: the upgrade keeps the secret Botpress holds
      expect(password.rotate_when_changed).toEqual({
        slot,
        generation: expect.stringMatching(/^\$\{tostring\(floor\(/),
      });
      // Only its generation re-issues a slot; never create_before_destroy (at most two passwords).
      expect(password.lifecycle).toEqual({
        ignore_changes: ['display_name', 'rotate_when_changed', 'end_date'],
        replace_triggered_by: [
          expect.stringMatching(new RegExp(`^terraform_data\\.sso_client_secret_slot_${slot}_generation_\\w+$`)),
        ],
      });
    }
    // The single secret of 0.2 (and of the restart mode) becomes the older slot, not replaced.
    expect(json.moved).toEqual([
      { from: 'azuread_application_password.sso_client_secret_BE09A6ED', to: expect.stringMatching(/slot_b/) },
    ]);
    const anchor = Object.entries(json.resource.terraform_data as Record<string, any>).find(([id]) =>
      id.includes('secret_rotation_anchor'),
    )?.[1];
    expect(anchor.lifecycle).toEqual({ ignore_changes: ['input'], prevent_destroy: true });
  });

  it('with a restart step: one client secret re-issued create-before-destroy at each rotation date', () => {
    const restarted = synthStack({ restart: { command: 'docker compose up -d botpress' } }).json;
    const password = Object.values(restarted.resource.azuread_application_password as Record<string, any>);
    expect(password).toHaveLength(1);
    expect(Object.keys(restarted.resource.azuread_application_password)).toEqual(['sso_client_secret_BE09A6ED']);
    expect(password[0].rotate_when_changed).toEqual({
      generation: expect.stringMatching(/^\$\{tostring\(local\.\w+\)\}$/),
    });
    expect(password[0].end_date).toMatch(
      /^\$\{timeadd\(local\.\w+, format\("%dh", \(\(local\.\w+ \+ 1\) \* 180 \+ 30\) \* 24\)\)\}$/,
    );
    expect(password[0].lifecycle).toEqual({ create_before_destroy: true });
    expect(restarted.moved).toBeUndefined();
  });

  it('restarts Botpress after the installers, when one of them replaced its file, and nothing waits for it', () => {
    const { json: restarted, text } = synthStack({
      secretDelivery: { kind: 'environment', envFilePath: '../../../bp.env' },
      envFileSha256: '', // as the app passes it: synthesis found no env file
      restart: { command: 'docker compose -f ${HOME}/bp.yml up -d botpress', timeoutSeconds: 90 },
    });
    const steps = Object.entries(restarted.resource.terraform_data as Record<string, any>);
    const [name, step] = steps.find(([id]) => id.startsWith('sso_restart_botpress_')) ?? [];
    const installer = (file: string) => steps.find(([id]) => id.startsWith(`sso_rendered_${file}_install_`))?.[0];
    expect(step.triggers_replace).toEqual({
      config: `\${terraform_data.${installer('config')}.triggers_replace.previous}`,
      env_file: `\${terraform_data.${installer('env_file')}.triggers_replace.previous}`,
    });
    // A library caller that does not tell what the env file holds: its installer runs, and the
    // restart follows, whenever the rendered content changes.
    const { json: unseen } = synthStack({
      secretDelivery: { kind: 'environment', envFilePath: '../../../bp.env' },
      restart: { command: 'true', timeoutSeconds: 90 },
    });
    const unseenSteps = Object.entries(unseen.resource.terraform_data as Record<string, any>);
    expect(unseenSteps.find(([id]) => id.startsWith('sso_restart_botpress_'))?.[1].triggers_replace.env_file).toBe(
      `\${terraform_data.${installer('env_file')}.triggers_replace.content}`,
    );
    const exec = step.provisioner[0]['local-exec'];
    expect(exec.interpreter.slice(0, 2)).toEqual(['node', '-e']);
    expect(exec.interpreter[2]).toContain('botpress-azure-sso:'); // the bundled program
    expect(exec.command).toBe('botpress-azure-sso restart step');
    expect(exec.environment).toEqual({
      // `${HOME}` for the shell, not Terraform (terraform-template.ts says why not `$${`)
      BPSSO_RESTART_COMMAND: 'docker compose -f ${"$"}{HOME}/bp.yml up -d botpress',
      BPSSO_RESTART_TIMEOUT_SECONDS: '90',
      BPSSO_AUTH_CONFIG_URL: 'https://bots.example.com/api/v1/admin/auth/config',
      BPSSO_STRATEGY: 'azuread',
      BPSSO_EXPECT: 'listed',
    });
    expect(step.lifecycle).toBeUndefined(); // a failed run taints it: the next deploy runs it again
    // Nothing refers to it: it is the last thing before a replaced secret is destroyed.
    expect(text.split(`terraform_data.${name}`).length).toBe(1);
    // Without restart, no step.
    expect(Object.keys(json.resource.terraform_data).some((id) => id.includes('restart'))).toBe(false);
  });

  it('uses the deploying credentials tenant when none is given', () => {
    expect(text).toHaveDataSourceWithProperties(DataAzureadClientConfig, {});
    expect(JSON.stringify(json.locals)).toContain('data.azuread_client_config.');
  });

  it("renders the config to a 0600 stage file in the deployer's folder, installed with the lost-update check", () => {
    const file = only('local_file');
    expect(file.filename).toBe('.botpress-sso/sso/config.stage'); // in cdktf.out/stacks/test: never Botpress's folder
    expect(file.file_permission).toBe('0600');
    const textLocal = /^\$\{local\.(\w+)\}$/.exec(file.content)?.[1] as string;
    expect(json.locals[textLocal]).toMatch(/^\$\{sensitive\(join\("", local\.\w+\)\)\}$/);
    const sha = createHash('sha256').update(EXAMPLE_CONFIG).digest('hex');
    const install = Object.entries(json.resource.terraform_data as Record<string, any>).find(([id]) =>
      id.includes('rendered_config_install'),
    )?.[1];
    expect(install.depends_on).toEqual([expect.stringMatching(/^local_file\./)]);
    expect(install.provisioner[0]['local-exec'].environment).toEqual({
      BPSSO_STAGE: '.botpress-sso/sso/config.stage',
      BPSSO_LIVE: '../../../botpress.config.json',
      BPSSO_RECEIPT: '.botpress-sso/sso/config.receipt',
      BPSSO_MODE: '',
      BPSSO_DEFAULT_MODE: '0600',
      BPSSO_EXPECT_SHA256: sha,
      BPSSO_NAME: 'botpress.config.json',
    });
    // The program, once per stack (the bundled installer of host/), as the interpreter's argument:
    // OpenTofu's error quotes only the command, the step's name.
    expect(install.provisioner[0]['local-exec'].interpreter).toEqual([
      'node',
      '-e',
      '${local.botpress_sso_install_program}',
    ]);
    expect(install.provisioner[0]['local-exec'].command).toBe('botpress-azure-sso install step');
    expect(json.locals.botpress_sso_install_program).toContain('// host/install-file.ts');
    // Nothing of Botpress's folder is read at plan time: no filesha256 or file() of the live path.
    expect(file.lifecycle).toBeUndefined();
    expect(install.lifecycle).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/filesha256|file\(\\"\.\.\//);
    expect(install.triggers_replace.previous).toBe(
      `\${"${sha}" == sha256(${textLocal.replace(/^/, 'local.')}) ? try(file(".botpress-sso/sso/config.receipt"), "") : sha256(join("", ["${sha}", try(file(".botpress-sso/sso/config.receipt"), "")]))}`,
    );
    expect(json.resource.local_sensitive_file).toBeUndefined();
    // A step that must follow each real install (a restart) triggers on this reference.
    const installId = Object.keys(json.resource.terraform_data).find((id) => id.includes('rendered_config_install'));
    expect(stack.sso.managedConfigFile?.replacementTrigger).toBe(
      `\${terraform_data.${installId}.triggers_replace.previous}`,
    );
  });

  it('guards the config file against destroy with a resource that never changes', () => {
    const guard = Object.entries(json.resource.terraform_data as Record<string, any>).find(([id]) =>
      id.includes('config_file_guard'),
    )?.[1];
    expect(guard.lifecycle).toEqual({ prevent_destroy: true });
    expect(guard.triggers_replace).toEqual({ filename: '../../../botpress.config.json' });
  });

  it('keeps the secret out of the synthesized JSON: only a reference to the passwords (the newer slot)', () => {
    const chosen = /\\"clientSecret\\": \$\{jsonencode\(local\.(\w+)\)\}/.exec(text)?.[1] as string;
    expect(json.locals[chosen]).toMatch(
      /^\$\{\(local\.\w+ % 2 == 0 \? azuread_application_password\.\w+_slot_a_\w+\.value : azuread_application_password\.\w+_slot_b_\w+\.value\)\}$/,
    );
    const restarted = synthStack({ restart: { command: 'true' } }).text;
    expect(restarted).toMatch(/\\"clientSecret\\": \$\{jsonencode\(azuread_application_password\.\w+\.value\)\}/);
  });

  it('uses relative state and file paths only', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.test.tfstate' } });
    expect(text).not.toContain(process.cwd());
  });

  it('exposes what other constructs need', () => {
    const { stack } = synthStack();
    expect(stack.sso.callbackUrl).toBe(CALLBACK);
    expect(stack.sso.entra?.application).toBeInstanceOf(ApplicationRegistration);
    expect(stack.sso.configFile).toBeInstanceOf(File);
    expect(stack.sso.configPreview).toContain('"clientSecret": "<client secret');
    expect(stack.sso.baseConfigSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('BotpressAzureSso options', () => {
  it('names the tenant and configures the provider for national clouds', () => {
    const { text, json } = synthStack({ tenantId: 'AAAAAAAA-1111-2222-3333-444444444444', cloud: 'usgovernment' });
    expect(text).toHaveProviderWithProperties(AzureadProvider, {
      environment: 'usgovernment',
      tenant_id: 'AAAAAAAA-1111-2222-3333-444444444444',
    });
    expect(json.data?.azuread_client_config).toBeUndefined();
    expect(JSON.stringify(json.locals)).toContain(
      'https://login.microsoftonline.us/aaaaaaaa-1111-2222-3333-444444444444/oauth2/v2.0/authorize',
    );
  });

  it('delivers the secret through an env file when asked, leaving the config plain', () => {
    const { stack, text, json } = synthStack({
      secretDelivery: { kind: 'environment', envFilePath: '../../../botpress-sso.env' },
    });
    const file = Object.values(json.resource.local_file as Record<string, any>)[0];
    expect(json.locals[/^\$\{local\.(\w+)\}$/.exec(file.content)?.[1] as string]).toMatch(
      /^\$\{join\("", local\.\w+\)\}$/,
    );
    const configLocals = Object.entries(json.locals).filter(([name]) => name.includes('botpress_config'));
    expect(configLocals).not.toEqual([]);
    expect(JSON.stringify(configLocals)).not.toMatch(/azuread_application_password|client_secret_value/);
    expect(text).toHaveResourceWithProperties(SensitiveFile, {
      filename: '.botpress-sso/sso/env.stage',
      file_permission: '0600',
    });
    const env = Object.values(json.resource.local_sensitive_file as Record<string, any>)[0];
    expect(json.locals[/^\$\{local\.(\w+)\}$/.exec(env.content)?.[1] as string]).toMatch(
      /\nBP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET=\$\{jsonencode\(local\.sso_client_secret_value_\w+\)\}\n$/,
    );
    expect(stack.sso.secretEnvironmentVariable).toBe('BP_CONFIG_AUTHSTRATEGIES_AZUREAD_OPTIONS_CLIENTSECRET');
  });

  it('declares no Entra resources when disabled, and still renders the file', () => {
    const { json, stack } = synthStack({ enabled: false });
    expect(Object.keys(json.resource).sort()).toEqual(['local_file', 'terraform_data']);
    expect(json.data).toBeUndefined();
    expect(stack.sso.configPreview).not.toContain('"azuread"');
  });

  it('imports a hand-made registration instead of duplicating it', () => {
    const app = '0f0f0f0f-1111-2222-3333-444444444444';
    const sp = '5a5a5a5a-1111-2222-3333-444444444444';
    const { json } = synthStack({ adopt: { applicationObjectId: app, servicePrincipalObjectId: sp } });
    const ids = (json.import as Array<{ id: string; to: string }>).map((i) => [i.to.split('.')[0], i.id]);
    expect(ids.sort()).toEqual(
      [
        ['azuread_application_api_access', `/applications/${app}/apiAccess/00000003-0000-0000-c000-000000000000`],
        ['azuread_application_redirect_uris', `/applications/${app}/redirectUris/Web`],
        ['azuread_application_registration', `/applications/${app}`],
        ['azuread_service_principal', `/servicePrincipals/${sp}`],
      ].sort(),
    );
  });

  it('uses the azurerm backend with a per-environment key', () => {
    const { json } = synthStack(
      {},
      { backend: { resourceGroupName: 'rg', storageAccountName: 'tfstate1', containerName: 'state' }, useOidc: true },
    );
    expect(json.terraform.backend).toEqual({
      azurerm: {
        resource_group_name: 'rg',
        storage_account_name: 'tfstate1',
        container_name: 'state',
        key: 'botpress-sso/test.tfstate',
        use_oidc: true,
        use_azuread_auth: true,
      },
    });
    expect(json.provider.azuread[0].use_oidc).toBe(true);
  });

  it('escapes template sequences in names and paths', () => {
    const { json } = synthStack({ displayName: 'Bots ${prod}', configFilePath: '../x/%{weird}/botpress.config.json' });
    expect(Object.values(json.resource.azuread_application_registration as Record<string, any>)[0].display_name).toBe(
      'Bots ${"$"}{prod}',
    );
    const install = Object.values(json.resource.terraform_data as Record<string, any>).find((r) => r.provisioner);
    expect(install.provisioner[0]['local-exec'].environment.BPSSO_LIVE).toBe('../x/${"%"}{weird}/botpress.config.json');
    expect(json.output.config_file.value).toBe('../x/${"%"}{weird}/botpress.config.json');
  });

  const invalid: Array<[string, object, RegExp]> = [
    ['a strategy name with a space', { strategyName: 'azure ad' }, /^strategyName = "azure ad": is not URL-safe/],
    [
      'a dash with environment delivery',
      { strategyName: 'azure-ad', secretDelivery: { kind: 'environment', envFilePath: 'x.env' } },
      /environment variable name.*"azure_ad"/s,
    ],
    [
      'a personal audience in a national cloud',
      { cloud: 'china', signInAudience: 'PersonalMicrosoftAccount' },
      /china cloud does not offer/,
    ],
    [
      'an unknown audience',
      { signInAudience: 'Everyone' },
      /signInAudience = "Everyone": is not an Entra sign-in audience/,
    ],
    ['an unknown cloud', { cloud: 'mars' }, /cloud = "mars"/],
    [
      'a tenant that is not a GUID',
      { tenantId: 'contoso.onmicrosoft.com' },
      /tenantId = "contoso.onmicrosoft.com": is not a GUID/,
    ],
    ['rotation of zero days', { secretRotationDays: 0 }, /^secretRotationDays = 0/],
    ['rotation beyond two years', { secretRotationDays: 731 }, /^secretRotationDays = 731/],
    ['an empty restart command', { restart: { command: ' ' } }, /^restart\.command = " ": is empty/],
    [
      'a restart timeout of 0',
      { restart: { command: 'true', timeoutSeconds: 0 } },
      /^restart\.timeoutSeconds = 0: is not a whole number of seconds from 1 to 3600/,
    ],
    [
      'a restart timeout over an hour',
      { restart: { command: 'true', timeoutSeconds: 3601 } },
      /^restart\.timeoutSeconds = 3601/,
    ],
    [
      'a restart that is not an object',
      { restart: 'docker compose up -d' },
      /^restart = "docker compose up -d": is not an object/,
    ],
    [
      'an http URL',
      { botpressUrl: 'http://bots.example.com' },
      /botpressUrl = "http:\/\/bots.example.com": is not an https URL/,
    ],
    [
      'a broken config file',
      { baseConfig: '{\n  "pro": {,\n}' },
      /^baseConfig = "line 2, column 11": is not valid JSON/,
    ],
  ];
  it.each(invalid)('refuses %s with a message that names the field and the fix', (_name, props, message) => {
    const error = thrownBy(() => synthStack(props)) as SsoInputError;
    expect(error).toBeInstanceOf(SsoInputError);
    // Errors name the construct they are about (an app may hold several), then the field.
    expect(error.construct).toBe('test/sso');
    expect(error.message.startsWith('test/sso: ')).toBe(true);
    expect(error.message.slice('test/sso: '.length)).toMatch(message);
    expect(error.message).toMatch(/\n {2}Fix: \S/);
  });
});

describe('BotpressAzureSso warnings', () => {
  it('warns about an earlier name of the strategy left in the file, with its secret, and not about others', () => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    const callback = (name: string) => `https://bots.example.com/api/v1/auth/login-callback/oauth2/${name}`;
    const oauth2 = (name: string, authorizationURL: string) => ({
      type: 'oauth2',
      allowSelfSignup: false,
      hidden: false,
      options: {
        authorizationURL,
        tokenURL: 'https://x/token',
        clientSecret: 's',
        clientID: 'c',
        callbackURL: callback(name),
        scope: 'openid',
      },
    });
    config.authStrategies.old_sso = oauth2('old_sso', 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize');
    config.authStrategies.github = oauth2('github', 'https://github.com/login/oauth/authorize');
    const warnings = synthStack({ baseConfig: JSON.stringify(config) }).stack.sso.warnings.join('\n');
    expect(warnings).toMatch(
      /baseConfig at authStrategies\.old_sso is an oauth2 strategy for this Botpress and Microsoft's sign-in.*\[BPSSO-W012\]/,
    );
    expect(warnings).not.toMatch(/github/);
  });

  it('warns that plans show other secrets of the file when the secret goes to an env file', () => {
    const { stack } = synthStack({ secretDelivery: { kind: 'environment', envFilePath: 'bp.env' } });
    expect(stack.sso.warnings.join('\n')).toMatch(/other secrets \(appSecret, pro\.licenseKey\)/);
    expect(synthStack().stack.sso.warnings).toEqual([]);
  });
});
