import { TerraformLocal, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import type { ITerraformDependable, TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { File } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { BACKUP_SUFFIX, INSTALL_SCRIPT } from './install-script';
import { escapeTemplateLiteral, terraformStringLiteral } from '../text/terraform-template';

/** Mode of the stage file, which may hold the client secret; Create applies it (under umask). */
export const STAGE_FILE_MODE = '0600';

/** Where the rendered text is staged for `live`: a hidden file beside it. */
export function stagePathFor(live: string): string {
  const slash = Math.max(live.lastIndexOf('/'), live.lastIndexOf('\\'));
  return `${live.slice(0, slash + 1)}.${live.slice(slash + 1)}.botpress-sso`;
}

/**
 * Where the installer keeps its receipt for `live`: a hash chain of every content it replaced
 * (no secret in it), beside the stage.
 */
export function receiptPathFor(live: string): string {
  return `${stagePathFor(live)}-receipt`;
}

/** The file beside `live` that keeps its content before the last change. */
export function backupPathFor(live: string): string {
  return `${live}${BACKUP_SUFFIX}`;
}

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
  /** Conditions checked on the installing resource (e.g. the lost-update guard). */
  readonly preconditions?: TerraformResourceLifecycle['precondition'];
}

/**
 * A file on the Botpress host that Terraform keeps up to date without ever taking it away from
 * its owner: the local provider renders the content to a stage file beside it (its Create is an
 * `os.WriteFile`, and each content change is Delete + Create, which would hand the live file to
 * whoever deploys, mode 0600, with a moment where no file exists), and a built-in
 * `terraform_data` installs the stage atomically, keeping owner, group and mode (INSTALL_SCRIPT).
 *
 * The installer runs again exactly when the installed result would differ, decided at plan time
 * with built-in functions (`triggers_replace`):
 * - `content`: the rendered text changed;
 * - `previous`: the installer's receipt, a hash chain of every content it replaced
 *   (`receipt = sha256(sha256(replaced) + receipt before)`, written only when it replaces
 *   something). While the live file holds the rendered text the value is the receipt itself;
 *   otherwise it is the receipt the installer WOULD write. Right after an install the two agree,
 *   so a new plan shows no changes; any other live content, a hand edit of the secret alone or
 *   the restored backup included, gives a new value, and the next apply puts the rendered text
 *   back (synthesis took the edit in as its base, so the edit itself is kept). The chain is what
 *   tells a restored backup from the install that replaced it: their live contents are the same.
 * - `path`, `mode`: where and how it is installed.
 */
export class ManagedFile extends Construct {
  /** The live path, as Terraform sees it (escaped). */
  readonly path: string;
  /** The resource that renders the stage file. */
  readonly stage: File | SensitiveFile;
  /** The resource that installs the stage as the live file. */
  readonly installer: TerraformResource;

  constructor(scope: Construct, id: string, props: ManagedFileProps) {
    super(scope, id);
    this.path = escapeTemplateLiteral(props.path);
    const text = new TerraformLocal(this, 'text', props.content);
    const textRef = `local.${TerraformStack.of(this).getLogicalId(text)}`;

    const stageConfig = {
      provider: props.provider,
      filename: escapeTemplateLiteral(stagePathFor(props.path)),
      content: `\${${textRef}}`,
      filePermission: STAGE_FILE_MODE,
    };
    this.stage = props.sensitiveStage
      ? new SensitiveFile(this, 'stage', stageConfig)
      : new File(this, 'stage', stageConfig);

    const live = terraformStringLiteral(props.path);
    const receipt = terraformStringLiteral(receiptPathFor(props.path));
    const liveSha = `try(filesha256(${live}), "")`;
    const lastReceipt = `try(file(${receipt}), "")`;
    this.installer = new FileInstaller(this, 'install', {
      dependsOn: [this.stage],
      lifecycle: props.preconditions ? { precondition: props.preconditions } : undefined,
      triggers: {
        path: this.path,
        mode: props.mode ?? '',
        content: `\${sha256(${textRef})}`,
        previous: `\${${liveSha} == sha256(${textRef}) ? ${lastReceipt} : sha256(join("", [${liveSha}, ${lastReceipt}]))}`,
      },
      environment: {
        BPSSO_STAGE: stageConfig.filename,
        BPSSO_LIVE: this.path,
        BPSSO_RECEIPT: escapeTemplateLiteral(receiptPathFor(props.path)),
        BPSSO_MODE: props.mode ?? '',
        BPSSO_DEFAULT_MODE: props.defaultMode,
      },
    });
  }
}

interface FileInstallerConfig {
  readonly dependsOn: ITerraformDependable[];
  readonly lifecycle?: TerraformResourceLifecycle;
  readonly triggers: Record<string, string>;
  readonly environment: Record<string, string>;
}

/**
 * A built-in `terraform_data` whose creation runs the installer; replaced (so run again) when a
 * trigger changes. No destroy step: removing it leaves the live file in place.
 * Not cdktf's DataResource: that one runs `terraform version` at every synthesis.
 */
class FileInstaller extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: FileInstallerConfig,
  ) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
      provisioners: [
        {
          type: 'local-exec',
          interpreter: ['node', '-e'],
          command: escapeTemplateLiteral(INSTALL_SCRIPT),
          environment: config.environment,
        },
      ],
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: this.config.triggers };
  }
}

/**
 * A file that must not exist: a built-in `terraform_data` whose creation deletes the live file
 * and its backup (os.Remove, a missing file being fine). Declared where a ManagedFile was
 * (`enabled: false` with environment delivery), because a destroy-time step cannot do it:
 * Terraform runs destroy provisioners only for resources still in the configuration.
 */
export class RemovedFile extends TerraformResource {
  constructor(scope: Construct, id: string, live: string) {
    const path = escapeTemplateLiteral(live);
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      provisioners: [
        {
          type: 'local-exec',
          interpreter: ['node', '-e'],
          command: escapeTemplateLiteral(REMOVE_SCRIPT),
          environment: {
            BPSSO_LIVE: path,
            BPSSO_BACKUP: escapeTemplateLiteral(backupPathFor(live)),
            BPSSO_RECEIPT: escapeTemplateLiteral(receiptPathFor(live)),
          },
        },
      ],
    });
    this.path = path;
  }

  private readonly path: string;

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: { path: this.path } };
  }
}

/** os.Remove of the live file and its backup, a missing file being no error (as the local provider does). */
const REMOVE_SCRIPT = [
  "const fs = require('fs');",
  'for (const f of [process.env.BPSSO_LIVE, process.env.BPSSO_BACKUP, process.env.BPSSO_RECEIPT]) {',
  "  try { fs.unlinkSync(f); } catch (e) { if (e.code !== 'ENOENT') { process.stderr.write('botpress-azure-sso: could not remove ' + f + ': ' + e.message + '\\n'); process.exit(1); } }",
  '}',
].join('\n');
