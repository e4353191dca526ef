// Entry of RESTART_PROGRAM (scripts/build-host-programs.js bundles it): see host/restart-botpress.ts.
import { PREFIX, restartBotpress, restartRequestFromEnv } from '../restart-botpress';
import { nodeRestartIo } from '../restart-io';

const request = restartRequestFromEnv(process.env);
if (typeof request === 'string') {
  process.stderr.write(
    `${PREFIX} the restart step was started wrongly: ${request}. This is an error in how the deploy runs the program (cdk.tf.json): report it with this message.\n`,
  );
  process.exitCode = 1;
} else {
  restartBotpress(request, nodeRestartIo()).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${PREFIX} the restart step stopped unexpectedly: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
