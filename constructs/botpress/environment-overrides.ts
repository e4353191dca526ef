/**
 * SSO for a Botpress that keeps its config in the database (BPFS_STORAGE=database) or in an
 * image: the changes disk mode writes into botpress.config.json, expressed as `BP_CONFIG_*`
 * environment variables instead. Pure: no I/O, no cdktf.
 *
 * How Botpress 12 applies them (botpress/v12 packages/bp/src/core/config/config-loader.ts
 * `_loadBotpressConfigFromEnv`, config-utils.ts `getValidJsonSchemaProperties`), at every read of
 * the config, in both storage modes:
 * - the eligible paths are the leaves of its config schema (scalars and arrays, whether or not
 *   the stored file holds them), plus, for a map such as `authStrategies`, the map itself and the
 *   leaves under each key the stored file already has. An object path such as `pro.externalAuth`
 *   is not a leaf and is ignored;
 * - the variable of a path is `BP_CONFIG_` + the path with dots as underscores, upper-cased;
 * - its value is `JSON.parse`d (the raw text when that fails), put at the path with lodash `set`,
 *   and the result is lodash-`merge`d into the stored config: objects key by key, arrays BY INDEX
 *   (`["a"]` over `["default","x"]` gives `["a","x"]`), everything else replaced.
 *
 * So variables can add and change but never remove. The variables are derived from the SAME
 * merged document that disk mode renders (botpress-config.ts), and `applyOverrides` computes what
 * Botpress will make of them, so that what cannot be expressed is reported instead of lost.
 */
import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { SsoInputError, SsoInputErrors } from '../input-error';
import {
  JsonNode,
  JsonObject,
  RenderedPart,
  getMember,
  jsonObject,
  setMember,
  toValue,
  renderJson,
} from '../text/json-document';

/** One `BP_CONFIG_*` variable: the config path it sets and its value (holes for apply-time values). */
export interface EnvironmentOverride {
  readonly name: string;
  /** The path in the config, one key per segment. */
  readonly path: readonly string[];
  readonly value: JsonNode;
}

/** Characters that every consumer of the env file accepts in a name: POSIX shells, systemd, Docker, Kubernetes. */
const NAME_SEGMENT = /^[A-Za-z0-9_]+$/;

/**
 * The variable Botpress reads for `path` (config-loader.ts `_makeBPConfigEnvKey`). A key that is
 * not letters, digits and `_` cannot form a portable variable name (Kubernetes refuses a space,
 * shells a `-`, and Botpress would read a `.` as a deeper path).
 */
export function overrideVariableName(path: readonly string[], field = path.join('.')): string {
  for (const segment of path) {
    if (!NAME_SEGMENT.test(segment)) {
      throw new SsoInputError(
        field,
        segment,
        `cannot be part of the environment variable name Botpress reads for ${path.join('.')} (BP_CONFIG_<PATH>)`,
        `use letters, digits and "_" only, for example ${JSON.stringify(segment.replace(/[^A-Za-z0-9_]/g, '_') || 'azuread')}`,
      );
    }
  }
  return `BP_CONFIG_${path.join('_')}`.toUpperCase();
}

/** Paths every variable set depends on, in the order the env file lists them. */
export const PRO_ENABLED_PATH = ['pro', 'enabled'] as const;
export const AUTH_STRATEGIES_PATH = ['authStrategies'] as const;
export const COLLABORATORS_PATH = ['pro', 'collaboratorsAuthStrategies'] as const;
export const EXTERNAL_AUTH_PATH = ['pro', 'externalAuth'] as const;

/**
 * The variables that turn the stored config `exported` into `desired` (disk mode's rendering of
 * the same export, with `pro.enabled` true), for strategy `strategyName`:
 * - `BP_CONFIG_PRO_ENABLED`: always. With database storage Botpress decides at start whether Pro
 *   (and so any SSO strategy) is on, before it can read the database; the stored value does not count.
 * - `BP_CONFIG_AUTHSTRATEGIES`: the map with only our strategy, merged next to the others.
 * - `BP_CONFIG_PRO_COLLABORATORSAUTHSTRATEGIES`: the whole list, existing names in their order and
 *   ours once, so that a merge by index over the exported list gives exactly that list.
 * - `BP_CONFIG_PRO_EXTERNALAUTH_<KEY>`: each leaf of `pro.externalAuth` that differs (the object
 *   path itself is ignored by Botpress).
 * With SSO disabled (`desired` has no such strategy) there are none at all: see `applyOverrides`
 * and docs/clusters-and-containers.md ("Removing") on why nothing else is needed.
 */
export function environmentOverrides(
  exported: JsonObject,
  desired: JsonObject,
  strategyName: string,
): EnvironmentOverride[] {
  const strategy = member(desired, [...AUTH_STRATEGIES_PATH, strategyName]);
  if (strategy === undefined) return [];
  const overrides: EnvironmentOverride[] = [];
  const add = (path: readonly string[], value: JsonNode) =>
    overrides.push({ name: overrideVariableName(path), path, value });

  add(PRO_ENABLED_PATH, required(desired, PRO_ENABLED_PATH));
  add(AUTH_STRATEGIES_PATH, jsonObject([[strategyName, strategy]]));
  add(COLLABORATORS_PATH, required(desired, COLLABORATORS_PATH));
  const before = member(exported, EXTERNAL_AUTH_PATH);
  const after = required(desired, EXTERNAL_AUTH_PATH);
  for (const [path, value] of changedLeaves(before, after, [...EXTERNAL_AUTH_PATH])) add(path, value);
  return overrides;
}

/** The leaves of `after` whose value differs from `before` (objects are descended, arrays are leaves). */
function changedLeaves(before: JsonNode | undefined, after: JsonNode, path: string[]): Array<[string[], JsonNode]> {
  if (after.kind !== 'object') return sameMeaning(before, after) ? [] : [[path, after]];
  return after.entries.flatMap(([key, value]) =>
    changedLeaves(before?.kind === 'object' ? getMember(before, key) : undefined, value, [...path, key]),
  );
}

/**
 * What Botpress computes from the stored config and the variables: each value set at its path and
 * merged the way lodash `merge` does for JSON values (objects by key, new keys last; arrays by
 * index; anything else replaced). Order-preserving, so the result can be shown as a diff.
 */
export function applyOverrides(config: JsonNode, overrides: readonly EnvironmentOverride[]): JsonNode {
  let result = config;
  for (const override of overrides) {
    let source = override.value;
    for (let i = override.path.length - 1; i >= 0; i--) source = jsonObject([[override.path[i], source]]);
    result = merge(result, source);
  }
  return result;
}

function merge(target: JsonNode | undefined, source: JsonNode): JsonNode {
  if (source.kind === 'object') {
    // lodash merges an object into an array's indexes too, but the schema checks rule that out here.
    let out = target?.kind === 'object' ? target : jsonObject([]);
    for (const [key, value] of source.entries) out = setMember(out, key, merge(getMember(out, key), value));
    return out;
  }
  if (source.kind === 'array') {
    const items = target?.kind === 'array' ? [...target.items] : [];
    source.items.forEach((item, i) => {
      items[i] = merge(items[i], item);
    });
    return { kind: 'array', items };
  }
  return source;
}

/**
 * Where the config Botpress will compute differs in meaning from `desired`, as dotted paths: what
 * variables cannot do (remove a key, shorten a list). Empty when the variables say it all.
 */
export function unexpressedDifferences(effective: JsonNode, desired: JsonNode, path = ''): string[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (effective.kind === 'object' && desired.kind === 'object') {
    const keys = [...new Set([...effective.entries.map(([k]) => k), ...desired.entries.map(([k]) => k)])];
    return keys.flatMap((key) => {
      const a = getMember(effective, key);
      const b = getMember(desired, key);
      if (a === undefined || b === undefined) return [at(key)];
      return unexpressedDifferences(a, b, at(key));
    });
  }
  if (effective.kind === 'array' && desired.kind === 'array' && effective.items.length === desired.items.length) {
    return effective.items.flatMap((item, i) => unexpressedDifferences(item, desired.items[i], at(i)));
  }
  return sameMeaning(effective, desired) ? [] : [path];
}

/** Equal as Botpress reads them: key order aside; holes equal when they stand for the same value. */
function sameMeaning(a: JsonNode | undefined, b: JsonNode | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const fill = (name: string) => `\u0000hole:${name}`;
  return JSON.stringify(sortKeys(toValue(a, fill))) === JSON.stringify(sortKeys(toValue(b, fill)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The env file: comment lines, then one `NAME=<compact JSON>` line per variable, split around
 * holes like renderJson. No quotes around values and no line breaks inside them (JSON escapes
 * every control character): Docker's `--env-file`, compose's `format: raw` and
 * `kubectl create secret generic --from-env-file` take everything after the first `=` as it is,
 * and Botpress then `JSON.parse`s it.
 */
export function renderEnvFile(comments: readonly string[], overrides: readonly EnvironmentOverride[]): RenderedPart[] {
  const parts: RenderedPart[] = [];
  let text = comments.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
  for (const override of overrides) {
    text += `${override.name}=`;
    for (const part of renderJson(override.value, 'compact')) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      if (text) parts.push(text);
      text = '';
      parts.push(part);
    }
    text += '\n';
  }
  parts.push(text);
  return parts;
}

function member(node: JsonNode | undefined, path: readonly string[]): JsonNode | undefined {
  let current = node;
  for (const key of path) {
    if (current?.kind !== 'object') return undefined;
    current = getMember(current, key);
  }
  return current;
}

function required(node: JsonObject, path: readonly string[]): JsonNode {
  const found = member(node, path);
  if (found === undefined) throw new Error(`internal: the merged config has no ${path.join('.')}`);
  return found;
}

/** `config` with `pro.enabled` true, as `BP_CONFIG_PRO_ENABLED=true` makes Botpress see it. */
export function withProEnabled(config: JsonNode): JsonNode {
  const pro = config.kind === 'object' ? getMember(config, 'pro') : undefined;
  if (config.kind !== 'object' || pro?.kind !== 'object') return config; // the schema check that follows reports it
  return setMember(config, 'pro', setMember(pro, 'enabled', { kind: 'literal', value: true }));
}

/** Keys every botpress.config.json that Botpress wrote has, and that the variables are computed against. */
const EXPORT_KEYS: ReadonlyArray<readonly string[]> = [['version'], AUTH_STRATEGIES_PATH, COLLABORATORS_PATH];

/**
 * With database storage the file is an export of the stored config, and the variables are only
 * right against the whole of it (the collaborator list merges by index): a fragment, or a file
 * Botpress never wrote, is refused. `source` names the file in errors.
 */
export function checkCompleteExport(config: JsonObject, source: string): void {
  const errors = EXPORT_KEYS.filter((path) => member(config, path) === undefined).map(
    (path) =>
      new SsoInputError(
        `${source} at ${path.join('.')}`,
        undefined,
        'is missing: with database storage the base config must be the complete config stored in the database',
        'export it again whole: bp pullfile --file global/botpress.config.json --dest <file> (or copy all of it from the code editor)',
      ),
  );
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
}

/**
 * What the variables cannot do, told to the admin: keys of the stored config that SSO would take
 * out (a removed strategy, keys of an older same-name strategy, a shorter collaborator list)
 * stay there, because a merge never removes anything.
 */
export function unexpressedFindings(paths: readonly string[], source: string): SsoFinding[] {
  if (paths.length === 0) return [];
  const listed = `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}`;
  return [
    finding(
      FINDING_KINDS.storedConfigKeeps,
      `${source} (the stored config)`,
      `keeps ${listed}, which environment variables cannot remove (Botpress merges them into the stored config)`,
      'remove them in the stored config (code editor or bp pushfile), export it again and deploy',
    ),
  ];
}
