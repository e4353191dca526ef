/**
 * The rotation guard: a deploy may not re-issue a client secret that a running Botpress may still
 * hold, unless the operator says they will restart Botpress right after.
 *
 * With two slots that happens when a deploy moves the schedule by anything but 0 or +1 period
 * (a gap of two periods, a changed rotationDays, a new anchor): both slots would be re-issued in
 * one apply (rotation-lab, exp. 7). Switching from two slots to a restart step by configuration
 * alone destroys both slot passwords at the start of the apply, before the restart (exp. 10).
 *
 * The guard compares this deploy's schedule with the previous deploy's, read from the stack's
 * own state (a record output) with the built-in `terraform_remote_state`, whatever the backend,
 * and a precondition stops the plan: nothing is applied. The data source is read only when the
 * anchor already existed (`anchor.input` differs from this plan's time): on a first deploy the
 * state may not exist yet, and `terraform_remote_state` fails on a missing state. The state is
 * trusted (the deployer's own).
 */
import { TerraformDataSource, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { TerraformData } from '../terraform/built-in';

/** Where the stack keeps its state: the guard reads the previous deploy's schedule from there. */
export type StateLocation =
  /** A local state file; the path as the stack's working directory sees it. */
  | { readonly backend: 'local'; readonly path: string }
  /** An azurerm backend; the same settings the backend block has. */
  | {
      readonly backend: 'azurerm';
      readonly resourceGroupName: string;
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly key: string;
      readonly useOidc?: boolean;
    };

/** The variable that lets one deploy through the guard: `--var='allow_secret_reissue=true'`. */
export const ALLOW_REISSUE_VARIABLE = 'allow_secret_reissue';

export interface RotationGuardProps {
  readonly state: StateLocation;
  /** HCL: the anchor's time, the plan's time, the record object of this deploy. */
  readonly anchorTime: string;
  readonly now: string;
  readonly record: string;
  /** Addresses the fix names. */
  readonly addresses: { readonly single: string; readonly slotA: string; readonly slotB: string };
}

/** The built-in terraform_remote_state data source (no provider to download). */
class RemoteState extends TerraformDataSource {
  constructor(
    scope: Construct,
    id: string,
    private readonly state: StateLocation,
  ) {
    super(scope, id, {
      terraformResourceType: 'terraform_remote_state',
      terraformGeneratorMetadata: { providerName: 'terraform' },
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const s = this.state;
    const config =
      s.backend === 'local'
        ? { path: s.path }
        : {
            resource_group_name: s.resourceGroupName,
            storage_account_name: s.storageAccountName,
            container_name: s.containerName,
            key: s.key,
            use_oidc: s.useOidc || undefined,
            use_azuread_auth: true,
          };
    return { backend: s.backend, config };
  }
}

/** Declares the record output, the previous deploy's record and the guard in `scope`. */
export function declareRotationGuard(scope: Construct, props: RotationGuardProps): void {
  const stack = TerraformStack.of(scope);
  const record = new TerraformOutput(scope, 'secret_rotation_record', {
    value: `\${${props.record}}`,
    description: "The client secret's rotation schedule at this deploy; the next deploy's guard compares with it",
  });
  const previous = new RemoteState(scope, 'previous_deploy', props.state);
  previous.addOverride('count', `\${${props.anchorTime} == ${props.now} ? 0 : 1}`);
  // One variable per stack, however many constructs it holds: the fix names it plainly.
  if (!stack.node.tryFindChild(ALLOW_REISSUE_VARIABLE))
    new TerraformVariable(stack, ALLOW_REISSUE_VARIABLE, {
      type: 'bool',
      default: false,
      description:
        'Let this deploy re-issue a client secret that a running Botpress may hold (the rotation guard says when); restart Botpress right after it.',
    });
  const local = (id: string, expression: string) =>
    `local.${stack.getLogicalId(new TerraformLocal(scope, id, `\${${expression}}`))}`;
  const was = local(
    'secret_rotation_previous',
    `try(data.terraform_remote_state.${stack.getLogicalId(previous)}[0].outputs.${stack.getLogicalId(record)}, null)`,
  );
  const now = local('secret_rotation_current', props.record);
  const { single, slotA, slotB } = props.addresses;
  const switching = local(
    'secret_rotation_switching',
    `${was} == null ? false : ${was}.mode == "two-slots" && ${now}.mode == "restart"`,
  );
  const heldSlot = `${was}.generation % 2 == 0 ? "${slotA}" : "${slotB}"`;
  const reissueFix = `deploy once with ${ALLOW_REISSUE_VARIABLE}=true (cdktf deploy <stack> --var='${ALLOW_REISSUE_VARIABLE}=true') and restart Botpress right after it: sign-in fails from the end of that deploy until the restart. Or set restart.command, so that every deploy that re-issues the secret restarts Botpress itself`;
  const switchFix = `restart Botpress now, so that it runs on the secret the config holds; move that secret to the single secret's address in cdktf.out/stacks/<stack>: tofu state mv '%s' '${single}' (or terraform); then deploy with ${ALLOW_REISSUE_VARIABLE}=true (cdktf deploy <stack> --var='${ALLOW_REISSUE_VARIABLE}=true'). The restart step then restarts Botpress onto a new secret before the moved one is deleted`;
  // Empty when the deploy is safe; otherwise what it would do. Both branches of a conditional
  // are evaluated in HCL, but only the chosen one's errors count: `was` is read only when set.
  const problem = local(
    'secret_rotation_guard_problem',
    [
      `${was} == null ? "" : (${switching} ? "switches the client secret from two slots to a restart step, which destroys both slot secrets at the start of the apply, before the restart" : (`,
      `${now}.mode == "restart" || ${was}.mode == "restart" ? "" : (`,
      `${was}.anchor != ${now}.anchor ? format("moves the rotation's anchor from %s to %s, which re-issues both client secrets at once", ${was}.anchor, ${now}.anchor) : (`,
      `${was}.rotation_days != ${now}.rotation_days ? format("changes secret.rotationDays from %d to %d, which re-issues both client secrets at once", ${was}.rotation_days, ${now}.rotation_days) : (`,
      `contains([0, 1], ${now}.generation - ${was}.generation) ? "" : format("runs in rotation period %d while the last deploy ran in period %d: more than one rotation date has passed, so both client secrets would be re-issued at once", ${now}.generation, ${was}.generation)`,
      ')))))',
    ].join(' '),
  );
  new TerraformData(scope, 'secret_rotation_guard', {
    lifecycle: {
      precondition: [
        {
          condition: `\${${problem} == "" || var.${ALLOW_REISSUE_VARIABLE}}`,
          errorMessage: `\${format("botpress-azure-sso: this deploy %s. A running Botpress may still hold a secret it would delete. Fix: %s.", ${problem}, ${switching} ? format("${switchFix}", ${heldSlot}) : "${reissueFix}")}`,
        },
      ],
    },
  });
}
