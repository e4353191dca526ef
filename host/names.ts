/** Names the programs and the construct agree on. */

/** The backup of the previous content sits beside the live file under this suffix. */
export const BACKUP_SUFFIX = '.bak';
