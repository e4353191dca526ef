import { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A built-in `terraform_data` resource with `prevent_destroy` that never changes, replaced only
 * when the guarded file's path changes. local_file replaces itself on every content change, so
 * prevent_destroy cannot sit on the file resource; this guard makes `cdktf destroy` (or a
 * configFile move, which would delete the old file) stop at plan instead.
 *
 * Not cdktf's DataResource: that one runs `terraform version` at every synthesis (about 40 ms
 * a stack) and fails where only OpenTofu is installed.
 */
export class ConfigFileGuard extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly guardedPath: string,
  ) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      lifecycle: { preventDestroy: true },
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: { filename: this.guardedPath } };
  }
}
