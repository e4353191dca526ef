/**
 * What the operator must know about the client secret after this deploy: with a restart step,
 * that the deploy restarts Botpress (and whether a replaced secret is still waiting for a restart
 * that failed); with two slots, which secret Botpress must be restarted onto, and by when.
 *
 * Read from the stack (mode, period) and, where the app can read it offline, the environment's
 * local state: the anchor, each slot's key id, end date and the generation it was issued at, and
 * deposed secrets. The dates follow the schedule the stack declares (rotation-schedule.ts); with
 * remote state or before a first deploy, the outputs a deploy writes tell the same. Pure: the
 * state's text in, data out.
 */
import {
  type BotpressSsoStack,
  boundaryAt,
  generationAt,
  newerSlotAt,
  plainText,
  slotGenerationsAt,
  type Described,
  value,
} from '../constructs/internal';

interface StoredAttributes {
  readonly input?: { readonly value?: unknown };
  readonly key_id?: string;
  readonly end_date?: string;
  readonly rotate_when_changed?: { readonly generation?: string };
}
type StateInstance = { attributes?: StoredAttributes; deposed?: string };
type StateResource = { mode?: string; type?: string; name?: string; module?: string; instances?: StateInstance[] };

interface SlotInState {
  readonly keyId?: string;
  readonly endDate?: string;
  /** The slot generation it was issued at (rotate_when_changed). */
  readonly generation?: number;
}

export type RotationStatus =
  | {
      readonly mode: 'restart';
      readonly command: string;
      readonly timeoutSeconds: number;
      /** Key ids of replaced secrets kept because a restart step failed: the next successful one deletes them. */
      readonly waitingForRestart: readonly string[];
    }
  | {
      readonly mode: 'two-slots';
      readonly rotationDays: number;
      /** What the state told; undefined without readable local state (a first deploy, or remote state). */
      readonly known?: {
        /** The slot whose secret the config holds after this deploy. */
        readonly slot: 'a' | 'b';
        /** Its key id, when this deploy does not issue it anew. */
        readonly keyId?: string;
        /** Slots this deploy re-issues (more than one: the rotation guard stops it). */
        readonly reissued: ReadonlyArray<'a' | 'b'>;
        /** The date by which Botpress must run on that secret. */
        readonly restartBy: string;
        readonly nextRotation: string;
      };
    };

function resourcesOf(stateText: string | undefined): StateResource[] {
  if (stateText === undefined) return [];
  try {
    return ((JSON.parse(stateText) as { resources?: StateResource[] }).resources ?? []).filter(
      (r) => r.mode === 'managed' && r.module === undefined,
    );
  } catch {
    return [];
  }
}

/** The status of `stack`'s client secret at `now`, with its local state's text when there is one. */
export function rotationStatus(
  stack: BotpressSsoStack,
  stateText: string | undefined,
  now: Date,
): RotationStatus | undefined {
  const entra = stack.sso.entra;
  if (!entra) return undefined;
  const resources = resourcesOf(stateText);
  const named = (type: string, resource: { node: unknown } | undefined) =>
    resource && resources.find((r) => r.type === type && r.name === stack.getLogicalId(resource as never));
  const secret = entra.clientSecret;
  if (secret.mode === 'restart') {
    const restart = stack.sso.resolved.restart as { command: string; timeoutSeconds: number };
    const password = named('azuread_application_password', secret.password);
    return {
      mode: 'restart',
      command: restart.command,
      timeoutSeconds: restart.timeoutSeconds,
      waitingForRestart: (password?.instances ?? [])
        .filter((i) => i.deposed)
        .map((i) => String(i.attributes?.key_id ?? '?')),
    };
  }
  const rotationDays = entra.secretRotation.rotationDays;
  const anchor = named('terraform_data', entra.secretRotation.anchor)?.instances?.[0]?.attributes?.input?.value;
  if (typeof anchor !== 'string') return { mode: 'two-slots', rotationDays };
  const slotOf = (password: { node: unknown }): SlotInState => {
    const attributes = named('azuread_application_password', password)?.instances?.find((i) => !i.deposed)?.attributes;
    const generation = Number(attributes?.rotate_when_changed?.generation);
    return {
      keyId: attributes?.key_id,
      endDate: attributes?.end_date,
      generation: Number.isInteger(generation) ? generation : undefined,
    };
  };
  const k = generationAt(anchor, now.toISOString(), rotationDays);
  const stored = { a: slotOf(secret.slots.a), b: slotOf(secret.slots.b) };
  const wanted = slotGenerationsAt(k);
  const reissued = (['a', 'b'] as const).filter(
    (s) => stored[s].keyId === undefined || stored[s].generation !== wanted[s],
  );
  const slot = newerSlotAt(k);
  const older = slot === 'a' ? 'b' : 'a';
  const nextRotation = boundaryAt(anchor, k + 1, rotationDays);
  // The older slot's secret, if this deploy keeps it, may expire before the next rotation date.
  const olderEnd = reissued.includes(older) ? undefined : stored[older].endDate;
  const restartBy = olderEnd && Date.parse(olderEnd) < Date.parse(nextRotation) ? olderEnd : nextRotation;
  return {
    mode: 'two-slots',
    rotationDays,
    known: {
      slot,
      keyId: reissued.includes(slot) ? undefined : stored[slot].keyId,
      reissued,
      restartBy,
      nextRotation,
    },
  };
}

/** The status in words, one sentence per line. */
export function describeRotationStatus(status: RotationStatus): Described[] {
  if (status.mode === 'restart') {
    return [
      [
        'Client secret rotated with a restart step: a deploy that replaces a file Botpress reads runs ',
        value(status.command),
        ` and waits up to ${status.timeoutSeconds} s until Botpress lists the strategy; a replaced secret is deleted only after that.`,
      ],
      ...(status.waitingForRestart.length > 0
        ? [
            [
              'A restart step failed earlier: the replaced secret',
              status.waitingForRestart.length === 1 ? ' ' : 's ',
              ...status.waitingForRestart.flatMap((keyId, i) => (i === 0 ? [value(keyId)] : [', ', value(keyId)])),
              ' stay until this deploy restarts Botpress successfully.',
            ] as Described,
          ]
        : []),
    ];
  }
  const known = status.known;
  if (!known) {
    return [
      [
        `Client secret in two alternating slots, rotated every ${status.rotationDays} days; Botpress is not restarted by the deploy. `,
        'After it, restart Botpress onto the secret the config holds (outputs ',
        value('client_secret_slot'),
        ' and ',
        value('client_secret_key_id'),
        ') before ',
        value('client_secret_restart_by'),
        '.',
      ],
    ];
  }
  const which: Described = known.keyId
    ? ['slot ', value(known.slot), "'s secret (key id ", value(known.keyId), ')']
    : [
        'the new secret this deploy issues in slot ',
        value(known.slot),
        ' (its key id: output ',
        value('client_secret_key_id'),
        ')',
      ];
  return [
    [
      `Client secret in two alternating slots, rotated every ${status.rotationDays} days (next on `,
      value(known.nextRotation),
      '). After this deploy the config holds ',
      ...which,
      ': restart Botpress so that it runs on it before ',
      value(known.restartBy),
      '.',
    ],
    ...(known.reissued.length > 1
      ? [['Both slots would be issued anew: the rotation guard stops this deploy (see its message).'] as Described]
      : []),
  ];
}

/** The status as plain lines, for `npm start`. */
export const rotationStatusLines = (status: RotationStatus | undefined): string[] =>
  status ? describeRotationStatus(status).map(plainText) : [];
