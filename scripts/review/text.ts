/** How the review writes paths and values that only the deploy knows. */
import * as path from 'node:path';
import { Token } from 'cdktf';

/** How the review writes the part of an endpoint that only the deploying credentials decide. */
export const DEPLOYER_TENANT = '{tenant id of the deploying credentials}';
const CDKTF_TOKEN = /\$\{TfToken\[[^\]]*\]\}/g;

/** `file` relative to the project folder, with forward slashes. */
export function relative(projectDir: string, file: string): string {
  return path.relative(projectDir, file).split(path.sep).join('/') || '.';
}

/** Text with cdktf tokens (the deployer's tenant) replaced by readable words. */
export function readable(text: string): string {
  const out = text.replace(CDKTF_TOKEN, DEPLOYER_TENANT);
  if (Token.isUnresolved(out)) throw new Error(`internal: an unresolved value reached the review: ${out}`);
  return out;
}
