/**
 * Botpress's data/global/workspaces.json as the construct renders it: one pure function from the
 * admin's current text to Terraform template chunks, a preview, the hash the lost-update guard
 * compares, and the findings, or undefined when there is no such file.
 */
import { createHash } from 'node:crypto';
import { WorkspacesMerge, mergeWorkspaces } from './workspaces-merge';
import { renderJson } from '../text/json-document';
import { toTerraformTemplateChunks } from '../text/terraform-template';

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
  // Unchanged, the file is installed as it was written, byte for byte (a no-op for the installer):
  // it is declared all the same, so that it never drops out of a stack that managed it. Text that
  // Terraform would normalize to NFC goes through the writer, which escapes it.
  const verbatim = !merged.changed && text.normalize('NFC') === text;
  const parts = verbatim ? [text] : renderJson(merged.document);
  return {
    ...merged,
    templateChunks: toTerraformTemplateChunks(parts, (name) => {
      throw new Error(`internal: workspaces.json has no value known only at apply (${name})`);
    }),
    preview: parts.filter((part): part is string => typeof part === 'string').join(''),
    baseSha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}
