#!/usr/bin/env node
// Compiles the TypeScript to dist/ and copies the precompiled schema validators beside it.
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
fs.cpSync(path.join(root, 'constructs', 'generated'), path.join(root, 'dist', 'constructs', 'generated'), {
  recursive: true,
});
