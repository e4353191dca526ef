import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import type { TerraformResourceConfig, TerraformResourceLifecycle } from 'cdktf';
import type { Construct } from 'constructs';

export interface TerraformDataConfig {
  /** Stored as is; with `ignore_changes = [input]` it keeps its first value. */
  readonly input?: unknown;
  readonly triggersReplace?: unknown;
  readonly lifecycle?: TerraformResourceLifecycle;
  readonly provisioners?: TerraformResourceConfig['provisioners'];
}

/**
 * A built-in `terraform_data` resource (no provider to download): the rotation's anchor, its
 * per-slot generations and its guard, and the restart step. Not cdktf's DataResource, which runs
 * `terraform version` at every synthesis.
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
