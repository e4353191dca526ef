/**
 * Where the deploy keeps its own files for a managed file: the stage (the rendered file, which
 * may hold the client secret) and the installer's receipt. One function for the construct, which
 * declares them, and the app, which checks at synthesis that the deploying user can replace a
 * stage an earlier deploy left. Pure.
 *
 * They live in a folder of the deployer's own (by default inside the stack's working directory,
 * cdktf.out/stacks/<stack>/), never beside the live file: Botpress's folder belongs to Botpress's
 * user, and the local provider writes the stage by path (it would follow a link planted there),
 * and a plan reads the receipt by path (it would read, as root, whatever file a link names).
 */

/** The deploy's folder for its own files, relative to the stack's working directory. */
export const STAGE_ROOT = '.botpress-sso';

/** Which file a stage is for: botpress.config.json, the env file, workspaces.json. */
export type ManagedFileRole = 'config' | 'env' | 'workspaces';

/** A construct id as one safe folder name: `.` and `..` and anything unusual percent-encoded (injective). */
function folderName(id: string): string {
  return encodeURIComponent(id).replace(/[.!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The default stage directory of the construct at `constructPathInStack` (its path below its
 * stack, `sso` in the app's stacks): `.botpress-sso/sso`, unique per construct in a stack.
 */
export function defaultStageDirectory(constructPathInStack: string): string {
  return [STAGE_ROOT, ...constructPathInStack.split('/').map(folderName)].join('/');
}

/** The stage and the receipt of one managed file, in `stageDirectory` (as Terraform sees it). */
export function stageFilesFor(stageDirectory: string, role: ManagedFileRole): { stage: string; receipt: string } {
  const folder = stageDirectory.replace(/[/\\]+$/, '');
  return { stage: `${folder}/${role}.stage`, receipt: `${folder}/${role}.receipt` };
}
