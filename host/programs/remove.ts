// Entry of REMOVE_PROGRAM (scripts/build-host-programs.js bundles it): see host/remove-file.ts.
import { runRemoveProgram } from '../remove-program';

process.exitCode = runRemoveProgram(process.env, () => process.cwd(), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
