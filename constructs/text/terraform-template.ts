import type { RenderedPart } from './json-document';

/**
 * Turning rendered JSON text into Terraform string templates that evaluate back to exactly
 * that text.
 *
 * Every string in cdk.tf.json is a Terraform template, and cdktf scans every string for its own
 * token markers and for `${` ... `}` pairs before writing it. Text from the admin's file can
 * contain anything, so each sequence that either of them would interpret is written as an
 * interpolation of a one-character string, which evaluates to the same characters and which
 * cdktf sees as a closed pair:
 *
 * - `${` and `%{` (interpolation, directive) become `${"$"}{` and `${"%"}{`, and a longer run
 *   such as `$${` becomes `${"$$"}{`. Terraform's own
 *   escapes `$${` and `%%{` are not enough: cdktf reads the `${` inside `$${` as an opened
 *   expression and, when no `}` follows in the same text, drops the `${ }` around the next
 *   real expression.
 * - `TfToken[` (the heart of cdktf's string, list and map markers) becomes `TfToken${"["}`.
 * - cdktf reads number-like text with a large exponent as a possible number token: every `e`
 *   and `E` of such text becomes `${"e"}` / `${"E"}`.
 *
 * The tests evaluate the result with a real OpenTofu to prove the round trip.
 */

// A whole run: a `$` or `%` just before an inserted `${` would turn it into the escape `$${`.
const TEMPLATE_SEQUENCE = /[$%]+\{/g;
const CDKTF_TOKEN_MARKER = /TfToken\[/g;
// The same pattern cdktf uses to find number tokens inside strings.
const CDKTF_NUMBER_LIKE = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
// cdktf's number tokens are doubles around -1e289 and below; any 3-digit exponent is escaped.
const LARGE_EXPONENT = /[eE][-|.+]*\d{3}/;

export function escapeTemplateLiteral(text: string): string {
  return text
    .replace(TEMPLATE_SEQUENCE, (sequence: string) => `\${"${sequence.slice(0, -1)}"}{`)
    .replace(CDKTF_TOKEN_MARKER, () => 'TfToken${"["}')
    .replace(CDKTF_NUMBER_LIKE, (match: string) =>
      LARGE_EXPONENT.test(match) ? match.replace(/[eE]/g, (e) => `\${"${e}"}`) : match,
    );
}

/** A Terraform string literal, for use inside an interpolation, that evaluates to exactly `text`. */
export function terraformStringLiteral(text: string): string {
  return escapeTemplateLiteral(JSON.stringify(text));
}

/** Chunks end at a line break once they reach this many characters. */
export const TEMPLATE_CHUNK_SIZE = 4096;

/**
 * Turns rendered parts into a list of templates whose concatenation is the text. Each hole
 * becomes `${jsonencode(<expression>)}`, which Terraform turns into a correctly escaped JSON
 * string whatever the value holds.
 *
 * Why a list: Terraform's template parser costs time proportional to lines times length for
 * each string (a 0.2 MB, 5,000-line config took 4 s of CPU, 0.9 MB took 50 s), while a list of
 * ~4 KB chunks joined with `join("", ...)` evaluates in linear time. Chunks end after a newline,
 * which never falls inside a `${`, a cdktf marker or a JSON token.
 */
export function toTerraformTemplateChunks(
  parts: readonly RenderedPart[],
  jsonEncodedHole: (name: string) => string,
  chunkSize = TEMPLATE_CHUNK_SIZE,
): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  parts.forEach((part, index) => {
    if (typeof part !== 'string') {
      current.push(jsonEncodedHole(part.name));
      return;
    }
    const next = parts[index + 1];
    // A literal `$` or `%` right before an interpolation would escape it; JSON never puts one
    // there (holes are whole values), but a silent mis-render is worth one check.
    if (next !== undefined && typeof next !== 'string' && /[$%]$/.test(part)) {
      throw new Error(`internal: literal text ends with '${part.slice(-1)}' before a value`);
    }
    let start = 0;
    while (start < part.length) {
      const newline = part.indexOf('\n', start + Math.max(0, chunkSize - length - 1));
      const end = newline === -1 ? part.length : newline + 1;
      current.push(escapeTemplateLiteral(part.slice(start, end)));
      length += end - start;
      start = end;
      if (newline !== -1 && length >= chunkSize) {
        chunks.push(current.join(''));
        current = [];
        length = 0;
      }
    }
  });
  if (current.length > 0) chunks.push(current.join(''));
  return chunks;
}
