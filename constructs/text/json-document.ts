/**
 * An order-preserving JSON model for botpress.config.json.
 *
 * `JSON.parse` is not good enough here: it moves integer-like keys to the front, rounds numbers
 * that a double cannot hold, keeps only the last of duplicate keys and says little about where a
 * syntax error is. The admin's file must come back with every key in its place and every number
 * exactly as written, so we keep our own small parser and a serializer that writes 2-space JSON
 * the way Botpress does (`JSON.stringify(config, null, 2)`).
 */
import { SsoInputError } from '../input-error';

/** A value of the document. `hole` is a string known only at apply time (a Terraform expression). */
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral | JsonHole;

export interface JsonObject {
  readonly kind: 'object';
  readonly entries: ReadonlyArray<readonly [string, JsonNode]>;
}
export interface JsonArray {
  readonly kind: 'array';
  readonly items: readonly JsonNode[];
}
export interface JsonString {
  readonly kind: 'string';
  readonly value: string;
  /** The literal as the source wrote it (quotes and escapes included), kept so that it is written back byte for byte. */
  readonly raw?: string;
}
/** Numbers keep their source text so that no digit is ever rounded away. */
export interface JsonNumber {
  readonly kind: 'number';
  readonly raw: string;
}
export interface JsonLiteral {
  readonly kind: 'literal';
  readonly value: boolean | null;
}
/** A JSON string whose value is decided at apply time; `name` says which one. */
export interface JsonHole {
  readonly kind: 'hole';
  readonly name: string;
}

/** A piece of rendered text: literal JSON text, or a hole to be filled with a JSON string. */
export type RenderedPart = string | JsonHole;

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

// --- constructors -----------------------------------------------------------------------------

export const jsonString = (value: string): JsonString => ({ kind: 'string', value });
export const jsonBoolean = (value: boolean): JsonLiteral => ({ kind: 'literal', value });
export const jsonHole = (name: string): JsonHole => ({ kind: 'hole', name });
export const jsonObject = (entries: ReadonlyArray<readonly [string, JsonNode]>): JsonObject => ({
  kind: 'object',
  entries,
});
export const jsonArray = (items: readonly JsonNode[]): JsonArray => ({ kind: 'array', items });

export function getMember(node: JsonObject, key: string): JsonNode | undefined {
  for (const [k, v] of node.entries) if (k === key) return v;
  return undefined;
}

/** Sets `key` in place when present (keeping its position), or appends it. */
export function setMember(node: JsonObject, key: string, value: JsonNode): JsonObject {
  let found = false;
  const entries = node.entries.map(([k, v]): readonly [string, JsonNode] => {
    if (k !== key) return [k, v];
    found = true;
    return [k, value];
  });
  return jsonObject(found ? entries : [...entries, [key, value]]);
}

export function deleteMember(node: JsonObject, key: string): JsonObject {
  return jsonObject(node.entries.filter(([k]) => k !== key));
}

/** Converts plain data (as produced by JSON.parse or written in code) into a document. */
export function fromValue(value: unknown): JsonNode {
  if (value === null || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be written as JSON`);
    return { kind: 'number', raw: JSON.stringify(value) };
  }
  if (Array.isArray(value)) return jsonArray(value.map(fromValue));
  if (typeof value === 'object') {
    return jsonObject(Object.entries(value as object).map(([k, v]) => [k, fromValue(v)] as const));
  }
  throw new TypeError(`a ${typeof value} cannot be written as JSON`);
}

/**
 * Converts a document to plain data. Holes become `fillHole(name)`. Note that plain objects
 * reorder integer-like keys, so use this for inspection and schema checks, not for writing.
 */
export function toValue(node: JsonNode, fillHole: (name: string) => string = (n) => `<${n}>`): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) out[k] = toValue(v, fillHole);
      return out;
    }
    case 'array':
      return node.items.map((item) => toValue(item, fillHole));
    case 'string':
      return node.value;
    case 'number':
      return Number(node.raw);
    case 'literal':
      return node.value;
    case 'hole':
      return fillHole(node.name);
  }
}

// --- serializer -------------------------------------------------------------------------------

const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;

/**
 * A JSON string literal for `text`. Terraform normalizes every string it evaluates to Unicode
 * NFC, which would merge `e` + U+0301 into `é` (and make two keys one). Text that NFC would
 * change is therefore written with \u escapes for everything outside ASCII: JSON.parse gives
 * back the exact code points, and normalization has nothing left to change.
 */
export function jsonStringLiteral(text: string): string {
  const literal = JSON.stringify(text);
  if (!HAS_NON_ASCII.test(text) || text.normalize('NFC') === text) return literal;
  return literal.replace(NON_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How `renderJson` lays a document out. */
export type JsonLayout =
  /** 2-space JSON with a trailing newline, strings as the file wrote them: Botpress's own layout. */
  | 'botpress'
  /** One line without spaces, strings in canonical JSON: a value for an environment variable. */
  | 'compact';

/**
 * Writes the document in `layout`, split around holes. Literal runs are merged, so the result
 * alternates between text and holes (and, in the Botpress layout, ends with text).
 */
export function renderJson(node: JsonNode, layout: JsonLayout = 'botpress'): RenderedPart[] {
  const compact = layout === 'compact';
  const parts: RenderedPart[] = [];
  // String concatenation (V8 ropes) beats pushing pieces and joining on multi-megabyte files.
  let text = '';
  const keyLiterals = new Map<string, string>(); // keys repeat: encode each once
  const keyLiteral = (key: string) => {
    let literal = keyLiterals.get(key);
    if (literal === undefined) keyLiterals.set(key, (literal = jsonStringLiteral(key)));
    return literal;
  };
  const colon = compact ? ':' : ': ';
  /** An object's or array's `count` members between its brackets, each written by `member`. */
  const writeMembers = (
    open: string,
    close: string,
    count: number,
    indent: string,
    member: (i: number, inner: string) => void,
  ): void => {
    if (count === 0) {
      text += open + close;
      return;
    }
    const inner = indent + '  ';
    for (let i = 0; i < count; i++) {
      text += compact ? (i === 0 ? open : ',') : (i === 0 ? open : ',') + '\n' + inner;
      member(i, inner);
    }
    text += compact ? close : '\n' + indent + close;
  };
  const write = (n: JsonNode, indent: string): void => {
    switch (n.kind) {
      case 'object':
        writeMembers('{', '}', n.entries.length, indent, (i, inner) => {
          const [key, value] = n.entries[i];
          text += keyLiteral(key) + colon;
          write(value, inner);
        });
        return;
      case 'array':
        writeMembers('[', ']', n.items.length, indent, (i, inner) => write(n.items[i], inner));
        return;
      case 'string':
        text +=
          !compact && n.raw !== undefined && (!HAS_NON_ASCII.test(n.raw) || n.value.normalize('NFC') === n.value)
            ? n.raw
            : jsonStringLiteral(n.value);
        return;
      case 'number':
        text += n.raw;
        return;
      case 'literal':
        text += String(n.value);
        return;
      case 'hole':
        if (text) parts.push(text);
        text = '';
        parts.push(n);
        return;
    }
  };
  write(node, '');
  if (!compact) parts.push(text + '\n');
  else if (text) parts.push(text);
  return parts;
}

/**
 * Parses a file the user handed in, telling a syntax error as an input error of `field` with the
 * line and column to repair.
 */
export function parseJsonInput(text: string, field: string, fix = 'repair the file'): JsonNode {
  try {
    return parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new SsoInputError(
      field,
      `line ${error.line}, column ${error.column}`,
      `is not valid JSON: ${error.reason}`,
      `${fix} at line ${error.line}, column ${error.column}`,
    );
  }
}

/** Renders a document with every hole filled by a known string. */
export function renderJsonText(node: JsonNode, fillHole: (name: string) => string = (n) => `<${n}>`): string {
  return renderJson(node)
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(fillHole(part.name))))
    .join('');
}

// --- parser -----------------------------------------------------------------------------------

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const TRUE: JsonLiteral = { kind: 'literal', value: true };
const FALSE: JsonLiteral = { kind: 'literal', value: false };
const NULL: JsonLiteral = { kind: 'literal', value: null };
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses strict JSON (RFC 8259). Duplicate keys are refused: which one Botpress sees is a guess. */
export function parseJson(text: string): JsonNode {
  let pos = 0;

  const fail = (reason: string, at = pos): never => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(reason, line, at - lineStart + 1);
  };
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`);
  const skipWhitespace = () => {
    for (;;) {
      const code = text.charCodeAt(pos); // NaN past the end
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      pos++;
    }
  };
  const expect = (char: string) => {
    if (text[pos] !== char) fail(`expected '${char}' but found ${describe(pos)}`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    expect('"');
    let out = '';
    let runStart = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(pos);
      if (code === 0x22) break;
      if (code < 0x20) fail('control character in string (write it as an escape such as \\n)');
      if (code !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(runStart, pos);
      const esc = text[pos + 1];
      if (esc === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string');
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (esc !== undefined && esc in ESCAPES) {
        out += ESCAPES[esc];
        pos += 2;
      } else {
        fail(`invalid escape '\\${esc ?? ''}' in string`);
      }
      runStart = pos;
    }
    out += text.slice(runStart, pos);
    pos++;
    return out;
  };

  /** The members of an object or array, the opening bracket consumed: `member` until `close`, comma-separated. */
  const parseMembers = (close: '}' | ']', member: () => void): void => {
    skipWhitespace();
    if (text[pos] === close) {
      pos++;
      return;
    }
    for (;;) {
      member();
      skipWhitespace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === close) {
        pos++;
        return;
      }
      fail(`expected ',' or '${close}' but found ${describe(pos)}`);
    }
  };

  const parseValue = (): JsonNode => {
    skipWhitespace();
    const char = text[pos];
    if (char === '{') {
      pos++;
      const entries: Array<readonly [string, JsonNode]> = [];
      const seen = new Set<string>();
      parseMembers('}', () => {
        skipWhitespace();
        const keyAt = pos;
        if (text[pos] !== '"') fail(`expected a property name in double quotes but found ${describe(pos)}`);
        const key = parseString();
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)} (keep one of them)`, keyAt);
        seen.add(key);
        skipWhitespace();
        expect(':');
        entries.push([key, parseValue()]);
      });
      return jsonObject(entries);
    }
    if (char === '[') {
      pos++;
      const items: JsonNode[] = [];
      parseMembers(']', () => items.push(parseValue()));
      return jsonArray(items);
    }
    if (char === '"') {
      const start = pos;
      const value = parseString();
      return { kind: 'string', value, raw: text.slice(start, pos) };
    }
    if (char === 't' && text.startsWith('true', pos)) {
      pos += 4;
      return TRUE;
    }
    if (char === 'f' && text.startsWith('false', pos)) {
      pos += 5;
      return FALSE;
    }
    if (char === 'n' && text.startsWith('null', pos)) {
      pos += 4;
      return NULL;
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos += number[0].length;
      return { kind: 'number', raw: number[0] };
    }
    if (pos === 0 && text.charCodeAt(0) === 0xfeff) {
      fail('the file starts with a byte order mark, which Botpress cannot read (save it as UTF-8 without BOM)');
    }
    return fail(`unexpected ${describe(pos)}`);
  };

  let document: JsonNode;
  try {
    document = parseValue();
  } catch (error) {
    if (error instanceof RangeError) fail('the document is nested too deeply', pos);
    throw error;
  }
  skipWhitespace();
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the document`);
  return document;
}
