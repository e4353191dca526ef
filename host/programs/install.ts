// Entry of INSTALL_PROGRAM (scripts/build-host-programs.js bundles it): see host/install-file.ts.
import { runInstallProgram } from '../install-program';

process.exitCode = runInstallProgram(process.env, () => process.cwd(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
