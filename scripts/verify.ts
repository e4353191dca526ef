/**
 * `npm run verify -- <environment> [--outputs <file>] [--json]`: after a deploy and a Botpress
 * restart, checks from this machine that sign-in can work: Entra's discovery document, the client
 * secret, the client id and callback URL at the authorize endpoint, and Botpress's strategy and
 * login redirect (one file per check in verify/checks/). It reads the settings
 * (BOTPRESS_SSO_SETTINGS, as synthesis does) and the live files the deploy wrote; no Terraform
 * state or Azure sign-in.
 *
 * Exit 0 when no check fails, 1 when one fails, 2 on bad input. Never prints a secret.
 */
import { DEFAULT_SETTINGS_FILE } from '../app/load-settings';
import { runVerify } from './verify/command';
import { nodeHttp } from './verify/http-client';

if (require.main === module) {
  runVerify(process.argv.slice(2), {
    http: nodeHttp(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    settingsFile: process.env.BOTPRESS_SSO_SETTINGS || DEFAULT_SETTINGS_FILE,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`botpress-azure-sso verify: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
