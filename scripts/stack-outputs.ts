/**
 * A stack's outputs as `npx cdktf output <stack> --json` writes them ({stack: {name: value}}) or
 * `terraform output -json` ({name: {value}}), read as text values. Pure.
 */

/** The output `name` as text, or undefined when absent or not text. */
export type OutputText = (name: string) => string | undefined;

export function stackOutputs(data: unknown, environment: string): OutputText {
  const record = (value: unknown) =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const top = record(data);
  const outputs = environment in top && typeof top[environment] === 'object' ? record(top[environment]) : top;
  return (name) => {
    const value = outputs[name];
    const inner =
      value !== null && typeof value === 'object' && 'value' in (value as object)
        ? (value as { value: unknown }).value
        : value;
    return typeof inner === 'string' ? inner : undefined;
  };
}
