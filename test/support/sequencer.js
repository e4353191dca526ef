/**
 * Runs the longest test files first, so that none starts late and then runs on alone at the end.
 *
 * jest orders files by the durations it cached in the last run. A fresh checkout has none (CI, a
 * new worktree), and jest's fallback, file size, started the longest file (the host install test,
 * a small file) eleventh: it ran alone for the last 4 s. Here a file without a cached duration
 * counts as long as its header says (a line ` * @duration 12s`: rough seconds on the 2-core
 * machine, for files that run engines or servers and so take long for their size), or else as
 * 100 ms per KB of source. jest's own order (failed files first, then longest) does the rest.
 */
'use strict';
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const DECLARED = /^\s*\*\s*@duration\s+(\d+(?:\.\d+)?)s\s*$/m;

class LongestFirst extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const source = readFileSync(test.path, 'utf8');
    const header = source.startsWith('/**') ? source.slice(0, source.indexOf('*/')) : '';
    const declared = DECLARED.exec(header);
    return declared ? Number(declared[1]) * 1000 : source.length / 10;
  }
}

module.exports = LongestFirst;
