/** A unified diff of a JSON file before and after a deploy, secrets redacted on both sides. */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import { collectSecretValues, JsonNode, redactSecretChange, renderJsonText } from '../../constructs/internal';

export interface RedactedDiff {
  /** The unified diff, or '' when nothing changes. */
  readonly patch: string;
  readonly added: number;
  readonly removed: number;
  /** The secret values of both sides, to scrub from the whole review. */
  readonly secrets: readonly string[];
}

/**
 * `before` and `after` redacted by key name (see redaction.ts), written in Botpress's layout and
 * diffed with 3 lines of context. `file` names both sides; `keep` accepts placeholders that hold
 * no secret.
 */
export function redactedDiff(
  file: string,
  before: JsonNode,
  after: JsonNode,
  keep: (value: string) => boolean = () => false,
): RedactedDiff {
  const redacted = redactSecretChange(before, after, { keep });
  const oldText = renderJsonText(redacted.before);
  const newText = renderJsonText(redacted.after);
  const patch =
    oldText === newText
      ? ''
      : createTwoFilesPatch(`a/${file}`, `b/${file}`, oldText, newText, 'current', 'after deploy', {
          context: 3,
          headerOptions: FILE_HEADERS_ONLY,
        });
  const lines = patch.split('\n');
  return {
    patch,
    added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
    removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
    secrets: [...collectSecretValues(before, { keep }), ...collectSecretValues(after, { keep })],
  };
}
