import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where an environment keeps local Terraform state: in the project folder, never inside cdktf.out. */
export const localStateFileName = (environment: string): string => `terraform.${environment}.tfstate`;

/**
 * The text of an environment's local state in `projectDir`, when it keeps one (no backend) and it
 * exists: what the offline summaries (npm start, the plan review) read key ids and dates from.
 */
export function readLocalState(
  projectDir: string,
  env: { readonly name: string; readonly settings: { readonly backend?: unknown } },
): string | undefined {
  if (env.settings.backend) return undefined;
  const file = path.join(projectDir, localStateFileName(env.name));
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
