/**
 * Text that marks the values in it (names, URLs, ids) and what deserves emphasis, so that each
 * reporter formats them its own way: `npm start` prints them plainly, the plan review as
 * Markdown code spans and bold text.
 */
export type Described = ReadonlyArray<string | { readonly value: string } | { readonly emphasis: string }>;

/** Marks a value inside a `Described` text. */
export const value = (text: string | number): { readonly value: string } => ({ value: String(text) });

/** Marks words that deserve emphasis inside a `Described` text. */
export const emphasis = (text: string): { readonly emphasis: string } => ({ emphasis: text });

/** The text as it reads, values and emphasis unmarked. */
export function plainText(text: Described): string {
  return formattedText(text, { value: (v) => v, emphasis: (e) => e });
}

/** The text with each marked part passed through its formatter (for example Markdown). */
export function formattedText(
  text: Described,
  format: { readonly value: (value: string) => string; readonly emphasis: (words: string) => string },
): string {
  return text
    .map((part) =>
      typeof part === 'string' ? part : 'value' in part ? format.value(part.value) : format.emphasis(part.emphasis),
    )
    .join('');
}
