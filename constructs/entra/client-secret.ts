/**
 * The client secret and its rotation, in one of two ways (docs/client-secret.md, "Rotation and restarts"):
 *
 * - `restart`: one password, re-issued at every rotation date with create_before_destroy. The
 *   deploy restarts Botpress after installing the new one (the restart step), and Terraform
 *   destroys the replaced password only after everything that depends on the new one, the
 *   restart step included, has succeeded: a failed restart keeps it (rotation-lab, exp. 1, 2, 9).
 * - `two-slots`: no restart step. Two passwords in alternating slots, each living two rotation
 *   periods; the config always gets the newer one. A rotation re-issues only the older slot, the
 *   one a Botpress restarted since the last rotation no longer uses; so Botpress must be
 *   restarted onto the newer secret before the next rotation date (`restartBy`).
 *
 * Both follow the drift-free schedule of rotation-schedule.ts: the anchor is a terraform_data
 * holding the first deploy's time (`ignore_changes`), read as `.input` (known at plan, even on
 * the first one), and every date is anchor midnight + n x rotationDays days.
 */
import { TerraformLocal, TerraformStack } from 'cdktf';
import type { TerraformProvider, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { StateLocation, declareRotationGuard } from './rotation-guard';
import {
  aIsNewerHcl,
  daysSinceEpochHcl,
  generationHcl,
  midnightHcl,
  plusDaysHcl,
  slotGenerationsHcl,
} from './rotation-schedule';
import { Described, emphasis } from './described';
import { MovedBlock, TerraformData } from '../terraform/built-in';

/** Days a secret stays valid past the date it is due to be replaced, so that a late deploy never strands Botpress. */
export const SECRET_GRACE_DAYS = 30;

/** Every password's display name: the same as before 0.3, so that the upgrade does not re-issue the secret Botpress holds. */
const SECRET_DISPLAY_NAME = 'botpress-sso';

/** How the secret rotates: re-issued with a restart step, or in two alternating slots without one. */
export type SecretRotationMode = 'restart' | 'two-slots';

/** The rotation schedule, as Terraform expressions (`${...}`), known at plan time. */
export interface SecretRotation {
  readonly mode: SecretRotationMode;
  readonly rotationDays: number;
  /** The terraform_data holding the first deploy's time (ignore_changes, prevent_destroy). */
  readonly anchor: TerraformResource;
  /** The anchor's time. */
  readonly anchorTime: string;
  /** The current generation k: whole rotation periods since the anchor's date. */
  readonly generation: string;
  /** The next rotation date: the anchor's date + (k + 1) x rotationDays days, UTC midnight. */
  readonly nextRotation: string;
  /** What the rotation guard compares across deploys: `{ mode, anchor, rotation_days, generation }`. */
  readonly record: string;
}

interface ClientSecretBase {
  /** The secret the config is given (sensitive). */
  readonly value: string;
  /** Its key id (not a secret). */
  readonly keyId: string;
  /** When it stops working. */
  readonly endDate: string;
}

/** With a restart step: one password, re-issued at every rotation date. */
export interface RestartedClientSecret extends ClientSecretBase {
  readonly mode: 'restart';
  readonly password: ApplicationPasswordA;
}

/** Without a restart step: two passwords in alternating slots. */
export interface SlottedClientSecret extends ClientSecretBase {
  readonly mode: 'two-slots';
  readonly slots: { readonly a: ApplicationPasswordA; readonly b: ApplicationPasswordA };
  /** The slot the config is given ("a" or "b"): the newer one. */
  readonly slot: string;
  /** Key id of the older slot's secret: the one a Botpress not restarted since the last rotation still runs on. */
  readonly olderKeyId: string;
  /**
   * The date by which Botpress must run on the newer secret: the next rotation date (when the
   * older slot is re-issued), or the older secret's end date if that comes first.
   */
  readonly restartBy: string;
}

export type ClientSecret = RestartedClientSecret | SlottedClientSecret;

export interface ClientSecretOptions {
  /** The application's `id` (`/applications/<object id>`). */
  readonly applicationId: string;
  readonly rotationDays: number;
  readonly mode: SecretRotationMode;
  readonly provider?: TerraformProvider;
  /** Where the stack's state is: the rotation guard reads the previous deploy's schedule there. None: no guard. */
  readonly stateLocation?: StateLocation;
}

const SLOTS = ['a', 'b'] as const;

/** Declares the rotation schedule and the client secret(s) in `scope`. */
export function declareClientSecret(
  scope: Construct,
  options: ClientSecretOptions,
): { readonly rotation: SecretRotation; readonly secret: ClientSecret } {
  const stack = TerraformStack.of(scope);
  const ref = (local: TerraformLocal) => `local.${stack.getLogicalId(local)}`;
  const R = options.rotationDays;

  // Tests substitute a variable for plantimestamp() to drive time (test/support/rotation-module.ts).
  const now = new TerraformLocal(scope, 'secret_rotation_now', '${plantimestamp()}');
  // The anchor never changes: a replaced anchor would restart the schedule and, with two slots,
  // re-issue both secrets at once. prevent_destroy stops -replace and taint at plan; removing
  // SSO (enabled: false) takes it out of the configuration, which prevent_destroy allows.
  const anchor = new TerraformData(scope, 'secret_rotation_anchor', {
    input: `\${${ref(now)}}`,
    lifecycle: { ignoreChanges: ['input'], preventDestroy: true },
  });
  const anchorTime = `${anchor.address}.input`;
  const days = new TerraformLocal(
    scope,
    'secret_rotation_days',
    `\${${daysSinceEpochHcl({ anchor: anchorTime, now: ref(now) })}}`,
  );
  const generation = new TerraformLocal(scope, 'secret_rotation_generation', `\${${generationHcl(ref(days), R)}}`);
  const midnight = new TerraformLocal(scope, 'secret_rotation_midnight', `\${${midnightHcl(anchorTime)}}`);
  const k = ref(generation);
  const boundary = (n: string) => plusDaysHcl(ref(midnight), `(${n}) * ${R}`);
  const expiry = (n: string) => plusDaysHcl(ref(midnight), `(${n}) * ${R} + ${SECRET_GRACE_DAYS}`);
  const record = `{ mode = "${options.mode}", anchor = ${anchorTime}, rotation_days = ${R}, generation = ${k} }`;
  const addresses = {
    single: `azuread_application_password.${logicalIdOf(scope, CLIENT_SECRET_ID)}`,
    slotA: `azuread_application_password.${logicalIdOf(scope, slotId('a'))}`,
    slotB: `azuread_application_password.${logicalIdOf(scope, slotId('b'))}`,
  };
  if (options.stateLocation) {
    declareRotationGuard(scope, { state: options.stateLocation, anchorTime, now: ref(now), record, addresses });
  }
  const rotation: SecretRotation = {
    mode: options.mode,
    rotationDays: R,
    anchor,
    anchorTime: `\${${anchorTime}}`,
    generation: `\${${k}}`,
    nextRotation: `\${${boundary(`${k} + 1`)}}`,
    record: `\${${record}}`,
  };

  const password = (id: string, endDate: string, rotateWhenChanged: Record<string, string>, lifecycle: object) =>
    new ApplicationPasswordA(scope, id, {
      provider: options.provider,
      applicationId: options.applicationId,
      displayName: SECRET_DISPLAY_NAME,
      endDate: `\${${endDate}}`,
      rotateWhenChanged,
      lifecycle,
    });

  if (options.mode === 'restart') {
    // Issued at generation k, it must last until it is replaced at k + 1 (and a grace after).
    const only = password(
      CLIENT_SECRET_ID,
      expiry(`${k} + 1`),
      { generation: `\${tostring(${k})}` },
      // The new secret exists before the old one goes, and the old one goes last (see above).
      { createBeforeDestroy: true },
    );
    return {
      rotation,
      secret: { mode: 'restart', password: only, value: only.value, keyId: only.keyId, endDate: only.endDate },
    };
  }

  // Slot a's n-th secret is issued at generation 2n, slot b's at 2n - 1; each lives two periods.
  const slotGeneration = slotGenerationsHcl(k);
  const issuedAt = { a: `2 * ${slotGeneration.a}`, b: `2 * ${slotGeneration.b} - 1` };
  const [a, b] = SLOTS.map((slot) => {
    // A change of this generation, and only that, re-issues the slot: ignore_changes keeps a
    // change of rotationDays or of the grace from re-issuing both at once (the guard then
    // decides), and keeps the moved single secret as it is (below).
    const trigger = new TerraformData(scope, `client_secret_slot_${slot}_generation`, {
      input: `\${${slotGeneration[slot]}}`,
    });
    return password(
      slotId(slot),
      expiry(`${issuedAt[slot]} + 2`),
      { slot, generation: `\${tostring(${slotGeneration[slot]})}` },
      // No create_before_destroy (nor anything depending on a slot that has it): at most two
      // passwords exist, the limit of apps open to personal Microsoft accounts.
      // A plain address: OpenTofu reads replace_triggered_by in JSON as references, not templates.
      { ignoreChanges: ['display_name', 'rotate_when_changed', 'end_date'], replaceTriggeredBy: [trigger.address] },
    );
  });
  // The single secret of a stack without slots (0.2, or the restart mode) becomes the OLDER slot
  // at generation 0, so that Botpress keeps the secret it runs on until slot b is re-issued; the
  // config moves to a fresh slot a at once. (As the newer slot, its old end date could expire
  // while it is still the configured secret.)
  new MovedBlock(scope, 'client_secret_moved_to_slot_b', addresses.single, addresses.slotB);

  const aIsNewer = aIsNewerHcl(k);
  const newer = `${aIsNewer} ? "a" : "b"`;
  const pick = (attribute: string, which: 'newer' | 'older') => {
    const [first, second] = which === 'newer' ? [addresses.slotA, addresses.slotB] : [addresses.slotB, addresses.slotA];
    return `(${aIsNewer} ? ${first}.${attribute} : ${second}.${attribute})`;
  };
  const local = (id: string, expression: string) => new TerraformLocal(scope, id, `\${${expression}}`).asString;
  const olderEnd = pick('end_date', 'older');
  const next = boundary(`${k} + 1`);
  return {
    rotation,
    secret: {
      mode: 'two-slots',
      slots: { a, b },
      slot: local('client_secret_slot', newer),
      value: local('client_secret_value', pick('value', 'newer')),
      keyId: local('client_secret_key_id', pick('key_id', 'newer')),
      endDate: local('client_secret_end_date', pick('end_date', 'newer')),
      olderKeyId: local('client_secret_older_key_id', pick('key_id', 'older')),
      restartBy: local('client_secret_restart_by', `timecmp(${olderEnd}, ${next}) < 0 ? ${olderEnd} : ${next}`),
    },
  };
}

/** The construct id of the single secret: its Terraform address has not changed since 0.1. */
const CLIENT_SECRET_ID = 'client_secret';

const slotId = (slot: 'a' | 'b') => `client_secret_slot_${slot}`;

/** The logical id a resource with construct id `id` would have in `scope`, without declaring one. */
function logicalIdOf(scope: Construct, id: string): string {
  const probe = new Construct(scope, id);
  const logicalId = TerraformStack.of(scope).getLogicalId(probe.node);
  scope.node.tryRemoveChild(id);
  return logicalId;
}

/** The client secret(s) described for people: a few words for summaries, a sentence for reviews. */
export function describeClientSecret(
  mode: SecretRotationMode,
  rotationDays: number,
): { readonly summary: Described; readonly detail: Described } {
  const schedule = `every ${rotationDays} days on a fixed schedule (the first deploy's date + n x ${rotationDays} days, UTC)`;
  if (mode === 'restart') {
    return {
      summary: ['client secret (rotated with a Botpress restart)'],
      detail: [
        `Client secret, rotated ${schedule}: the deploy that rotates it installs the new one, runs the restart step `,
        '(restart.command, then waits until Botpress lists the strategy) and only then deletes the old one, ',
        `which a failed restart keeps; each secret stays valid ${SECRET_GRACE_DAYS} days past its rotation date`,
      ],
    };
  }
  return {
    summary: ['two client secrets (alternating slots)'],
    detail: [
      `Two client secrets in alternating slots, rotated ${schedule}: each lives two periods (and ${SECRET_GRACE_DAYS} days), `,
      'the config always gets the newer one, and no deploy deletes the one a running Botpress may still hold. ',
      emphasis('Botpress must be restarted onto the newer secret before the next rotation date'),
      ' (outputs client_secret_slot, client_secret_key_id and client_secret_restart_by), or set restart.command to have every rotating deploy do it',
    ],
  };
}
