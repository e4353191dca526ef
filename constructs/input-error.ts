import type { ErrorObject } from 'ajv';

/**
 * Characters that hide or reorder text on a screen: C0 and C1 controls, DEL, the line and
 * paragraph separators, and the bidirectional embeddings, overrides and isolates. As a regular
 * expression character range, for the patterns of settings people read and for escaping values.
 */
export const HIDDEN_CHARACTERS = '\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069';
const HIDDEN = new RegExp(`[${HIDDEN_CHARACTERS}]`, 'g');

/** Stands in an error for a value that must not be shown, such as text from the admin's file. */
export class ValueDescription {
  constructor(readonly text: string) {}
}

/** Shortens a value for an error message. Never pass secrets here: nothing is redacted. */
function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (value instanceof ValueDescription) return `(${value.text})`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // JSON escapes C0 controls; these are escaped too, so that no value reaches a terminal raw.
  text = text.replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/**
 * Bad input, told the way an admin can act on it: which field, what value, what is wrong with
 * it, and how to fix it. The command line prints `message` without a stack trace.
 */
export class SsoInputError extends Error {
  constructor(
    /** Dotted path of the offending field, for example `environments.prod.botpressUrl`. */
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
    readonly fix: string,
    /** The construct the error is about (its path, `platform/botpress_sso`), when a construct reports it. */
    readonly construct?: string,
  ) {
    super(`${construct ? `${construct}: ` : ''}${field} = ${describeValue(value)}: ${problem}.\n  Fix: ${fix}`);
    this.name = 'SsoInputError';
  }

  /** The same error located under `prefix` (an environment, a file). */
  within(prefix: string): SsoInputError {
    const field = prefix ? `${prefix}.${this.field}` : this.field;
    return new SsoInputError(field, this.value, this.problem, this.fix, this.construct);
  }

  /** The same error, told as being about the construct at `path`. */
  inConstruct(path: string): SsoInputError {
    return new SsoInputError(this.field, this.value, this.problem, this.fix, path);
  }
}

/** Several input errors reported together, so that one run shows everything to fix. */
export class SsoInputErrors extends Error {
  constructor(readonly errors: readonly SsoInputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'SsoInputErrors';
  }
}

/** An input error (or several) told as being about the construct at `path`; anything else as it is. */
export function inConstruct(error: unknown, path: string): unknown {
  if (error instanceof SsoInputError) return error.inConstruct(path);
  if (error instanceof SsoInputErrors) return new SsoInputErrors(error.errors.map((e) => e.inConstruct(path)));
  return error;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Turns ajv's errors (compiled with `verbose`, so each carries its schema) into input errors.
 * `root` prefixes every field; `data` is the validated document, used to show values.
 */
export function fromSchemaErrors(errors: readonly ErrorObject[], root: string): SsoInputError[] {
  const result: SsoInputError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') continue; // its `then` failure is reported on its own
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue; // reported below
    const at = join(root, error.instancePath.split('/').slice(1).map(unescapePointer).join('.'));
    const parent = (error.parentSchema ?? {}) as {
      description?: string;
      properties?: Record<string, { description?: string }>;
    };
    let converted: SsoInputError;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        const known = Object.keys(parent.properties ?? {});
        const suggestion = closest(key, known);
        converted = new SsoInputError(
          join(at, key),
          (error.data as Record<string, unknown>)[key],
          'is not a known setting',
          `${suggestion ? `did you mean "${suggestion}"? ` : ''}Known keys here: ${known.join(', ')}`,
        );
        break;
      }
      case 'required': {
        const key = String(error.params.missingProperty);
        const described = parent.properties?.[key]?.description;
        converted = new SsoInputError(
          join(at, key),
          undefined,
          'is required',
          described ? `add it: ${described}` : 'add it',
        );
        break;
      }
      case 'enum':
        converted = new SsoInputError(
          at,
          error.data,
          'is not an accepted value',
          `use one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        );
        break;
      case 'const':
        converted = new SsoInputError(
          at,
          error.data,
          'is not accepted',
          `use ${JSON.stringify(error.params.allowedValue)}`,
        );
        break;
      case 'propertyNames': {
        const name = String(error.params.propertyName);
        converted = new SsoInputError(
          join(at, name),
          name,
          'is not a valid name',
          (error.schema as { description?: string }).description ?? error.message ?? '',
        );
        break;
      }
      case 'pattern':
        converted = new SsoInputError(
          at,
          error.data,
          `does not have the expected form (${error.params.pattern})`,
          parent.description ?? 'correct the value',
        );
        break;
      default:
        converted = new SsoInputError(
          at,
          error.data,
          error.message ?? 'is not valid',
          parent.description ?? 'correct the value',
        );
    }
    if (!seen.has(converted.message)) {
      seen.add(converted.message);
      result.push(converted);
    }
  }
  return result;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
