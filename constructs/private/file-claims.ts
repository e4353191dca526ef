/**
 * Which construct writes which file, across one app: two instances that render the same file
 * (two strategies into one botpress.config.json, two environments on one env file) would each
 * undo the other's change at every deploy, silently. The second to claim a file is refused.
 */
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { resolve } from 'node:path';
import { SsoInputError } from '../input-error';

interface Claim {
  readonly construct: string;
  readonly prop: string;
}

const CLAIMS = new WeakMap<IConstruct, Map<string, Claim>>();

/**
 * Records that the construct at `scope` writes `file` (as Terraform sees it: relative to the
 * stack's folder, or absolute) for `prop`; throws when another construct of the app already does.
 * Lexical: the construct does no I/O, so two spellings through a link are the app's to catch.
 */
export function claimFile(scope: IConstruct, prop: string, file: string): void {
  const root = scope.node.root;
  const outdir = root instanceof App ? root.outdir : '.';
  const key = resolve(outdir, 'stacks', TerraformStack.of(scope).node.id, file);
  let claims = CLAIMS.get(root);
  if (!claims) CLAIMS.set(root, (claims = new Map()));
  const earlier = claims.get(key);
  if (earlier && earlier.construct !== scope.node.path) {
    throw new SsoInputError(
      prop,
      file,
      `is also written by ${earlier.construct} (${earlier.prop}); two constructs writing one file would each undo the other's change at every deploy`,
      'give each construct a file of its own: one botpress.config.json takes one strategy from this construct (for several tenants, use signInAudience AzureADMultipleOrgs), and each env file belongs to one construct',
    );
  }
  claims.set(key, { construct: scope.node.path, prop });
}
