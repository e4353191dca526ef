/**
 * The plan review's access control part: who may sign in, admin consent, owners, the replication
 * wait, imports named in `adopt`, and the workspaces.json change with its diff (redacted like
 * the main diff).
 */
import * as path from 'node:path';
import {
  type BotpressAzureSso,
  consentText,
  ownersText,
  parseJson,
  REPLICATION_WAIT,
  signInText,
  workspacesText,
} from '../../constructs/internal';
import { code, fenced } from './markdown';
import { redactedDiff } from './redacted-diff';

export interface AccessReview {
  /** Secret values found in workspaces.json (unlikely, but scrubbed like the config's). */
  readonly secrets: readonly string[];
  /** Lines for the Entra part (empty when SSO is disabled). */
  entraLines(): string[];
  /** Lines for workspaces.json, with its diff when `includeDiff`. */
  fileLines(includeDiff: boolean): string[];
}

export function reviewAccess(
  sso: BotpressAzureSso,
  workspacesConfig: string | undefined,
  workspacesFile: string,
  projectDir: string,
): AccessReview {
  const shown = path.relative(projectDir, workspacesFile).split(path.sep).join('/') || workspacesFile;
  const access = sso.access;

  const diff =
    sso.workspaces && workspacesConfig !== undefined
      ? redactedDiff(shown, parseJson(workspacesConfig), parseJson(sso.workspaces.preview))
      : undefined;
  const patch = diff?.patch ?? '';
  const secrets = diff?.secrets ?? [];

  const entraLines = (): string[] => {
    if (!sso.entra) return [];
    const resources = sso.entra.access;
    const out = [
      '**Access control**:',
      '',
      `- Who may sign in: ${signInText(access, code)}`,
      `- Admin consent: ${consentText(access)}`,
      `- Owners: ${ownersText(access, code)}`,
    ];
    if (resources) {
      out.push(
        `- Replication wait: ${code(`time_sleep`)} of ${REPLICATION_WAIT} after the app registration and service principal are created (or replaced), before the assignments, consent and owners refer to them; it works around the azuread provider reading fresh objects back too early`,
      );
    }
    const imports = [
      ...[...access.imports.assignments].map(([principal, id]) => `assignment of ${code(principal)} from ${code(id)}`),
      ...(access.imports.grant ? [`admin consent grant from ${code(access.imports.grant)}`] : []),
      ...[...access.imports.owners].map(([owner, id]) => `owner ${code(owner)} from ${code(id)}`),
    ];
    if (imports.length > 0) out.push(`- Imported instead of created: ${imports.join('; ')}`);
    out.push('');
    return out;
  };

  const fileLines = (includeDiff: boolean): string[] => {
    if (!sso.workspaces) return [];
    const out = [`**${code(shown)}**: ${workspacesText(sso.strategyName, sso.workspaces, code)}.`, ''];
    if (patch) {
      if (includeDiff) out.push(fenced(patch, 'diff'), '');
      else out.push(`The diff is too long for a comment: run ${code('npm run plan-review')} locally to see it.`, '');
    }
    return out;
  };

  return { secrets, entraLines, fileLines };
}
