// What the app (app/, main.ts) and its tools (scripts/) use beyond the public entry: exports only.
// The package does not export this file; consumers see constructs/index.ts alone.
export * from './index';
export { AUTH_CONFIG_PATH, normalizeBotpressUrl } from './botpress/callback-url';
export { applyOverrides, unexpressedDifferences } from './botpress/environment-overrides';
export { formattedText, plainText, value } from './entra/described';
export { finding } from './findings';
export { boundaryAt, generationAt, newerSlotAt, slotGenerationsAt } from './entra/rotation-schedule';
export { ALLOW_REISSUE_VARIABLE } from './entra/rotation-guard';
export { validateSettings } from './generated/validators';
export { fromSchemaErrors } from './input-error';
export { ConfigFileGuard } from './placement/config-file-guard';
export { describeKeptAttributes, describeOwner, formatMode } from './placement/file-ownership';
export { BACKUP_SUFFIX } from './generated/host-programs';
export { SSO_CONSTRUCT_ID } from './botpress-sso-stack';
export { accessSummaryLines, consentText, ownersText, signInText, workspacesText } from './private/access-summary';
export { getMember, parseJson, parseJsonInput, renderJson, renderJsonText, toValue } from './text/json-document';
export type { JsonNode } from './text/json-document';
export {
  REDACTED,
  REDACTED_CHANGED,
  collectSecretValues,
  redactSecretChange,
  redactSecrets,
  scrubText,
} from './text/redaction';
