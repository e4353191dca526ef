// The results of a run as ONE value: every comparison with its verdict, every measurement, the
// large-config costs per MB, the test suite, the machine, notes, errors and the exact commands.
// Numbers, not text: report.js writes the same value to the console and to RESULTS.md.
'use strict';
const { describeCommand } = require('./command');
const { isNum } = require('./format');
const { TARGETS } = require('./options');
const { statsOf, verdict } = require('./stats');

/** Everything the report shows, from the measured cases and what else the run found. */
function summarize(cases, { machine, renderOnly, tests, otherSuites, races, errors, notes }) {
  const { envs, bare, appExample, plainExample, cliApp, cliBare, large } = cases;
  const all = [...cases.groups.synth, ...cases.groups.large, ...cases.groups.cli];
  const s = new Map([...all, cases.npmTest].map((c) => [c, statsOf(c)]));
  const med = (c) => s.get(c).median;
  const exampleMb = cases.exampleMb;
  const largest = large[large.length - 1];

  /** A time comparison: the ratio of medians, or a lower bound on it when A timed out. */
  const ratioComparison = (name, a, b, target) => {
    const r = isNum(med(a)) && isNum(med(b)) ? med(a) / med(b) : undefined;
    const atLeast = r === undefined && s.get(a).atLeast && isNum(med(b)) ? s.get(a).atLeast / med(b) : undefined;
    return {
      kind: 'ratio',
      name,
      a: s.get(a),
      b: s.get(b),
      ratio: r,
      ratioAtLeast: atLeast,
      target,
      verdict: verdict(r, target, atLeast),
    };
  };
  // Cost per MB above the example, through the app and through plain JSON.
  const perMb = (cmd, baseline, mb) => {
    const st = s.get(cmd);
    const value = isNum(st.median) ? st.median : st.atLeast;
    return isNum(value) && isNum(med(baseline))
      ? { ms: (value - med(baseline)) / (mb - exampleMb), atLeast: !isNum(st.median) }
      : undefined;
  };
  const largeRows = large.map((l) => ({
    mb: l.mb,
    realMb: l.realMb,
    app: s.get(l.app),
    plain: s.get(l.plain),
    appPerMb: perMb(l.app, appExample, l.realMb),
    plainPerMb: perMb(l.plain, plainExample, l.realMb),
  }));
  const lp = largeRows[largeRows.length - 1].appPerMb;
  const pp = largeRows[largeRows.length - 1].plainPerMb;
  const perMbRatio = lp && pp && !lp.atLeast ? lp.ms / pp.ms : undefined;
  const perMbAtLeast = lp && pp && lp.atLeast ? lp.ms / pp.ms : undefined;
  const rssRatio =
    isNum(s.get(envs[1]).rss) && isNum(s.get(bare).rss) ? s.get(envs[1]).rss / s.get(bare).rss : undefined;
  const largeApp = s.get(largest.app);
  const extraMs = isNum(largeApp.median) && isNum(med(appExample)) ? largeApp.median - med(appExample) : undefined;

  const comparisons = [
    ratioComparison('synth, 1 environment (cdktf.json app) vs bare app', envs[1], bare, TARGETS.synth),
    ratioComparison('synth, 20 environments vs 1 environment', envs[20], envs[1], TARGETS.envs20),
    ratioComparison('synth, 100 environments vs 1 environment', envs[100], envs[1]),
    ratioComparison('`cdktf synth` of the example vs of the bare app', cliApp, cliBare, TARGETS.cli),
    {
      kind: 'rss',
      name: 'peak RSS, 1 environment vs bare app',
      aKb: s.get(envs[1]).rss,
      bKb: s.get(bare).rss,
      ratio: rssRatio,
      target: TARGETS.memory,
      verdict: verdict(rssRatio, TARGETS.memory),
    },
    {
      kind: 'extra',
      name: `${largest.realMb.toFixed(1)} MB config: extra synthesis time over the example`,
      aMs: largeApp.median,
      bMs: med(appExample),
      extraMs,
      targetMs: TARGETS.largeExtraMs,
      verdict: isNum(extraMs) ? (extraMs <= TARGETS.largeExtraMs ? 'PASS' : 'FAIL') : 'ERROR',
    },
    {
      kind: 'perMb',
      name: `${largest.realMb.toFixed(1)} MB config: app ms/MB vs plain JSON ms/MB`,
      app: lp,
      plain: pp,
      ratio: perMbRatio,
      ratioAtLeast: perMbAtLeast,
      verdict: verdict(perMbRatio, undefined, perMbAtLeast),
    },
  ];

  return {
    machine,
    comparisons,
    failed: comparisons.filter((c) => c.verdict === 'FAIL').map((c) => c.name),
    measurements: [...all, cases.npmTest].map((c) => ({
      label: c.label,
      ...s.get(c),
      runs: c.times.length,
      timedOut: c.timedOut,
      hasRss: c.rss,
    })),
    large: { exampleMb, example: { app: med(appExample), plain: med(plainExample) }, rows: largeRows },
    largestMb: largest.realMb,
    renderOnly,
    tests: { ...tests, ...s.get(cases.npmTest) },
    otherSuites,
    races,
    notes: [...notes],
    errors,
    commands: [...all, cases.renderOnly, cases.npmTest].map((c) => ({ label: c.label, line: describeCommand(c) })),
    app: cases.app,
  };
}

module.exports = { summarize };
