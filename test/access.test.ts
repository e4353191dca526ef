/**
 * Access control (issue 11), synthesized: who may sign in, admin consent, owners, the replication
 * wait, imports, workspaces.json declared or left alone, and the input errors. What the engine
 * evaluates (the rendered workspaces.json) is in workspaces-engine.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationOwner } from '@cdktf/provider-azuread/lib/application-owner';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { accessSummaryLines } from '../constructs/private/access-summary';
import { SsoInputError, SsoInputErrors } from '../constructs/input-error';
import { defineStacks } from '../app/define-stacks';
import { loadSettings } from '../app/load-settings';
import { EXAMPLE_CONFIG, TestSsoProps, synthStack } from './support/stacks';
import { thrownBy } from './support/errors';

const GROUP = '0a0a0a0a-1111-4222-8333-444444444444';
const GROUP_2 = '0b0b0b0b-1111-4222-8333-444444444444';
const USER = '1c1c1c1c-1111-4222-8333-444444444444';
const OWNER = '2d2d2d2d-1111-4222-8333-444444444444';
const OWNER_2 = '2e2e2e2e-1111-4222-8333-444444444444';
const APP = '3f3f3f3f-1111-4222-8333-444444444444';
const SP = '4a4a4a4a-1111-4222-8333-444444444444';
const WORKSPACES = JSON.stringify([
  { id: 'default', authStrategies: ['default'] },
  { id: 'sales', authStrategies: ['default'] },
]);
const WORKSPACES_PATH = '../../../workspaces.json';

type Resources = Record<string, Record<string, any>>;
const resources = (json: Record<string, any>, type: string): Record<string, any> =>
  (json.resource as Resources)[type] ?? {};
const one = (json: Record<string, any>, type: string) => {
  const all = Object.values(resources(json, type));
  expect(all).toHaveLength(1);
  return all[0];
};
const SLEEP_SP = /^\$\{time_sleep\.\w+\.triggers\.service_principal_object_id\}$/;

describe('access: who may sign in', () => {
  it('declares nothing new without access settings', () => {
    const { json } = synthStack();
    for (const type of [
      'azuread_app_role_assignment',
      'azuread_service_principal_delegated_permission_grant',
      'azuread_application_owner',
      'time_sleep',
    ]) {
      expect(resources(json, type)).toEqual({});
    }
    const sp = one(json, 'azuread_service_principal');
    expect(sp.app_role_assignment_required).toBeUndefined();
    expect(sp.owners).toBeUndefined();
    expect(Object.keys(resources(json, 'local_file'))).toHaveLength(1);
  });

  it('requires assignment and assigns the default access role to each group and user, after the replication wait', () => {
    const { text, json, stack } = synthStack({ access: { groups: [GROUP, GROUP_2], users: [USER.toUpperCase()] } });
    expect(one(json, 'azuread_service_principal').app_role_assignment_required).toBe(true);
    const assignments = Object.values(resources(json, 'azuread_app_role_assignment'));
    expect(assignments.map((a) => a.principal_object_id)).toEqual([GROUP, GROUP_2, USER]); // ids lower-cased
    for (const a of assignments) {
      expect(a.app_role_id).toBe('00000000-0000-0000-0000-000000000000');
      expect(a.resource_object_id).toMatch(SLEEP_SP);
    }
    // Assignment required disables user consent: admin consent is on by default.
    expect(text).toHaveResourceWithProperties(ServicePrincipalDelegatedPermissionGrant, {
      claim_values: ['openid', 'profile', 'email'],
    });
    const grant = one(json, 'azuread_service_principal_delegated_permission_grant');
    expect(grant.service_principal_object_id).toMatch(SLEEP_SP);
    expect(grant.resource_service_principal_object_id).toMatch(
      /^\$\{data\.azuread_service_principal\.\w*microsoft_graph\w*\.object_id\}$/,
    );
    expect(grant.user_object_id).toBeUndefined();
    expect(text).toHaveResourceWithProperties(Sleep, { create_duration: '30s' });
    expect(one(json, 'time_sleep').triggers).toEqual({
      application_id: expect.stringMatching(/^\$\{azuread_application_registration\.\w+\.id\}$/),
      service_principal_object_id: expect.stringMatching(/^\$\{azuread_service_principal\.\w+\.object_id\}$/),
    });
    expect(stack.sso.access).toMatchObject({
      assignmentRequired: true,
      adminConsent: true,
      groups: [GROUP, GROUP_2],
      users: [USER],
    });
    expect(stack.sso.warnings).toEqual([]);
  });

  it('keeps each assignment and owner under an id derived from the object id: reordering replaces nothing', () => {
    const keys = (props: TestSsoProps) => {
      const { json } = synthStack(props);
      return [
        ...Object.keys(resources(json, 'azuread_app_role_assignment')),
        ...Object.keys(resources(json, 'azuread_application_owner')),
      ].sort();
    };
    const forward = keys({ access: { groups: [GROUP, GROUP_2], users: [USER] }, owners: [OWNER, OWNER_2] });
    const reversed = keys({ access: { groups: [GROUP_2, GROUP], users: [USER] }, owners: [OWNER_2, OWNER] });
    expect(reversed).toEqual(forward);
    expect(forward.some((k) => k.includes(GROUP.replace(/-/g, '_')))).toBe(true);
    // Moving a principal between the lists keeps its assignment too.
    expect(keys({ access: { users: [GROUP, GROUP_2, USER] }, owners: [OWNER, OWNER_2] })).toEqual(forward);
  });

  it('requires assignment with empty lists when asked (assignments managed in the portal)', () => {
    const { json, stack } = synthStack({ access: { assignmentRequired: true } });
    expect(one(json, 'azuread_service_principal').app_role_assignment_required).toBe(true);
    expect(resources(json, 'azuread_app_role_assignment')).toEqual({});
    one(json, 'azuread_service_principal_delegated_permission_grant');
    expect(stack.sso.access.adminConsent).toBe(true);
  });

  it('leaves assignment off when asked, even with lists', () => {
    const { json } = synthStack({ access: { groups: [GROUP], assignmentRequired: false } });
    expect(one(json, 'azuread_service_principal').app_role_assignment_required).toBeUndefined();
    expect(Object.keys(resources(json, 'azuread_app_role_assignment'))).toHaveLength(1);
    expect(resources(json, 'azuread_service_principal_delegated_permission_grant')).toEqual({});
  });

  it('warns when admin consent is off while assignment is required, and declares no grant', () => {
    const { json, stack } = synthStack({ access: { groups: [GROUP] }, adminConsent: false });
    expect(resources(json, 'azuread_service_principal_delegated_permission_grant')).toEqual({});
    expect(stack.sso.warnings.join('\n')).toMatch(
      /adminConsent is false while access\.assignmentRequired is true.*AADSTS65001/,
    );
  });

  it('grants admin consent alone, without requiring assignment', () => {
    const { json, text } = synthStack({ adminConsent: true });
    expect(one(json, 'azuread_service_principal').app_role_assignment_required).toBeUndefined();
    expect(text).toHaveResourceWithProperties(ServicePrincipalDelegatedPermissionGrant, {
      claim_values: ['openid', 'profile', 'email'],
    });
    one(json, 'time_sleep');
  });

  it('adds each owner to the registration (after the wait) and to the service principal', () => {
    const { json, text } = synthStack({ owners: [OWNER, OWNER_2] });
    expect(one(json, 'azuread_service_principal').owners).toEqual([OWNER, OWNER_2]);
    const owners = Object.values(resources(json, 'azuread_application_owner'));
    expect(owners.map((o) => o.owner_object_id)).toEqual([OWNER, OWNER_2]);
    for (const o of owners) expect(o.application_id).toMatch(/^\$\{time_sleep\.\w+\.triggers\.application_id\}$/);
    expect(text).toHaveResourceWithProperties(ApplicationOwner, { owner_object_id: OWNER });
    expect(text).not.toHaveResource(AppRoleAssignment);
    expect(resources(json, 'azuread_service_principal_delegated_permission_grant')).toEqual({});
  });

  it('declares no access resources when SSO is disabled', () => {
    const { json } = synthStack({ enabled: false, access: { groups: [GROUP] }, owners: [OWNER], adminConsent: false });
    expect(Object.keys(json.resource).sort()).toEqual(['local_file', 'terraform_data']);
  });

  it('imports the assignments, the grant and the owners that adopt names', () => {
    const { json } = synthStack({
      access: { groups: [GROUP], users: [USER] },
      owners: [OWNER, OWNER_2],
      adopt: {
        applicationObjectId: APP,
        servicePrincipalObjectId: SP,
        appRoleAssignments: { [GROUP.toUpperCase()]: 'AbC-123_xyz0' },
        delegatedPermissionGrantId: 'grant-Id_0123456789',
        owners: [OWNER_2],
      },
    });
    const imports = (json.import as Array<{ id: string; to: string }>).map((i) => [i.to.split('.')[0], i.id]);
    expect(imports).toEqual(
      expect.arrayContaining([
        ['azuread_app_role_assignment', `/servicePrincipals/${SP}/appRoleAssignedTo/AbC-123_xyz0`],
        ['azuread_service_principal_delegated_permission_grant', '/oauth2PermissionGrants/grant-Id_0123456789'],
        ['azuread_application_owner', `/applications/${APP}/owners/${OWNER_2}`],
      ]),
    );
    expect(imports).toHaveLength(4 + 3);
    const assignmentImport = (json.import as Array<{ id: string; to: string }>).find((i) =>
      i.to.startsWith('azuread_app_role_assignment'),
    );
    expect(assignmentImport?.to).toContain(GROUP.replace(/-/g, '_'));
  });
});

describe('access: workspaces.json declared or left alone', () => {
  const withWorkspaces = (props: TestSsoProps) =>
    synthStack({ workspacesConfig: WORKSPACES, workspacesFilePath: WORKSPACES_PATH, ...props });
  // The installer of workspaces.json (constructs/placement/managed-file.ts): it carries the lost-update check.
  const workspacesFile = (json: Record<string, any>) =>
    Object.values(resources(json, 'terraform_data')).find(
      (r) => r.provisioner?.[0]['local-exec'].environment.BPSSO_LIVE === WORKSPACES_PATH,
    );

  it('leaves the file as it is, byte for byte, when the settings name no workspaces, yet keeps it declared', () => {
    const { json, stack } = withWorkspaces({});
    expect(workspacesFile(json)).toBeDefined(); // never drops out of a stack that managed it
    expect(stack.sso.workspaces).toMatchObject({ added: [], removed: [], changed: false, preview: WORKSPACES });
    expect(stack.sso.warnings).toEqual([]);
  });

  it('declares nothing for workspaces.json when there is none', () => {
    const { json, stack } = synthStack({});
    expect(stack.sso.workspaces).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('workspaces');
  });

  it('writes it with the lost-update check and a destroy guard when workspaces are named', () => {
    const { json, stack } = withWorkspaces({ workspaces: ['sales'] });
    const file = workspacesFile(json);
    const stage = Object.values(resources(json, 'local_file')).find(
      (f) => f.filename === '.botpress-sso/sso/workspaces.stage',
    );
    const text = json.locals[/^\$\{local\.(\w+)\}$/.exec(stage.content)?.[1] as string];
    expect(text).toMatch(/^\$\{join\("", local\.\w+\)\}$/); // nothing secret: plans show it
    expect(file.provisioner[0]['local-exec'].environment).toEqual(
      expect.objectContaining({
        BPSSO_EXPECT_SHA256: createHash('sha256').update(WORKSPACES).digest('hex'),
        BPSSO_NAME: 'workspaces.json',
        BPSSO_RECEIPT: '.botpress-sso/sso/workspaces.receipt',
      }),
    );
    const guards = Object.values(resources(json, 'terraform_data')).flatMap((g) => g.triggers_replace?.filename ?? []);
    expect(guards).toEqual(['../../../botpress.config.json', WORKSPACES_PATH]);
    expect(stack.sso.workspaces).toMatchObject({
      added: ['sales'],
      removed: [],
      listed: ['sales'],
      changed: true,
    });
  });

  it('keeps a file that lists the strategy as it is when the setting is gone', () => {
    const listed = JSON.stringify([{ id: 'default', authStrategies: ['default', 'azuread'] }]);
    const { json, stack } = synthStack({ workspacesConfig: listed, workspacesFilePath: WORKSPACES_PATH });
    expect(workspacesFile(json)).toBeDefined();
    expect(stack.sso.workspaces).toMatchObject({
      added: [],
      removed: [],
      listed: ['default'],
      changed: false,
      preview: listed,
    });
  });

  it('takes the strategy out of every workspace with enabled: false', () => {
    const listed = JSON.stringify([{ id: 'default', authStrategies: ['default', 'azuread'] }]);
    const { stack } = synthStack({
      enabled: false,
      workspaces: ['default'],
      workspacesConfig: listed,
      workspacesFilePath: WORKSPACES_PATH,
    });
    expect(stack.sso.workspaces).toMatchObject({ added: [], removed: ['default'], listed: [] });
  });
});

describe('access: bad input', () => {
  const invalid: Array<[string, TestSsoProps, RegExp]> = [
    [
      'a group that is not a GUID',
      { access: { groups: ['Botpress Admins'] } },
      /^access\.groups\.0 = "Botpress Admins": is not an object id \(a GUID\)/,
    ],
    [
      'a user given by e-mail',
      { access: { users: [USER, 'ann@example.com'] } },
      /^access\.users\.1 = "ann@example\.com": is not an object id/,
    ],
    [
      'a group listed twice',
      { access: { groups: [GROUP, GROUP.toUpperCase()] } },
      /^access\.groups\.1 = "0A0A0A0A-.*": is listed twice \(also at access\.groups\.0\)/,
    ],
    [
      'a principal in both lists',
      { access: { groups: [GROUP], users: [GROUP] } },
      /^access\.users\.0 = ".*": is listed twice \(also at access\.groups\.0\)/,
    ],
    [
      'an owner listed twice',
      { owners: [OWNER, OWNER] },
      /^owners\.1 = ".*": is listed twice \(also at owners\.0\).*an owner is added once/s,
    ],
    [
      'an owner that is not a GUID',
      { owners: ['admin@example.com'] },
      /^owners\.0 = "admin@example\.com": is not an object id/,
    ],
    [
      'an unknown workspace',
      { workspaces: ['sales', 'support'], workspacesConfig: WORKSPACES, workspacesFilePath: WORKSPACES_PATH },
      /^workspaces\.1 = "support": is not a workspace in Botpress's workspaces\.json.*use one of "default", "sales"/s,
    ],
    [
      'a workspace listed twice',
      { workspaces: ['sales', 'sales'], workspacesConfig: WORKSPACES, workspacesFilePath: WORKSPACES_PATH },
      /^workspaces\.1 = "sales": is listed twice/,
    ],
    [
      'workspaces without the file',
      { workspaces: ['default'] },
      /^workspaces = \["default"\]: needs Botpress's data\/global\/workspaces\.json/,
    ],
    [
      'a workspaces file that is not JSON',
      { workspaces: ['default'], workspacesConfig: '[{"id": }]', workspacesFilePath: WORKSPACES_PATH },
      /^workspacesConfig = "line 1, column 9": is not valid JSON/,
    ],
    [
      'workspaces.json text without its path',
      { workspaces: ['default'], workspacesConfig: WORKSPACES },
      /^workspacesFilePath = \(missing\): is required with workspacesConfig/,
    ],
    [
      'a workspaces file that is an object',
      { workspaces: ['default'], workspacesConfig: '{}', workspacesFilePath: WORKSPACES_PATH },
      /must hold a JSON array of workspaces/,
    ],
    [
      'a workspace without authStrategies',
      { workspaces: ['x'], workspacesConfig: '[{"id": "x"}]', workspacesFilePath: WORKSPACES_PATH },
      /at 0\.authStrategies = \(missing\): is missing in workspace "x"/,
    ],
    [
      'an assignment import without the service principal',
      {
        access: { groups: [GROUP] },
        adopt: { applicationObjectId: APP, appRoleAssignments: { [GROUP]: 'abcdefghijkl' } },
      },
      /^adopt\.appRoleAssignments = .*needs adopt\.servicePrincipalObjectId/,
    ],
    [
      'an assignment import for a principal not in access',
      {
        access: { groups: [GROUP] },
        adopt: {
          applicationObjectId: APP,
          servicePrincipalObjectId: SP,
          appRoleAssignments: { [USER]: 'abcdefghijkl' },
        },
      },
      /^adopt\.appRoleAssignments\.1c1c.*in neither access\.groups nor access\.users/,
    ],
    [
      'a grant import without admin consent',
      { adopt: { applicationObjectId: APP, delegatedPermissionGrantId: 'abcdefghijkl' } },
      /^adopt\.delegatedPermissionGrantId = "abcdefghijkl": names a grant to import, but adminConsent is false/,
    ],
    [
      'an owner import that is not an owner',
      { owners: [OWNER], adopt: { applicationObjectId: APP, owners: [OWNER_2] } },
      /^adopt\.owners\.0 = "2e2e.*": is not in owners/,
    ],
  ];
  it.each(invalid)('refuses %s, naming the field, the value and the fix', (_name, props, message) => {
    const error = thrownBy(() => synthStack(props)) as SsoInputError;
    expect(error).toBeInstanceOf(SsoInputError);
    // Errors name the construct they are about (an app may hold several), then the field.
    expect(error.construct).toBe('test/sso');
    expect(error.message.startsWith('test/sso: ')).toBe(true);
    expect(error.message.slice('test/sso: '.length)).toMatch(message);
    expect(error.message).toMatch(/\n {2}Fix: \S/);
  });
});

describe('access: settings file', () => {
  function project(environment: object, files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-access-'));
    writeFileSync(
      path.join(dir, 'botpress-sso.json'),
      JSON.stringify({
        environments: {
          prod: { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json', ...environment },
        },
      }),
    );
    for (const [name, content] of Object.entries({ 'bp/botpress.config.json': EXAMPLE_CONFIG, ...files })) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }
  const message = (dir: string) => {
    const error = thrownBy(() =>
      defineStacks(new App({ outdir: path.join(dir, 'cdktf.out') }), loadSettings('botpress-sso.json', dir), dir),
    );
    if (!(error instanceof SsoInputError || error instanceof SsoInputErrors)) throw error;
    return error.message;
  };

  it.each([
    [
      'a group that is not a GUID',
      { access: { groups: ['admins'] } },
      {},
      /environments\.prod\.access\.groups\.0 = "admins": does not have the expected form.*Fix: use an object id \(GUID\)/s,
    ],
    [
      'an unknown access key',
      { access: { group: [GROUP] } },
      {},
      /environments\.prod\.access\.group = .*did you mean "groups"/s,
    ],
    ['an owner listed twice', { owners: [OWNER, OWNER] }, {}, /environments\.prod\.owners\.1 = ".*": is listed twice/],
    [
      'an unknown workspace',
      { workspaces: ['nope'] },
      { 'bp/workspaces.json': WORKSPACES },
      /environments\.prod\.workspaces\.0 = "nope": is not a workspace.*"default", "sales"/s,
    ],
    [
      'workspaces without the file',
      { workspaces: ['default'] },
      {},
      /environments\.prod\.workspaces = \["default"\]: needs Botpress's data\/global\/workspaces\.json/,
    ],
  ])('refuses %s with the environment in the field', (_name, environment, files, expected) => {
    expect(message(project(environment, files))).toMatch(expected);
  });

  it('reads workspaces.json from beside the config file and writes it there', () => {
    const dir = project({ workspaces: ['sales'] }, { 'bp/workspaces.json': WORKSPACES });
    const loaded = loadSettings('botpress-sso.json', dir);
    expect(loaded.environments[0].workspacesFile).toBe(path.join(dir, 'bp', 'workspaces.json'));
    const [stack] = defineStacks(new App({ outdir: path.join(dir, 'cdktf.out') }), loaded, dir);
    expect(stack.sso.workspaces?.file.path).toBe('../../../bp/workspaces.json');
  });
});

describe('access: npm start summary', () => {
  it('says who may sign in, consent, owners and the workspaces change in one line each', () => {
    const { stack } = synthStack({
      access: { groups: [GROUP], users: [USER] },
      owners: [OWNER],
      workspaces: ['sales'],
      workspacesConfig: WORKSPACES,
      workspacesFilePath: WORKSPACES_PATH,
    });
    expect(accessSummaryLines(stack.sso, '/srv/bp/data/global/workspaces.json')).toEqual([
      `  Sign-in: only assigned principals: groups ${GROUP}; users ${USER} (Default Access role; Global Administrators bypass assignment)`,
      '  Admin consent: tenant-wide admin consent for openid profile email (all users)',
      `  Owners: ${OWNER} (app registration and service principal)`,
      '  workspaces.json: /srv/bp/data/global/workspaces.json: adds "azuread" to sales (then listed in sales)',
    ]);
  });

  it('leaves out the Entra lines when SSO is disabled', () => {
    const { stack } = synthStack({ enabled: false });
    expect(accessSummaryLines(stack.sso, 'workspaces.json')).toEqual([
      '  workspaces.json: not managed (none beside the config file, or database storage)',
    ]);
  });
});
