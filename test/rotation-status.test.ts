/**
 * What npm start and the plan review say about the client secret after a deploy, from the stack
 * and the environment's local state (app/rotation-status.ts). The states here have the shape the
 * azuread provider and terraform_data store (facts section 4); the engine-run proof of the same
 * dates is test/proofs/rotation-engine.test.ts.
 */
import { describeRotationStatus, rotationStatus, rotationStatusLines } from '../app/rotation-status';
import { plainText } from '../constructs/internal';
import { synthStack } from './support/stacks';

const R = 10;
const ANCHOR = '2024-01-04T12:00:00Z';

/** A local state holding the anchor and both slots (key ids k-a / k-b, issued at those generations). */
function stateFor(stack: ReturnType<typeof synthStack>['stack'], slots: { a: [number, string]; b: [number, string] }) {
  const entra = stack.sso.entra;
  if (!entra || entra.clientSecret.mode !== 'two-slots') throw new Error('two slots expected');
  const { a, b } = entra.clientSecret.slots;
  const password = (resource: typeof a, slot: string, [generation, endDate]: [number, string]) => ({
    mode: 'managed',
    type: 'azuread_application_password',
    name: stack.getLogicalId(resource),
    instances: [
      {
        attributes: {
          key_id: `k-${slot}`,
          end_date: endDate,
          rotate_when_changed: { slot, generation: String(generation) },
          value: 'SECRET',
        },
      },
    ],
  });
  return JSON.stringify({
    version: 4,
    resources: [
      {
        mode: 'managed',
        type: 'terraform_data',
        name: stack.getLogicalId(entra.secretRotation.anchor),
        instances: [{ attributes: { input: { value: ANCHOR, type: 'string' } } }],
      },
      password(a, 'a', slots.a),
      password(b, 'b', slots.b),
    ],
  });
}

describe('rotation status for npm start and the plan review', () => {
  const { stack } = synthStack({ secretRotationDays: R });

  it('two slots, nothing due: the secret the config holds, by key id, and the next rotation date as the deadline', () => {
    const state = stateFor(stack, { a: [0, '2024-02-23T00:00:00Z'], b: [1, '2024-03-04T00:00:00Z'] });
    const status = rotationStatus(stack, state, new Date('2024-01-16T09:00:00Z')); // k = 1
    expect(status).toEqual({
      mode: 'two-slots',
      rotationDays: R,
      known: {
        slot: 'b',
        keyId: 'k-b',
        reissued: [],
        restartBy: '2024-01-24T00:00:00Z',
        nextRotation: '2024-01-24T00:00:00Z',
      },
    });
    expect(rotationStatusLines(status)).toEqual([
      "Client secret in two alternating slots, rotated every 10 days (next on 2024-01-24T00:00:00Z). After this deploy the config holds slot b's secret (key id k-b): restart Botpress so that it runs on it before 2024-01-24T00:00:00Z.",
    ]);
    expect(JSON.stringify(status)).not.toContain('SECRET');
  });

  it('a rotation date passed: the new secret of the re-issued slot, and the older one ending first when it does', () => {
    // k = 2: slot a is due (issued at generation 0 of its own); b (issued at 1) is kept and ends on 01-30.
    const state = stateFor(stack, { a: [0, '2024-02-03T00:00:00Z'], b: [1, '2024-01-30T00:00:00Z'] });
    const status = rotationStatus(stack, state, new Date('2024-01-24T00:00:00Z'));
    expect(status).toMatchObject({
      known: { slot: 'a', keyId: undefined, reissued: ['a'], restartBy: '2024-01-30T00:00:00Z' },
    });
    expect(plainText(describeRotationStatus(status as never)[0])).toContain(
      'the new secret this deploy issues in slot a (its key id: output client_secret_key_id)',
    );
  });

  it('a gap of two periods: both slots due, and the guard named', () => {
    const state = stateFor(stack, { a: [0, '2024-02-03T00:00:00Z'], b: [0, '2024-01-24T00:00:00Z'] });
    const lines = rotationStatusLines(rotationStatus(stack, state, new Date('2024-02-03T10:00:00Z'))); // k = 3
    expect(lines[1]).toMatch(/rotation guard stops this deploy/);
  });

  it('without local state (a first deploy, or remote state): the outputs to read after the deploy', () => {
    expect(rotationStatusLines(rotationStatus(stack, undefined, new Date()))).toEqual([
      'Client secret in two alternating slots, rotated every 10 days; Botpress is not restarted by the deploy. After it, restart Botpress onto the secret the config holds (outputs client_secret_slot and client_secret_key_id) before client_secret_restart_by.',
    ]);
  });

  it('with a restart step: the command and the wait, and replaced secrets still waiting for a restart that failed', () => {
    const restarted = synthStack({ restart: { command: 'docker compose up -d botpress', timeoutSeconds: 90 } }).stack;
    const entra = restarted.sso.entra;
    if (!entra || entra.clientSecret.mode !== 'restart') throw new Error('restart expected');
    const state = JSON.stringify({
      resources: [
        {
          mode: 'managed',
          type: 'azuread_application_password',
          name: restarted.getLogicalId(entra.clientSecret.password),
          instances: [{ attributes: { key_id: 'new' } }, { deposed: '1a2b3c4d', attributes: { key_id: 'old' } }],
        },
      ],
    });
    expect(rotationStatusLines(rotationStatus(restarted, state, new Date()))).toEqual([
      'Client secret rotated with a restart step: a deploy that replaces a file Botpress reads runs docker compose up -d botpress and waits up to 90 s until Botpress lists the strategy; a replaced secret is deleted only after that.',
      'A restart step failed earlier: the replaced secret old stay until this deploy restarts Botpress successfully.',
    ]);
  });

  it('says nothing when SSO is disabled', () => {
    expect(rotationStatus(synthStack({ enabled: false }).stack, undefined, new Date())).toBeUndefined();
  });
});
