import { Fn, TerraformLocal, TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigFileGuard } from './config-file-guard';
import { ManagedFile } from './managed-file';
import type { ManagedFileRole } from './stage-files';

/** Construct ids of a guarded file's parts: part of the stack's Terraform addresses. */
export interface GuardedFileIds {
  /** The local holding the content's template chunks. */
  readonly chunks: string;
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
  /** The deploy's own folder for the stage and receipt (stage-files.ts). */
  readonly stageDirectory: string;
  readonly role: ManagedFileRole;
  /** The file's name in the installer's messages ("botpress.config.json"). */
  readonly name: string;
}

/**
 * A file Botpress owns that the deploy renders (ManagedFile: staged in the deployer's folder,
 * installed atomically keeping owner, group and mode), with the two guarantees every such file
 * has: the installer changes nothing if the file no longer holds what synthesis read (no lost
 * update; checked immediately before the replacement, not at plan time), and `cdktf destroy` or
 * a path change stops at a prevent_destroy guard.
 */
export function declareGuardedFile(scope: Construct, ids: GuardedFileIds, props: GuardedFileProps): ManagedFile {
  const chunks = new TerraformLocal(scope, ids.chunks, props.templateChunks);
  const text = Fn.join('', chunks.asList);
  const file = new ManagedFile(scope, ids.file, {
    provider: props.provider,
    path: props.path,
    content: props.sensitive ? Fn.sensitive(text) : text,
    mode: props.mode,
    defaultMode: props.defaultMode,
    stageDirectory: props.stageDirectory,
    role: props.role,
    synthesizedSha256: props.baseSha256,
    name: props.name,
  });
  // `cdktf destroy` and path moves stop at this guard instead of leaving the file unmanaged.
  new ConfigFileGuard(scope, ids.guard, file.path);
  return file;
}
