/**
 * The restart step: a built-in `terraform_data` whose creation runs RESTART_PROGRAM (host/, bundled)
 * as `node -e` on the deploy machine: `restart.command` with `sh -c`, then a wait until Botpress
 * lists the strategy at `<botpressUrl>/api/v1/admin/auth/config` (host/restart-botpress.ts).
 *
 * When it runs: it is replaced (so run again) when the replacement trigger of an installer it
 * watches changes, which happens exactly when that installer will replace its live file
 * (managed-file.ts, `previous`, from the SHA-256 synthesis read and the receipt):
 * a deploy that changes nothing Botpress reads at start never restarts Botpress. It is new on the
 * first deploy that has it, and a failed run leaves it tainted, so the next deploy runs it again.
 *
 * Where it sits in the graph: it refers to every installer, which refer to the client secret, so
 * with create_before_destroy Terraform destroys a replaced secret only after this step has
 * succeeded, in this apply or a later one (rotation-lab, exp. 1, 2, 9). Nothing refers to it.
 */
import type { Construct } from 'constructs';
import type { BotpressRestart } from '../botpress-azure-sso-props';
import { HOST_RESTART_ENV, RESTART_PROGRAM } from '../generated/host-programs';
import { TerraformData } from '../terraform/built-in';
import { escapeTemplateLiteral } from '../text/terraform-template';

/** How OpenTofu's messages name the step ("Error running command '…'"). */
export const RESTART_STEP_NAME = 'botpress-azure-sso restart step';

export interface RestartStepProps {
  readonly restart: Required<BotpressRestart>;
  /** `<botpressUrl>/api/v1/admin/auth/config`, plain text. */
  readonly authConfigUrl: string;
  readonly strategyName: string;
  /** Whether Botpress must list the strategy (SSO on) or answer without it (SSO removed). */
  readonly expectListed: boolean;
  /**
   * For each file Botpress reads at start, by a name for the trigger: its installer's
   * replacement trigger (ManagedFile.replacementTrigger, a reference to the installer).
   */
  readonly replacementTriggers: Readonly<Record<string, string>>;
}

export class RestartStep extends TerraformData {
  constructor(scope: Construct, id: string, props: RestartStepProps) {
    super(scope, id, {
      triggersReplace: { ...props.replacementTriggers },
      provisioners: [
        {
          type: 'local-exec',
          // The program sits in the interpreter's arguments and `command` is only its name (an
          // argument the program ignores): OpenTofu quotes `command` in its error message, which
          // should name the step, not hold two hundred lines of program.
          interpreter: ['node', '-e', escapeTemplateLiteral(RESTART_PROGRAM)],
          command: RESTART_STEP_NAME,
          environment: {
            [HOST_RESTART_ENV.command]: escapeTemplateLiteral(props.restart.command),
            [HOST_RESTART_ENV.timeoutSeconds]: String(props.restart.timeoutSeconds),
            [HOST_RESTART_ENV.authConfigUrl]: escapeTemplateLiteral(props.authConfigUrl),
            [HOST_RESTART_ENV.strategy]: props.strategyName,
            [HOST_RESTART_ENV.expect]: props.expectListed ? 'listed' : 'absent',
          },
        },
      ],
    });
  }
}
