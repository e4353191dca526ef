/**
 * A copy of the compiled app that another user can run: the files `node dist/main.js` loads,
 * copied into a folder of its own. Tests that drop privileges (setpriv) cannot rely on reaching
 * the checkout: CI may clone it under a folder only root may enter.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Copies dist/ and every module `dist/main.js` loads (with each package's package.json) into `dir`. */
export function copyRunnableApp(dir: string): void {
  // Requiring main.js loads every module without running it (it runs only as the main module).
  const loaded = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(
          path.join(ROOT, 'dist', 'main.js'),
        )}); console.log(JSON.stringify(Object.keys(require.cache)))`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    ),
  ) as string[];
  const files = new Set<string>();
  for (const file of loaded) {
    const relative = path.relative(ROOT, file);
    if (relative.startsWith('..')) throw new Error(`the app loads a module outside the checkout: ${file}`);
    files.add(relative);
    // Node resolves packages through their package.json (main, exports), nested ones too.
    for (let dir = path.dirname(relative); dir !== '.'; dir = path.dirname(dir)) {
      if (existsSync(path.join(ROOT, dir, 'package.json'))) files.add(path.join(dir, 'package.json'));
    }
  }
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(dir, file));
  }
}
