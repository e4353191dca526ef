/**
 * Terraform's built-in elements, which need no provider: `terraform_data` and `moved`. The
 * rotation's anchor, generations and guard, the file installers and guards, and the restart
 * step are all `terraform_data`, declared through this one class.
 */
import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import type { ITerraformDependable, TerraformResourceLifecycle } from 'cdktf';
import type { LocalExecProvisioner } from 'cdktf';
import type { Construct } from 'constructs';

export interface TerraformDataConfig {
  /** Stored as is; with `ignore_changes = [input]` it keeps its first value. */
  readonly input?: unknown;
  /** Any change replaces the resource, so its creation-time provisioners run again. */
  readonly triggersReplace?: unknown;
  readonly lifecycle?: TerraformResourceLifecycle;
  readonly dependsOn?: ITerraformDependable[];
  /** Run when it is created (a `local-exec` on the deploy machine). */
  readonly provisioners?: LocalExecProvisioner[];
}

/**
 * A built-in `terraform_data` resource (no provider to download). Not cdktf's DataResource, which
 * runs `terraform version` at every synthesis (about 40 ms a stack) and fails where only OpenTofu
 * is installed.
 */
export class TerraformData extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: TerraformDataConfig,
  ) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      lifecycle: config.lifecycle,
      dependsOn: config.dependsOn,
      provisioners: config.provisioners,
    });
  }

  /** The resource's address in HCL (`terraform_data.<logical id>`), for raw expressions. */
  get address(): string {
    return `terraform_data.${TerraformStack.of(this).getLogicalId(this)}`;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { input: this.config.input, triggers_replace: this.config.triggersReplace };
  }
}

/**
 * A `moved` block. Not cdktf's moveFromId: that makes synthesis run `terraform version` (a
 * version check for moves), which fails where only OpenTofu is installed. Moves from an address
 * that is not in the state are no-ops, so the block can stay.
 */
export class MovedBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly from: string,
    private readonly to: string,
  ) {
    super(scope, id, 'moved');
  }

  toTerraform(): Record<string, unknown> {
    return { moved: [{ from: this.from, to: this.to }] };
  }
}
