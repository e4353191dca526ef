/**
 * host/: the code that touches files on the Botpress host, safe against Botpress's own user
 * (docs: pinned-folder.ts). Node built-ins only; nothing else of this repository.
 *
 * The app reads host files at synthesis through this entry. The construct runs the programs,
 * which scripts/build-host-programs.js bundles into constructs/generated/host-programs.ts
 * (INSTALL_PROGRAM, REMOVE_PROGRAM, HOST_PROGRAM_ENV, BACKUP_SUFFIX).
 */
export { readHostFile } from './read-host-file';
export type { HostFileRead } from './read-host-file';
export { HostFileRefusal } from './refusal';
export type { RefusalCode } from './refusal';
export { isTrustedFolder } from './pinned-folder';
