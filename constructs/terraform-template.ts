import type { RenderedPart } from './json-document';

/**
 * Turning rendered JSON text into a Terraform string template that evaluates back to exactly
 * that text.
 *
 * Every string in cdk.tf.json is a Terraform template, and cdktf scans every string for its own
 * token markers before writing it. Text from the admin's file can contain anything, so each
 * sequence that either of them would interpret is rewritten into a form that evaluates to the
 * same characters:
 *
 * - `${` and `%{` start Terraform interpolations and directives: doubled to `$${` and `%%{`.
 * - `TfToken[` is the heart of cdktf's string, list and map token markers (`${TfToken[`,
 *   `#{TfToken[`, `&{TfToken[`): written as `TfToken${"["}` so that no marker survives.
 * - cdktf also reads numbers in the range it uses for number tokens (about -1e289 and below)
 *   as tokens: their exponent `e` is written as `${"e"}`.
 *
 * The tests evaluate the result with a real OpenTofu to prove the round trip.
 */

const TEMPLATE_SEQUENCE = /([$%])\{/g;
const CDKTF_TOKEN_MARKER = /TfToken\[/g;
// The same pattern cdktf uses to find number tokens inside strings.
const CDKTF_NUMBER_LIKE = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
const NUMBER_TOKEN_MAGNITUDE = 1e289;

export function escapeTemplateLiteral(text: string): string {
  return text
    .replace(TEMPLATE_SEQUENCE, (_match, sigil: string) => `${sigil}${sigil}{`)
    .replace(CDKTF_TOKEN_MARKER, () => 'TfToken${"["}')
    .replace(CDKTF_NUMBER_LIKE, (match: string) =>
      Math.abs(parseFloat(match)) >= NUMBER_TOKEN_MAGNITUDE ? match.replace('e', () => '${"e"}') : match,
    );
}

/**
 * Joins rendered parts into one template. Each hole becomes `${jsonencode(<expression>)}`, which
 * Terraform turns into a correctly escaped JSON string whatever the value holds; `jsonencode`
 * writes its own token because cdktf only resolves expressions it created.
 */
export function toTerraformTemplate(parts: readonly RenderedPart[], jsonEncodedHole: (name: string) => string): string {
  return parts
    .map((part, index) => {
      if (typeof part !== 'string') return jsonEncodedHole(part.name);
      const next = parts[index + 1];
      // A literal `$` or `%` right before an interpolation would escape it; JSON never puts one
      // there (holes are whole values), but a silent mis-render is worth one check.
      if (next !== undefined && typeof next !== 'string' && /[$%]$/.test(part)) {
        throw new Error(`internal: literal text ends with '${part.slice(-1)}' before a value`);
      }
      return escapeTemplateLiteral(part);
    })
    .join('');
}
