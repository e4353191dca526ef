import { Fn, TerraformLocal, TerraformProvider, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigFileGuard } from './config-file-guard';
import { ManagedFile } from './managed-file';
import { terraformStringLiteral } from '../text/terraform-template';

/** Construct ids of a guarded file's parts: part of the stack's Terraform addresses. */
export interface GuardedFileIds {
  /** The local holding the content's template chunks. */
  readonly chunks: string;
  /** The local holding the SHA-256 of the text synthesis read. */
  readonly synthesizedSha256: string;
  /** The ManagedFile (stage + installer). */
  readonly file: string;
  /** The prevent_destroy guard. */
  readonly guard: string;
}

export interface GuardedFileProps {
  /** The live file as Terraform sees it (relative to the stack's folder, or absolute); unescaped. */
  readonly path: string;
  /** Terraform templates whose concatenation is the content. */
  readonly templateChunks: readonly string[];
  /** SHA-256 of the file as synthesis read it. */
  readonly baseSha256: string;
  /** Whether the content holds a secret (plans then show `(sensitive value)`). */
  readonly sensitive: boolean;
  /** Mode override; without it an existing file keeps its mode. */
  readonly mode?: string;
  readonly defaultMode: string;
  readonly provider?: TerraformProvider;
  /** The file's name in the lost-update message ("botpress.config.json"). */
  readonly name: string;
}

/**
 * A file Botpress owns that the deploy renders (ManagedFile: staged, installed atomically keeping
 * owner, group and mode), with the two guarantees every such file has: apply stops if the file
 * changed after synthesis (no lost update), and `cdktf destroy` or a path change stops at a
 * prevent_destroy guard.
 */
export function declareGuardedFile(scope: Construct, ids: GuardedFileIds, props: GuardedFileProps): ManagedFile {
  const chunks = new TerraformLocal(scope, ids.chunks, props.templateChunks);
  const text = Fn.join('', chunks.asList);
  const synthesizedSha = new TerraformLocal(scope, ids.synthesizedSha256, props.baseSha256);
  const file = new ManagedFile(scope, ids.file, {
    provider: props.provider,
    path: props.path,
    content: props.sensitive ? Fn.sensitive(text) : text,
    mode: props.mode,
    defaultMode: props.defaultMode,
    preconditions: [
      {
        // Terraform wants a condition to refer to something in the configuration: a local.
        condition: `\${try(filesha256(${terraformStringLiteral(props.path)}), "") == local.${TerraformStack.of(scope).getLogicalId(synthesizedSha)}}`,
        errorMessage: `${props.name} changed after synthesis (or is missing); applying would overwrite that change. Run cdktf synth (or cdktf deploy) again.`,
      },
    ],
  });
  // `cdktf destroy` and path moves stop at this guard instead of leaving the file unmanaged.
  new ConfigFileGuard(scope, ids.guard, file.path);
  return file;
}
