import { TerraformLocal, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { File } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { HOST_PROGRAM_ENV, INSTALL_PROGRAM, REMOVE_PROGRAM } from '../generated/host-programs';
import { TerraformData } from '../terraform/built-in';
import { escapeTemplateLiteral, terraformStringLiteral } from '../text/terraform-template';
import { ManagedFileRole, stageFilesFor } from './stage-files';

/** Mode of the stage file, which may hold the client secret; Create applies it (under umask). */
export const STAGE_FILE_MODE = '0600';

export interface ManagedFileProps {
  /** The local provider to render the stage file with; by default the stack's. */
  readonly provider?: TerraformProvider;
  /** The live file as Terraform sees it (relative to the stack's working directory, or absolute); plain text, escaped here. */
  readonly path: string;
  /** The content: a Terraform template (already escaped), possibly `sensitive(...)`. */
  readonly content: string;
  /** Stage with `local_sensitive_file` (content never shown in plans) instead of `local_file`. */
  readonly sensitiveStage?: boolean;
  /** Octal mode the live file always gets; without it an existing file keeps its mode. */
  readonly mode?: string;
  /** Octal mode of a live file that does not exist yet, when no `mode` is given. */
  readonly defaultMode: string;
  /**
   * The deploy's own folder for the stage and the receipt (stage-files.ts), as Terraform sees it:
   * never Botpress's folder.
   */
  readonly stageDirectory: string;
  /** Which file this is: names its stage and receipt in `stageDirectory`. */
  readonly role: ManagedFileRole;
  /**
   * SHA-256 (hex) of the live file as synthesis read it, which `content` was rendered from; ""
   * when synthesis found no file.
   * @default unknown: the installer runs only when the rendered content (or path, or mode)
   * changes, checks nothing about the live file before replacing it, and a hand edit is not put
   * right until the content changes
   */
  readonly synthesizedSha256?: string;
  /**
   * The file's name in the installer's messages.
   * @default the live file's base name
   */
  readonly name?: string;
}

/**
 * A file on the Botpress host that Terraform keeps up to date without ever taking it away from
 * its owner, and without following anything Botpress's user planted: the local provider renders
 * the content to a stage file in the deployer's own folder (stage-files.ts; its Create is an
 * `os.WriteFile` by path, and each content change is Delete + Create, which would hand the live
 * file to whoever deploys, mode 0600, with a moment where no file exists), and a built-in
 * `terraform_data` runs the install program (host/, bundled in generated/host-programs.ts),
 * which places the stage atomically through a pinned folder walk and no-follow opens, keeping
 * owner, group and mode, and checks immediately before replacing the file that it still holds
 * what synthesis read (BPSSO_EXPECT_SHA256: no lost update).
 *
 * Nothing of Botpress's folder is read at plan time. The installer runs again exactly when the
 * installed result would differ, decided with built-in functions (`triggers_replace`):
 * - `content`: the rendered text changed;
 * - `previous`: the installer's receipt (in the deployer's folder), a hash chain of every
 *   content it replaced (`receipt = sha256(sha256(replaced) + receipt before)`, written only when
 *   it replaces something). When synthesis read the rendered text itself, the value is the
 *   receipt; otherwise it is the receipt the installer WOULD write on replacing what synthesis
 *   read. Right after an install the two agree, so the plan of a deploy after a deploy (which
 *   synthesizes first) shows no change; any other content synthesis reads, a hand edit of the
 *   secret alone or the restored backup included, gives a new value, and the apply puts the
 *   rendered text back (synthesis took the edit in as its base, so the edit itself is kept). The
 *   chain is what tells a restored backup from the install that replaced it: their contents are
 *   the same. Without `synthesizedSha256` it is "".
 * - `path`, `mode`: where and how it is installed.
 */
export class ManagedFile extends Construct {
  /** The live path, as Terraform sees it (escaped). */
  readonly path: string;
  /** The resource that renders the stage file. */
  readonly stage: File | SensitiveFile;
  /** The resource that installs the stage as the live file. */
  readonly installer: TerraformResource;
  /** Whether synthesis told what the live file held (`synthesizedSha256`), so `previous` is set. */
  private readonly knowsLiveContent: boolean;

  constructor(scope: Construct, id: string, props: ManagedFileProps) {
    super(scope, id);
    this.path = escapeTemplateLiteral(props.path);
    const text = new TerraformLocal(this, 'text', props.content);
    const textRef = `local.${TerraformStack.of(this).getLogicalId(text)}`;
    const files = stageFilesFor(props.stageDirectory, props.role);

    const stageConfig = {
      provider: props.provider,
      filename: escapeTemplateLiteral(files.stage),
      content: `\${${textRef}}`,
      filePermission: STAGE_FILE_MODE,
    };
    this.stage = props.sensitiveStage
      ? new SensitiveFile(this, 'stage', stageConfig)
      : new File(this, 'stage', stageConfig);

    // The receipt is the deployer's own file: reading it at plan time follows nothing of Botpress's.
    const lastReceipt = `try(file(${terraformStringLiteral(files.receipt)}), "")`;
    const seen = props.synthesizedSha256;
    const seenLiteral = seen === undefined ? undefined : terraformStringLiteral(seen);
    this.knowsLiveContent = seenLiteral !== undefined;
    const previous =
      seenLiteral === undefined
        ? ''
        : `\${${seenLiteral} == sha256(${textRef}) ? ${lastReceipt} : sha256(join("", [${seenLiteral}, ${lastReceipt}]))}`;
    this.installer = new FileInstaller(this, 'install', {
      dependsOn: [this.stage],
      triggers: {
        path: this.path,
        mode: props.mode ?? '',
        content: `\${sha256(${textRef})}`,
        previous,
      },
      program: INSTALL_PROGRAM,
      environment: {
        [HOST_PROGRAM_ENV.stage]: stageConfig.filename,
        [HOST_PROGRAM_ENV.receipt]: escapeTemplateLiteral(files.receipt),
        [HOST_PROGRAM_ENV.live]: this.path,
        [HOST_PROGRAM_ENV.mode]: props.mode ?? '',
        [HOST_PROGRAM_ENV.defaultMode]: props.defaultMode,
        ...(seen === undefined ? {} : { [HOST_PROGRAM_ENV.expectSha256]: seen }),
        [HOST_PROGRAM_ENV.name]: escapeTemplateLiteral(props.name ?? baseName(props.path)),
      },
    });
  }

  /**
   * A reference to the installer's trigger that changes whenever the installer will replace the
   * live file (`terraform_data.<installer>.triggers_replace.previous`; `.content` when synthesis
   * did not tell what the live file held): a step that must follow each real install, such as a
   * restart, triggers on it and so also runs after the installer.
   */
  get replacementTrigger(): string {
    const installer = TerraformStack.of(this).getLogicalId(this.installer);
    return `\${terraform_data.${installer}.triggers_replace.${this.knowsLiveContent ? 'previous' : 'content'}}`;
  }
}

const programName = (program: string): 'install' | 'remove' => (program === INSTALL_PROGRAM ? 'install' : 'remove');

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/**
 * A program of host/ as one local of the stack, declared once and referred to by every step
 * that runs it: the install program is about 33,000 characters.
 */
function programRef(scope: Construct, name: 'install' | 'remove', program: string): string {
  const stack = TerraformStack.of(scope);
  const id = `botpress_sso_${name}_program`;
  const local =
    (stack.node.tryFindChild(id) as TerraformLocal | undefined) ??
    new TerraformLocal(stack, id, escapeTemplateLiteral(program));
  return `\${local.${stack.getLogicalId(local)}}`;
}

interface FileInstallerConfig {
  readonly dependsOn?: ITerraformDependable[];
  readonly triggers: Record<string, string>;
  readonly program: string;
  readonly environment: Record<string, string>;
}

/**
 * A built-in `terraform_data` whose creation runs a host program (`node -e`; node is wherever
 * cdktf runs); replaced (so run again) when a trigger changes. No destroy step: removing it
 * leaves the live file in place.
 */
class FileInstaller extends TerraformData {
  constructor(scope: Construct, id: string, config: FileInstallerConfig) {
    super(scope, id, {
      dependsOn: config.dependsOn,
      triggersReplace: config.triggers,
      provisioners: [
        {
          type: 'local-exec',
          // The program sits in the interpreter's arguments and `command` is only the step's name
          // (an argument the program ignores): OpenTofu quotes `command` in its error message,
          // which should name the step, not hold the 33,000 characters of the program.
          interpreter: ['node', '-e', programRef(scope, programName(config.program), config.program)],
          command: `botpress-azure-sso ${programName(config.program)} step`,
          environment: config.environment,
        },
      ],
    });
  }
}

/**
 * A file that must not exist: a built-in `terraform_data` whose creation removes the live file,
 * its backup and the leftovers beside them (the remove program: no link followed, a missing file
 * being fine) and the receipt in `stageDirectory`. Declared where a ManagedFile was (`enabled:
 * false` with environment delivery), because a destroy-time step cannot do it: Terraform runs
 * destroy provisioners only for resources still in the configuration.
 */
export class RemovedFile extends FileInstaller {
  constructor(scope: Construct, id: string, props: { path: string; stageDirectory: string; role: ManagedFileRole }) {
    const path = escapeTemplateLiteral(props.path);
    super(scope, id, {
      triggers: { path },
      program: REMOVE_PROGRAM,
      environment: {
        [HOST_PROGRAM_ENV.live]: path,
        [HOST_PROGRAM_ENV.receipt]: escapeTemplateLiteral(stageFilesFor(props.stageDirectory, props.role).receipt),
      },
    });
  }
}
