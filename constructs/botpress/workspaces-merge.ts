import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { SsoInputError } from '../input-error';
import {
  JsonArray,
  JsonNode,
  JsonObject,
  getMember,
  jsonArray,
  jsonString,
  parseJsonInput,
  setMember,
} from '../text/json-document';

/** How errors name the file: by the prop that carries its text (the app names it as the user knows it). */
export const WORKSPACES_SOURCE = 'workspacesConfig';

export interface WorkspacesMerge {
  /** The file with the strategy in exactly the right workspaces, everything else as it was. */
  readonly document: JsonArray;
  /** Ids of the workspaces that gain the strategy. */
  readonly added: readonly string[];
  /** Ids of the workspaces that lose it. */
  readonly removed: readonly string[];
  /** Ids of the workspaces that list it afterwards. */
  readonly listed: readonly string[];
  /** Whether the file changes at all (else the deploy leaves it byte for byte as it is). */
  readonly changed: boolean;
  readonly findings: readonly SsoFinding[];
}

/**
 * Puts `strategyName` into the `authStrategies` of exactly the `wanted` workspaces of Botpress's
 * data/global/workspaces.json (a JSON array of workspaces, each with `id` and `authStrategies`;
 * botpress/v12 common/defaults.ts), and takes it out of the others; with `enabled` false, out
 * of all. Other content keeps its order and text. Pure.
 *
 * Without `wanted` the lists stay as they are (but for `enabled` false, which takes the strategy
 * out). Returns undefined only when there is no file.
 */
export function mergeWorkspaces(
  text: string | undefined,
  strategyName: string,
  wanted: readonly string[] | undefined,
  enabled: boolean,
): WorkspacesMerge | undefined {
  if (text === undefined) {
    if (wanted === undefined || wanted.length === 0) return undefined;
    throw new SsoInputError(
      'workspaces',
      wanted,
      "needs Botpress's data/global/workspaces.json, which does not exist",
      'start Botpress once so that it writes its workspaces, or remove the workspaces setting',
    );
  }
  const workspaces = checkShape(parse(text));
  const ids = workspaces.map(({ id }) => id);
  wanted?.forEach((id, index) => {
    if (!ids.includes(id)) {
      throw new SsoInputError(
        `workspaces.${index}`,
        id,
        "is not a workspace in Botpress's workspaces.json",
        `use one of ${ids.map((known) => JSON.stringify(known)).join(', ') || '(none: the file lists no workspace)'}`,
      );
    }
    const first = wanted.indexOf(id);
    if (first !== index) {
      throw new SsoInputError(
        `workspaces.${index}`,
        id,
        `is listed twice (also at workspaces.${first})`,
        'remove one of them',
      );
    }
  });
  const added: string[] = [];
  const removed: string[] = [];
  const listed: string[] = [];
  const findings: SsoFinding[] = [];
  const items = workspaces.map(({ node, id, strategies }, index) => {
    const has = strategies?.includes(strategyName) ?? false;
    const should = enabled && (wanted === undefined ? has : wanted.includes(id));
    if (should) listed.push(id);
    if (should === has) return node;
    if (strategies === undefined) {
      throw new SsoInputError(
        `${WORKSPACES_SOURCE} at ${index}.authStrategies`,
        undefined,
        `is missing in workspace "${id}", so the strategy cannot be added to it`,
        'add "authStrategies": ["default"] to that workspace (Botpress 12 writes it for every workspace), then run again',
      );
    }
    const next = should ? [...strategies, strategyName] : strategies.filter((name) => name !== strategyName);
    (should ? added : removed).push(id);
    if (next.length === 0) {
      findings.push(
        finding(
          FINDING_KINDS.workspaceStrategiesEmptied,
          `${WORKSPACES_SOURCE} at ${index}.authStrategies`,
          `is now empty: no existing user can be added to workspace "${id}"`,
          'list a strategy such as "default" there',
        ),
      );
    }
    return setMember(node, 'authStrategies', jsonArray(next.map(jsonString)));
  });
  return { document: jsonArray(items), added, removed, listed, changed: added.length + removed.length > 0, findings };
}

function parse(text: string): JsonNode {
  return parseJsonInput(text, WORKSPACES_SOURCE, 'repair the file (Botpress cannot read it either)');
}

interface Workspace {
  readonly node: JsonObject;
  readonly id: string;
  /** The names in `authStrategies`, or undefined when the key is missing. */
  readonly strategies?: string[];
}

function checkShape(root: JsonNode): Workspace[] {
  if (root.kind !== 'array') {
    throw new SsoInputError(
      WORKSPACES_SOURCE,
      `a JSON ${root.kind}`,
      'must hold a JSON array of workspaces',
      "check that configFile is in Botpress's data/global folder: workspaces.json is read from beside it",
    );
  }
  return root.items.map((node, index) => {
    if (node.kind !== 'object') {
      throw new SsoInputError(
        `${WORKSPACES_SOURCE} at ${index}`,
        `a JSON ${node.kind}`,
        'is not a workspace object',
        'repair the file: each item is a workspace object with "id" and "authStrategies"',
      );
    }
    const id = getMember(node, 'id');
    if (id?.kind !== 'string') {
      throw new SsoInputError(
        `${WORKSPACES_SOURCE} at ${index}.id`,
        id ? `a JSON ${id.kind}` : undefined,
        'is not a workspace id (a string)',
        'repair the file: each workspace has a string "id"',
      );
    }
    const list = getMember(node, 'authStrategies');
    if (list === undefined) return { node, id: id.value };
    if (list.kind !== 'array' || list.items.some((item) => item.kind !== 'string')) {
      throw new SsoInputError(
        `${WORKSPACES_SOURCE} at ${index}.authStrategies`,
        `a JSON ${list.kind}`,
        `is not a list of strategy names in workspace "${id.value}"`,
        'repair the file: authStrategies is a list of strategy names such as ["default"]',
      );
    }
    return { node, id: id.value, strategies: list.items.map((item) => (item as { value: string }).value) };
  });
}
