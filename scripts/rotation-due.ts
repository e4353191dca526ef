/**
 * `npm run --silent rotation-due -- <outputs.json> <environment>`: whether the scheduled deploy
 * should deploy the environment now, from the outputs of its last deploy (no secret in them). It
 * prints why when it is due, and nothing when it is not; the exit code is 0 either way (2 for bad
 * arguments), so that the workflow reads the answer from stdout.
 *
 * Due: the rotation date (`client_secret_next_rotation`) is now or past, or there is none (a stack
 * deployed before rotation dates were outputs, or one never deployed). The first deploy on or
 * after the date is the one that rotates, so due is exactly when a deploy would change something
 * about the secret.
 */
import { readFileSync } from 'node:fs';
import { OutputText, stackOutputs } from './stack-outputs';

/** Why the environment is due, or undefined when it is not. Pure. */
export function rotationDue(outputs: OutputText, now: Date): string | undefined {
  const next = outputs('client_secret_next_rotation');
  if (next === undefined || Number.isNaN(Date.parse(next))) return 'no rotation date in its outputs yet';
  return Date.parse(next) <= now.getTime() ? `rotation due since ${next}` : undefined;
}

export function main(argv: readonly string[], now = new Date()): { code: number; out: string } {
  const [file, environment] = argv;
  if (!file || !environment)
    return { code: 2, out: 'usage: npm run --silent rotation-due -- <outputs.json> <environment>\n' };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { code: 0, out: 'no readable outputs\n' };
  }
  const due = rotationDue(stackOutputs(data, environment), now);
  return { code: 0, out: due ? `${due}\n` : '' };
}

if (require.main === module) {
  const { code, out } = main(process.argv.slice(2));
  process.stdout.write(out);
  process.exitCode = code;
}
