import type { Construct } from 'constructs';
import { TerraformData } from '../terraform/built-in';

/**
 * A built-in `terraform_data` resource with `prevent_destroy` that never changes, replaced only
 * when the guarded file's path changes. local_file replaces itself on every content change, so
 * prevent_destroy cannot sit on the file resource; this guard makes `cdktf destroy` (or a
 * configFile move, which would delete the old file) stop at plan instead.
 */
export class ConfigFileGuard extends TerraformData {
  constructor(scope: Construct, id: string, guardedPath: string) {
    super(scope, id, { lifecycle: { preventDestroy: true }, triggersReplace: { filename: guardedPath } });
  }
}
