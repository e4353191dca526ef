// The statistics of the measured times: medians (the benchmark compares medians), min and max,
// and the verdict of a ratio against its target.
'use strict';
const { isNum } = require('./format');
const { OPTIONS } = require('./options');

const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median, min and max of a command; a timed-out command has only a lower bound (atLeast). */
function statsOf(cmd) {
  if (cmd.times.length === 0)
    return {
      median: undefined,
      min: undefined,
      max: undefined,
      rss: undefined,
      atLeast: cmd.timedOut ? OPTIONS.timeoutMs : undefined,
    };
  return {
    median: median(cmd.times),
    min: Math.min(...cmd.times),
    max: Math.max(...cmd.times),
    rss: median(cmd.rssKb),
  };
}

/** PASS or FAIL against a target, info without one; a lower bound above the target still fails. */
function verdict(r, target, atLeast) {
  if (isNum(r)) return target === undefined ? 'info' : r <= target ? 'PASS' : 'FAIL';
  if (isNum(atLeast))
    return target === undefined || atLeast > target ? (target === undefined ? 'info' : 'FAIL') : 'ERROR';
  return 'ERROR';
}

module.exports = { median, statsOf, verdict };
