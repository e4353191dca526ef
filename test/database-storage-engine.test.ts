/**
 * botpressStorage "database": the env file, evaluated by a real OpenTofu, read the way Docker and
 * Kubernetes read it (test/support/env-files.ts), applied to the export the way Botpress 12 does
 * with lodash (test/support/botpress-env.ts), must give the config that disk mode renders for the
 * same inputs (with pro.enabled true, which the env file sets). Equal in meaning: same keys and
 * values, key order aside. Every case is synthesized in both modes and evaluated in ONE engine run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import _ from 'lodash';
import type { BotpressSsoStack } from '../constructs/botpress-sso-stack';
import { effectiveBotpressConfig } from './support/botpress-env';
import { parseDockerEnvFile, parseKubectlEnvFile } from './support/env-files';
import { EXAMPLE_CONFIG, HOSTILE_SECRET, TestSsoProps, synthStack } from './support/stacks';
import { EvaluatedFiles, describeWithEngine, evaluateFiles } from './support/tofu';

const CONFIG_PATH = '../../../botpress.config.json';
const ENV_PATH = '../../../botpress-sso.env';
const HOSTILE_CONFIG = readFileSync(path.join(__dirname, 'fixtures', 'hostile.botpress.config.json'), 'utf8');
const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT = '99999999-8888-4777-a666-555555555555';

/** Quotes, backslashes, template sequences, `=` and `#`, spaces at both ends, JSON look-alikes. */
const SECRETS = [
  HOSTILE_SECRET,
  '\\"',
  ' #not-a-comment=a==b \t',
  'Zq8~AbC.dEf_GhI-jKl0123456789mNoPqRsTuVwXyZ',
  '123',
  '{"a": [1, "x"]}',
  'C:\\new\\table\\u0041',
  'true',
];

const example = JSON.parse(EXAMPLE_CONFIG);
const json = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
const withConfig = (edit: (doc: any) => void) => {
  const doc = structuredClone(example);
  edit(doc);
  return json(doc);
};
/** An oauth2 entry with exactly the keys we render (as an earlier deploy or a careful admin left it). */
const sameShapeEntry = (name: string) => ({
  type: 'oauth2',
  allowSelfSignup: true,
  hidden: true,
  options: {
    authorizationURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    clientSecret: 'old-secret',
    clientID: 'old-client-id',
    callbackURL: `https://old.example.com/api/v1/auth/login-callback/oauth2/${name}`,
    scope: 'openid',
    userInfoURL: 'https://graph.microsoft.com/oidc/userinfo',
  },
  fieldMapping: { email: 'mail' },
});
const saml = {
  type: 'saml',
  allowSelfSignup: false,
  hidden: false,
  options: { entryPoint: 'https://idp.example.com/sso' },
};
const ldap = { type: 'ldap', allowSelfSignup: false, hidden: true, options: { url: 'ldap://ldap.example.com' } };

interface Case {
  readonly title: string;
  readonly export: string;
  readonly props?: TestSsoProps;
  /** `leftover`: the export keeps keys that variables cannot remove; the construct must say which. */
  readonly expect?: { readonly leftover: RegExp };
}

const CASES: Case[] = [
  { title: 'the example export', export: EXAMPLE_CONFIG },
  {
    title: 'the hostile export, a hostile label, a given tenant',
    export: HOSTILE_CONFIG,
    props: {
      label: 'Sign in "here" \\ ${x} %{y} # a=b é 😀',
      strategyName: 'corp_sso',
      tenantId: TENANT.replace('9', 'a'),
    },
  },
  {
    title: 'strategies and list in another order, a name with "-"',
    export: withConfig((d) => {
      d.authStrategies = { saml1: saml, default: d.authStrategies.default, ldap1: ldap };
      d.pro.collaboratorsAuthStrategies = ['saml1', 'default', 'ldap1'];
    }),
    props: { strategyName: 'my-sso', signInAudience: 'AzureADMultipleOrgs' },
  },
  {
    title: 'our strategy already stored and listed in the middle',
    export: withConfig((d) => {
      d.authStrategies = { azuread: sameShapeEntry('azuread'), default: d.authStrategies.default };
      d.pro.collaboratorsAuthStrategies = ['ldap1', 'azuread', 'default'];
      d.authStrategies.ldap1 = ldap;
    }),
  },
  {
    title: 'an empty list, no externalAuth',
    export: withConfig((d) => {
      d.pro.collaboratorsAuthStrategies = [];
      delete d.pro.externalAuth;
    }),
    props: { allowSelfSignup: true, cloud: 'usgovernment', tenantId: TENANT },
  },
  {
    title: 'a long list, externalAuth off with its own algorithms and key, pro off in the export',
    export: withConfig((d) => {
      d.pro.enabled = false;
      d.pro.collaboratorsAuthStrategies = ['x', 'y', 'default', 'z'];
      d.pro.externalAuth = { enabled: false, algorithms: ['RS256'], publicKey: 'key-text', audience: 'aud' };
    }),
    props: { strategyName: 'constructor' },
  },
  {
    title: 'an older same-name strategy with keys we do not render',
    export: withConfig((d) => {
      d.authStrategies.azuread = {
        ...sameShapeEntry('azuread'),
        label: 'Old label',
        options: { ...sameShapeEntry('azuread').options, jwtToken: { audience: 'old' } },
      };
      d.pro.collaboratorsAuthStrategies = ['azuread', 'default'];
    }),
    expect: {
      leftover:
        /keeps authStrategies\.azuread\.options\.jwtToken, authStrategies\.azuread\.label, which environment variables cannot remove/,
    },
  },
  { title: 'removal, strategy never stored', export: EXAMPLE_CONFIG, props: { enabled: false } },
  {
    title: 'removal, strategy stored by an earlier disk deploy',
    export: withConfig((d) => {
      d.authStrategies.azuread = sameShapeEntry('azuread');
      d.pro.collaboratorsAuthStrategies = ['default', 'azuread'];
    }),
    props: { enabled: false },
    expect: {
      leftover:
        /keeps pro\.collaboratorsAuthStrategies, authStrategies\.azuread, which environment variables cannot remove/,
    },
  },
];

const stacks = CASES.map((c, i) => {
  const common: TestSsoProps = { baseConfig: c.export, configFilePath: CONFIG_PATH, ...c.props };
  return {
    disk: synthStack(common),
    database: synthStack({
      ...common,
      botpressStorage: 'database',
      secretDelivery: { kind: 'environment', envFilePath: ENV_PATH },
    }),
    secret: SECRETS[i % SECRETS.length],
  };
});

describeWithEngine('botpressStorage "database": the env file gives the config disk mode renders', () => {
  let evaluated: EvaluatedFiles[];
  beforeAll(() => {
    evaluated = evaluateFiles(
      stacks.flatMap(({ disk, database, secret }) => {
        const values = { clientId: CLIENT_ID, clientSecret: secret, tenantId: TENANT };
        return [
          { stack: disk.json, values },
          { stack: database.json, values },
        ];
      }),
    );
  });

  it.each(CASES.map((c, i) => [c.title, i] as const))('%s', (_title, i) => {
    const c = CASES[i];
    const { database, secret } = stacks[i];
    const diskFile = evaluated[2 * i].files[CONFIG_PATH];
    const envText = evaluated[2 * i + 1].files[ENV_PATH];
    expect(Object.keys(evaluated[2 * i + 1].files)).toEqual([ENV_PATH]); // nothing writes the config
    // No guard, stage or installer for a file we do not write: only the env file's installer and guard.
    const placement = Object.keys(database.json.resource.terraform_data).filter(
      (id) => !/client_secret|secret_rotation/.test(id), // the client secret's rotation, not placement
    );
    expect(placement).toEqual([
      expect.stringMatching(/^sso_env_file_guard_/),
      expect.stringMatching(/^sso_rendered_env_file_install_/),
    ]);
    expect(JSON.stringify(database.json)).not.toContain('.botpress.config.json.botpress-sso');

    const docker = parseDockerEnvFile(envText);
    expect(parseKubectlEnvFile(envText)).toEqual(docker);
    const { config: effective, unread } = effectiveBotpressConfig(c.export, docker);
    expect(unread).toEqual([]);

    const enabled = c.props?.enabled ?? true;
    const disk = JSON.parse(diskFile);
    if (enabled) disk.pro.enabled = true;
    if (c.expect) {
      expect(stackOf(database).sso.warnings.join('\n')).toMatch(c.expect.leftover);
      expect(effective).toEqual(_.merge(JSON.parse(c.export), disk));
      expect(effective).not.toEqual(disk);
    } else {
      expect(stackOf(database).sso.warnings.join('\n')).not.toMatch(/cannot remove/);
      expect(effective).toEqual(disk);
    }
    if (enabled) {
      const name = c.props?.strategyName ?? 'azuread';
      expect(effective.authStrategies[name].options.clientSecret).toBe(secret);
      expect(docker.map(([k]) => k)).toEqual([
        'BP_CONFIG_PRO_ENABLED',
        'BP_CONFIG_AUTHSTRATEGIES',
        'BP_CONFIG_PRO_COLLABORATORSAUTHSTRATEGIES',
        ...(JSON.parse(c.export).pro.externalAuth?.enabled === true ? [] : ['BP_CONFIG_PRO_EXTERNALAUTH_ENABLED']),
        ...(JSON.parse(c.export).pro.externalAuth?.algorithms ? [] : ['BP_CONFIG_PRO_EXTERNALAUTH_ALGORITHMS']),
      ]);
    } else {
      expect(docker).toEqual([]);
      expect(envText).toMatch(/^# SSO is disabled/m);
    }
  });
});

function stackOf(synth: ReturnType<typeof synthStack>): BotpressSsoStack {
  return synth.stack;
}
