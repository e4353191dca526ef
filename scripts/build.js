#!/usr/bin/env node
// Compiles the TypeScript to dist/ and copies the precompiled schema validators beside it.
// Runs on npm ci / npm install here and in a git clone (preprepare), and on npm pack (prepack).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
try {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
} catch {
  process.exit(1); // tsc has printed the errors
}
// The validators are JavaScript already (tsc does not copy them); generated .ts files were compiled above.
fs.cpSync(path.join(root, 'constructs', 'generated'), path.join(root, 'dist', 'constructs', 'generated'), {
  recursive: true,
  filter: (source) => !source.endsWith('.ts') || source.endsWith('.d.ts'),
});
