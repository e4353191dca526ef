/** The plan review's access control part and the workspaces.json diff (issue 11). */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettings } from '../app/load-settings';
import { renderPlanReview } from '../scripts/plan-review';
import { EXAMPLE_CONFIG } from './support/stacks';

const GROUP = '0a0a0a0a-1111-4222-8333-444444444444';
const USER = '1c1c1c1c-1111-4222-8333-444444444444';
const OWNER = '2d2d2d2d-1111-4222-8333-444444444444';
const APP = '3f3f3f3f-1111-4222-8333-444444444444';
const SP = '4a4a4a4a-1111-4222-8333-444444444444';
const WORKSPACE_SECRET = 'WS-WEBHOOK-SECRET-9f8e7d6c';
const WORKSPACES = `${JSON.stringify(
  [
    { id: 'default', name: 'Default', authStrategies: ['default'] },
    { id: 'sales', name: 'Sales', integrations: { apiKey: WORKSPACE_SECRET }, authStrategies: ['default', 'azuread'] },
    { id: 'support', name: 'Support', authStrategies: ['default'] },
  ],
  null,
  2,
)}\n`;

function review(environments: Record<string, object>, workspaces: string | undefined = WORKSPACES): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-review-access-'));
  mkdirSync(path.join(dir, 'bp'));
  writeFileSync(path.join(dir, 'bp', 'botpress.config.json'), EXAMPLE_CONFIG);
  if (workspaces !== undefined) writeFileSync(path.join(dir, 'bp', 'workspaces.json'), workspaces);
  const settings = Object.fromEntries(
    Object.entries(environments).map(([name, env]) => [
      name,
      { botpressUrl: 'https://bots.example.com', configFile: 'bp/botpress.config.json', ...env },
    ]),
  );
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ environments: settings }));
  const text = renderPlanReview(loadSettings('settings.json', dir), { projectDir: dir });
  // Synthesis and review read, never write.
  if (workspaces !== undefined) expect(readFileSync(path.join(dir, 'bp', 'workspaces.json'), 'utf8')).toBe(workspaces);
  return text;
}

const diffOf = (text: string, file: string) => {
  const start = text.indexOf(`--- a/${file}`);
  expect(start).toBeGreaterThan(0);
  return text.slice(start, text.indexOf('\n```', start));
};

describe('plan review: access control', () => {
  it('shows who may sign in, consent, owners, the replication wait and the workspaces change with a redacted diff', () => {
    const text = review({
      prod: { access: { groups: [GROUP], users: [USER] }, owners: [OWNER], workspaces: ['default'] },
    });
    expect(text).toContain('**Access control**:');
    expect(text).toContain(
      `- Who may sign in: only assigned principals: groups \`${GROUP}\`; users \`${USER}\` (Default Access role; Global Administrators bypass assignment)`,
    );
    expect(text).toContain('- Admin consent: tenant-wide admin consent for openid profile email (all users)');
    expect(text).toContain(`- Owners: \`${OWNER}\` (app registration and service principal)`);
    expect(text).toMatch(/- Replication wait: `time_sleep` of 30s after the app registration and service principal/);
    expect(text).toContain(
      '**`bp/workspaces.json`**: adds "azuread" to `default`, takes it out of `sales` (then listed in `default`).',
    );
    const diff = diffOf(text, 'bp/workspaces.json');
    expect(diff).toContain('-      "default"\n+      "default",\n+      "azuread"');
    expect(diff).toContain('-      "default",\n-      "azuread"\n+      "default"');
    expect(diff).toContain('"apiKey": "<redacted>"');
    expect(text).not.toContain(WORKSPACE_SECRET);
  });

  it('says when assignment is managed elsewhere, when consent is off, and that the file does not change without workspaces', () => {
    const text = review(
      { prod: { access: { assignmentRequired: true }, adminConsent: false } },
      WORKSPACES.replace(/"azuread"/g, '"other"'),
    );
    expect(text).toContain(
      '- Who may sign in: only assigned principals; assignment managed elsewhere (the Entra admin center), none declared here',
    );
    expect(text).toContain('- Admin consent: not granted here');
    expect(text).toMatch(/adminConsent is false while access\.assignmentRequired is true.*AADSTS65001/);
    expect(text).toMatch(/workspaces\.json`\*\*: no change \(listed in no workspace\)\./);
  });

  it('without access settings: anyone the audience admits, nothing waited for', () => {
    const text = review({ prod: {} }, undefined);
    expect(text).toContain('- Who may sign in: anyone the sign-in audience admits (assignment not required)');
    expect(text).toContain('- Owners: not managed here');
    expect(text).not.toContain('Replication wait');
  });

  it('lists the imports that adopt names', () => {
    const text = review({
      prod: {
        access: { groups: [GROUP] },
        owners: [OWNER],
        adopt: {
          applicationObjectId: APP,
          servicePrincipalObjectId: SP,
          appRoleAssignments: { [GROUP]: 'assignment-id-0123' },
          delegatedPermissionGrantId: 'grant-id-0123456',
          owners: [OWNER],
        },
      },
    });
    expect(text).toContain(
      `- Imported instead of created: assignment of \`${GROUP}\` from \`/servicePrincipals/${SP}/appRoleAssignedTo/assignment-id-0123\`; admin consent grant from \`/oauth2PermissionGrants/grant-id-0123456\`; owner \`${OWNER}\` from \`/applications/${APP}/owners/${OWNER}\``,
    );
  });

  it('shows the removal from every workspace when SSO is disabled', () => {
    const text = review({ prod: { enabled: false, workspaces: ['sales'] } });
    expect(text).not.toContain('**Access control**');
    expect(text).toContain('**`bp/workspaces.json`**: takes it out of `sales` (then listed in no workspace).');
    expect(diffOf(text, 'bp/workspaces.json')).toContain('-      "default",\n-      "azuread"\n+      "default"');
  });
});
