/**
 * Env files read the way the programs that consume them read them, reproduced from their sources:
 *
 * - Docker: `docker run --env-file` (docker/cli opts/file.go `parseKeyValueFile`). Lines come
 *   from Go's bufio.Scanner (split at "\n", one trailing "\r" dropped, a line of 64 KiB or more is
 *   an error); each line must be valid UTF-8; a UTF-8 BOM is dropped from the first line; leading
 *   Unicode whitespace is trimmed; empty lines and lines starting with "#" are skipped; the rest is
 *   split at the FIRST "="; the name loses leading spaces/tabs and must contain none; the value
 *   is passed through with no trimming and no quote or escape processing.
 * - Kubernetes: `kubectl create secret generic --from-env-file` (kubernetes staging
 *   k8s.io/kubectl/pkg/cmd/util/env_file.go `processEnvFileLine`, `AddFromEnvFile`): the same
 *   scanner, UTF-8 check, BOM and comment rules; the name must be a C_IDENTIFIER-like env var
 *   name (apimachinery validation.IsEnvVarName: `[-._a-zA-Z][-._a-zA-Z0-9]*`); the value is
 *   everything after the first "=", as is; a key given twice is an error when the secret is built.
 *
 * A line without "=" takes its value from the calling environment in both; our files never have
 * one, so it is an error here.
 */

/** bufio.MaxScanTokenSize: the scanner fails on a longer line. */
const MAX_LINE_BYTES = 64 * 1024;
const BOM = '\ufeff';
/** Go's unicode.IsSpace (Latin-1 and the Unicode White_Space property). */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function scanLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // no empty token after the final newline
  return lines.map((line, i) => {
    if (Buffer.byteLength(line, 'utf8') + 1 > MAX_LINE_BYTES)
      throw new Error(`line ${i + 1}: bufio.Scanner: token too long`);
    // A lone surrogate cannot be encoded as UTF-8: the file would hold invalid bytes.
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(line))
      throw new Error(`line ${i + 1}: invalid utf8`);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  });
}

function entries(text: string, checkName: (name: string, line: number) => void): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  scanLines(text).forEach((raw, i) => {
    const line = (i === 0 && raw.startsWith(BOM) ? raw.slice(1) : raw).replace(GO_SPACE, '');
    if (line === '' || line.startsWith('#')) return;
    const at = line.indexOf('=');
    if (at === -1) throw new Error(`line ${i + 1}: no "=": the value would come from the calling environment`);
    const name = line.slice(0, at);
    checkName(name, i + 1);
    out.push([name, line.slice(at + 1)]);
  });
  return out;
}

/** What `docker run --env-file` passes to the container, in order. */
export function parseDockerEnvFile(text: string): Array<[string, string]> {
  return entries(text, (name, line) => {
    const variable = name.replace(/^[ \t]+/, '');
    if (/[ \t]/.test(variable))
      throw new Error(`line ${line}: poorly formatted environment: variable '${variable}' contains whitespaces`);
    if (variable === '') throw new Error(`line ${line}: poorly formatted environment: no variable name`);
  }).map(([name, value]) => [name.replace(/^[ \t]+/, ''), value]);
}

/** The keys and values of the secret `kubectl create secret generic --from-env-file` builds. */
export function parseKubectlEnvFile(text: string): Array<[string, string]> {
  const seen = new Set<string>();
  return entries(text, (name, line) => {
    if (!ENV_VAR_NAME.test(name)) throw new Error(`line ${line}: ${JSON.stringify(name)} is not a valid key name`);
    if (seen.has(name)) throw new Error(`cannot add key ${name}, another key by that name already exists`);
    seen.add(name);
  });
}
