import type { AccessOptions } from './validate-access';
import type { WorkspacesMerge } from '../botpress/workspaces-merge';
import { GRAPH_SCOPES } from '../entra/graph';

/** Who may sign in, in words (shared by `npm start` and the plan review). */
export function signInText(access: AccessOptions, id: (text: string) => string = (t) => t): string {
  if (!access.assignmentRequired) {
    const assigned = [...access.groups, ...access.users];
    return `anyone the sign-in audience admits (assignment not required)${assigned.length > 0 ? `; assignments declared anyway for ${assigned.map(id).join(', ')}` : ''}`;
  }
  const lists = [
    access.groups.length > 0 ? `groups ${access.groups.map(id).join(', ')}` : '',
    access.users.length > 0 ? `users ${access.users.map(id).join(', ')}` : '',
  ].filter(Boolean);
  return lists.length > 0
    ? `only assigned principals: ${lists.join('; ')} (Default Access role; Global Administrators bypass assignment)`
    : 'only assigned principals; assignment managed elsewhere (the Entra admin center), none declared here';
}

export function consentText(access: AccessOptions): string {
  return access.adminConsent
    ? `tenant-wide admin consent for ${GRAPH_SCOPES.join(' ')} (all users)`
    : 'not granted here (users consent themselves, unless the tenant forbids it)';
}

export function ownersText(access: AccessOptions, id: (text: string) => string = (t) => t): string {
  return access.owners.length > 0
    ? `${access.owners.map(id).join(', ')} (app registration and service principal)`
    : 'not managed here';
}

export function workspacesText(
  strategyName: string,
  workspaces: WorkspacesMerge,
  id: (text: string) => string = (t) => t,
): string {
  const list = (ids: readonly string[]) => ids.map(id).join(', ');
  const parts = [
    workspaces.added.length > 0 ? `adds "${strategyName}" to ${list(workspaces.added)}` : '',
    workspaces.removed.length > 0 ? `takes it out of ${list(workspaces.removed)}` : '',
  ].filter(Boolean);
  const listed = workspaces.listed.length > 0 ? `listed in ${list(workspaces.listed)}` : 'listed in no workspace';
  return parts.length > 0 ? `${parts.join(', ')} (then ${listed})` : `no change (${listed})`;
}

/** One line each for `npm start`. */
export function accessSummaryLines(
  sso: {
    readonly strategyName: string;
    readonly access: AccessOptions;
    readonly entra?: object;
    readonly workspaces?: WorkspacesMerge;
  },
  workspacesFile: string,
): string[] {
  const lines: string[] = [];
  if (sso.entra) {
    lines.push(`  Sign-in: ${signInText(sso.access)}`);
    lines.push(`  Admin consent: ${consentText(sso.access)}`);
    lines.push(`  Owners: ${ownersText(sso.access)}`);
  }
  lines.push(
    sso.workspaces
      ? `  workspaces.json: ${workspacesFile}: ${workspacesText(sso.strategyName, sso.workspaces)}`
      : '  workspaces.json: not managed (none beside the config file, or database storage)',
  );
  return lines;
}
