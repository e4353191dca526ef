/** The type of large-config.js (plain JavaScript, so that the benchmark runs it with node alone). */

/** A deterministic botpress.config.json of at least `bytes` bytes, grown from `exampleText`. */
export function largeConfig(exampleText: string, bytes: number): string;
