// How numbers are written, in the progress lines, the console summary and RESULTS.md alike.
'use strict';

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const fmtMs = (ms) =>
  !isNum(ms) ? 'n/a' : Math.abs(ms) >= 10000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
const fmtMb = (kb) => (!isNum(kb) ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
/** A ratio; with three decimals where two would round it onto its target. */
const fmtRatio = (r, target) =>
  !isNum(r) ? 'n/a' : `${r.toFixed(isNum(target) && Math.abs(r - target) < 0.005 ? 3 : 2)}x`;

module.exports = { isNum, fmtMs, fmtMb, fmtRatio };
