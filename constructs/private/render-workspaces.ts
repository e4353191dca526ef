/**
 * Botpress's data/global/workspaces.json as the construct renders it: one pure function from the
 * admin's current text to Terraform template chunks, a preview, the hash the lost-update guard
 * compares, and the findings, or undefined when the file is to be left alone.
 */
import { createHash } from 'node:crypto';
import { WorkspacesMerge, mergeWorkspaces } from '../botpress/workspaces-merge';
import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { renderJson } from './text/json-document';
import { toTerraformTemplateChunks } from './text/terraform-template';

export interface RenderedWorkspaces extends WorkspacesMerge {
  /** Terraform templates whose concatenation is the file (it holds nothing known only at apply). */
  readonly templateChunks: readonly string[];
  /** The file after the deploy. */
  readonly preview: string;
  /** SHA-256 of the file as synthesis read it. */
  readonly baseSha256: string;
}

export function renderWorkspaces(
  text: string | undefined,
  strategyName: string,
  wanted: readonly string[] | undefined,
  enabled: boolean,
): RenderedWorkspaces | undefined {
  const merged = mergeWorkspaces(text, strategyName, wanted, enabled);
  if (merged === undefined || text === undefined) return undefined;
  const parts = renderJson(merged.document);
  return {
    ...merged,
    findings: [...merged.findings, ...(merged.fromSettings ? [] : [keptManaged(strategyName, merged.listed)])],
    templateChunks: toTerraformTemplateChunks(parts, (name) => {
      throw new Error(`internal: workspaces.json has no value known only at apply (${name})`);
    }),
    preview: parts.filter((part): part is string => typeof part === 'string').join(''),
    baseSha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}

function keptManaged(strategyName: string, listed: readonly string[]): SsoFinding {
  return finding(
    FINDING_KINDS.workspacesKeptManaged,
    'workspaces',
    `is not set while workspaces.json lists strategy "${strategyName}" in ${listed.map((id) => `"${id}"`).join(', ')}: the file stays managed, unchanged (its destroy guard would stop a deploy that dropped it)`,
    'set workspaces to choose them',
  );
}
