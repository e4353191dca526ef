/**
 * The plan review's access control part: who may sign in, admin consent, owners, the replication
 * wait, imports named in `adopt`, and the workspaces.json change with its diff (redacted like
 * the main diff). Markdown helpers come from plan-review.ts as arguments, which keeps the two
 * modules free of an import cycle.
 */
import * as path from 'node:path';
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import type { BotpressAzureSso } from '../constructs/botpress-azure-sso';
import { consentText, ownersText, signInText, workspacesText } from '../constructs/entra/access-summary';
import { REPLICATION_WAIT } from '../constructs/entra/entra-access';
import { parseJson, renderJsonText } from '../constructs/private/text/json-document';
import { collectSecretValues, redactSecretChange } from '../constructs/private/text/redaction';

export interface Markdown {
  code(text: string): string;
  fenced(text: string, info?: string): string;
}

export interface AccessReview {
  /** Secret values found in workspaces.json (unlikely, but scrubbed like the config's). */
  readonly secrets: readonly string[];
  /** Lines for the Entra part (empty when SSO is disabled). */
  entraLines(): string[];
  /** Lines for workspaces.json, with its diff when `includeDiff`. */
  fileLines(includeDiff: boolean): string[];
}

export function reviewAccess(sso: BotpressAzureSso, workspacesConfig: string | undefined, workspacesFile: string, projectDir: string, md: Markdown): AccessReview {
  const { code, fenced } = md;
  const shown = path.relative(projectDir, workspacesFile).split(path.sep).join('/') || workspacesFile;
  const access = sso.access;

  let patch = '';
  let secrets: string[] = [];
  if (sso.workspaces && workspacesConfig !== undefined) {
    const current = parseJson(workspacesConfig);
    const after = parseJson(sso.workspaces.preview);
    const redacted = redactSecretChange(current, after);
    const oldText = renderJsonText(redacted.before);
    const newText = renderJsonText(redacted.after);
    if (oldText !== newText) {
      patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, oldText, newText, 'current', 'after deploy', { context: 3, headerOptions: FILE_HEADERS_ONLY });
    }
    secrets = [...collectSecretValues(current), ...collectSecretValues(after)];
  }

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
