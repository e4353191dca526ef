import { createHash } from 'node:crypto';
import { Fn, TerraformLocal, TerraformProvider, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { File } from '@cdktf/provider-local/lib/file';
import { ConfigFileGuard } from './config-file-guard';
import type { RenderedPart } from './text/json-document';
import { escapeTemplateLiteral, toTerraformTemplateChunks } from './text/terraform-template';

export interface WorkspacesFileProps {
  /** Where Terraform writes the file (relative to the stack's folder, or absolute), unescaped. */
  readonly filePath: string;
  /** The rendered file (no holes: workspaces.json holds nothing known only at apply). */
  readonly rendered: readonly RenderedPart[];
  /** The text synthesis read; apply refuses to run if the file no longer matches it. */
  readonly baseText: string;
  readonly filePermission: string;
  readonly provider?: TerraformProvider;
}

/**
 * The one place that declares how workspaces.json is written, with the same guarantees as
 * botpress.config.json: escaped template chunks, a lost-update precondition on its SHA-256, and
 * a prevent_destroy guard so that `cdktf destroy` never deletes it. Kept apart so that the
 * writing mechanism (today a plain local_file) can be switched here in one edit.
 */
export function declareWorkspacesFile(scope: Construct, props: WorkspacesFileProps): File {
  const chunks = toTerraformTemplateChunks(props.rendered, (name) => {
    throw new Error(`internal: workspaces.json has no value known only at apply (${name})`);
  });
  const rendered = new TerraformLocal(scope, 'workspaces_chunks', chunks);
  const sha = new TerraformLocal(scope, 'workspaces_sha256_at_synth', createHash('sha256').update(props.baseText, 'utf8').digest('hex'));
  const filename = escapeTemplateLiteral(props.filePath);
  const file = new File(scope, 'workspaces_file', {
    provider: props.provider,
    filename,
    content: Fn.join('', rendered.asList),
    filePermission: props.filePermission,
    lifecycle: {
      precondition: [
        {
          condition: `\${try(filesha256(${escapeTemplateLiteral(JSON.stringify(props.filePath))}), "") == local.${TerraformStack.of(scope).getLogicalId(sha)}}`,
          errorMessage:
            'workspaces.json changed after synthesis (or is missing); applying would overwrite that change. Run cdktf synth (or cdktf deploy) again.',
        },
      ],
    },
  });
  new ConfigFileGuard(scope, 'workspaces_file_guard', filename);
  return file;
}
