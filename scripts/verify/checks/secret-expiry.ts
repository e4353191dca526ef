import type { Check, Observation } from '../check';

const id = 'secret-expiry';

/** Days before expiry from which the secret check warns. */
const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The deploy outputs' expiry and next rotation of the client secret, against today. */
export const secretExpiry: Check = {
  id,
  title: "The client secret's expiry and next rotation",
  async gather(target) {
    return target.outputs
      ? []
      : [
          {
            kind: 'not-asked',
            reason: `no deploy outputs: pass --outputs <file> written by npx cdktf output ${target.environment} --json`,
          },
        ];
  },
  judge(target, observations, now) {
    const skipped = observations.find((o): o is Extract<Observation, { kind: 'not-asked' }> => o.kind === 'not-asked');
    if (skipped) return { id, status: 'skip', detail: skipped.reason };
    const expires = Date.parse(target.outputs?.clientSecretExpiresAt ?? '');
    const rotation = Date.parse(target.outputs?.clientSecretNextRotation ?? '');
    if (Number.isNaN(expires))
      return {
        id,
        status: 'skip',
        detail: 'the outputs have no client_secret_expires_at (SSO disabled, or not deployed yet)',
      };
    const deploy = `npx cdktf deploy ${target.environment} issues a new secret; restart Botpress`;
    const days = Math.floor((expires - now.getTime()) / DAY_MS);
    const when = `expires ${new Date(expires).toISOString()}${Number.isNaN(rotation) ? '' : `, next rotation ${new Date(rotation).toISOString()}`}`;
    if (expires <= now.getTime())
      return { id, status: 'fail', detail: `the client secret ${when}: it has expired`, fix: deploy };
    if (days < EXPIRY_WARNING_DAYS)
      return { id, status: 'warn', detail: `the client secret ${when}: ${days} days left`, fix: deploy };
    if (!Number.isNaN(rotation) && rotation <= now.getTime())
      return { id, status: 'warn', detail: `the client secret ${when}: rotation is due`, fix: deploy };
    return { id, status: 'pass', detail: `the client secret ${when} (${days} days left)` };
  },
};
