// The results, written twice from the same rows: as tables on the console, and as bench/RESULTS.md.
'use strict';
const fs = require('node:fs');
const { sizeLabel } = require('./cases');
const { fmtMb, fmtMs, fmtRatio, isNum } = require('./format');
const { summarizeRace } = require('./host-races');
const { OPTIONS } = require('./options');

const perMbText = (p) => (p ? `${p.atLeast ? '> ' : ''}${fmtMs(p.ms)}/MB` : 'n/a');
const ratioText = (r, atLeast, target) =>
  isNum(r) ? fmtRatio(r, target) : isNum(atLeast) ? `> ${fmtRatio(atLeast)}` : 'n/a';
const timeOrBound = (st) => (st.atLeast ? `> ${fmtMs(st.atLeast)}` : fmtMs(st.median));

/** One row of the targets table: name, A vs B, ratio, target, result. */
function targetRow(c) {
  const targetText = c.target === undefined ? '(report)' : `<= ${c.target}x`;
  switch (c.kind) {
    case 'ratio':
      return [
        c.name,
        `${timeOrBound(c.a)} vs ${fmtMs(c.b.median)}`,
        ratioText(c.ratio, c.ratioAtLeast, c.target),
        targetText,
        c.verdict,
      ];
    case 'rss':
      return [c.name, `${fmtMb(c.aKb)} vs ${fmtMb(c.bKb)}`, fmtRatio(c.ratio, c.target), targetText, c.verdict];
    case 'extra':
      return [
        c.name,
        `${fmtMs(c.aMs)} vs ${fmtMs(c.bMs)}`,
        isNum(c.extraMs) ? `+${fmtMs(c.extraMs)}` : 'n/a',
        `<= +${fmtMs(c.targetMs)}`,
        c.verdict,
      ];
    case 'perMb':
      return [
        c.name,
        `${perMbText(c.app)} vs ${perMbText(c.plain)}`,
        ratioText(c.ratio, c.ratioAtLeast),
        targetText,
        c.verdict,
      ];
    default:
      throw new Error(`report: unknown comparison kind ${c.kind}`);
  }
}

/** The tables and sentences both renderers show, from the one results value. */
function rows(results) {
  const { large, renderOnly: ro, largestMb, machine: m, tests } = results;
  const runs = `${OPTIONS.warmup} warm-ups + ${OPTIONS.runs} alternating runs (cdktf CLI: ${OPTIONS.cliWarmup} + ${OPTIONS.cliRuns}); npm test ${OPTIONS.testRuns}x; runs over ${OPTIONS.slowMs / 1000} s are not repeated, runs over ${OPTIONS.timeoutMs / 1000} s are stopped${m.built ? '; dist/ was built first' : ''}`;
  return {
    machine: [
      ['CPU', m.cpu],
      ['Cores', String(m.cores)],
      ['Memory', `${m.memoryGb.toFixed(1)} GB`],
      ['OS', m.os],
      ['Node', m.node],
      ['cdktf / cdktf-cli', `${m.cdktf} / ${m.cdktfCli}`],
      ['terraform on PATH', m.terraform || 'none'],
      ['Commit', m.commit],
      ['Date', m.date],
      ['Load average (1, 5, 15 min)', `${m.loadAtStart} at start; ${m.loadAtEnd} at end`],
      ['Runs', runs],
    ],
    targetHeader: ['target', 'A vs B (medians)', 'ratio', 'target', 'result'],
    targets: results.comparisons.map(targetRow),
    measureHeader: ['measurement', 'median', 'min', 'max', 'runs', 'peak RSS (median)'],
    measures: results.measurements.map((c) => {
      const runCount = `${c.runs}${c.timedOut ? ' + timeout' : ''}`;
      if (!isNum(c.median))
        return [c.label, c.atLeast ? `> ${fmtMs(c.atLeast)} (timed out)` : 'n/a', '', '', runCount, ''];
      return [c.label, fmtMs(c.median), fmtMs(c.min), fmtMs(c.max), runCount, c.hasRss ? fmtMb(c.rss) : ''];
    }),
    largeHeader: [
      'config',
      'size',
      'app (median)',
      'app cost/MB',
      'plain JSON (median)',
      'plain JSON cost/MB',
      'ratio',
    ],
    large: [
      [
        'example',
        `${(large.exampleMb * 1024).toFixed(1)} KB`,
        fmtMs(large.example.app),
        '',
        fmtMs(large.example.plain),
        '',
        '',
      ],
      ...large.rows.map((l) => [
        sizeLabel(l.mb),
        `${l.realMb.toFixed(2)} MB`,
        l.app.atLeast ? `> ${fmtMs(l.app.atLeast)} (timed out)` : fmtMs(l.app.median),
        perMbText(l.appPerMb),
        fmtMs(l.plain.median),
        perMbText(l.plainPerMb),
        l.appPerMb && l.plainPerMb
          ? `${l.appPerMb.atLeast ? '> ' : ''}${fmtRatio(l.appPerMb.ms / l.plainPerMb.ms)}`
          : 'n/a',
      ]),
    ],
    renderOnly: ro
      ? `parseJson ${fmtMs(ro.ownParse)} + renderJsonText ${fmtMs(ro.ownRender)} (${fmtMs((ro.ownParse + ro.ownRender) / largestMb)}/MB) vs ` +
        `JSON.parse ${fmtMs(ro.plainParse)} + JSON.stringify ${fmtMs(ro.plainRender)} (${fmtMs((ro.plainParse + ro.plainRender) / largestMb)}/MB): ` +
        `${fmtRatio((ro.ownParse + ro.ownRender) / (ro.plainParse + ro.plainRender))}`
      : 'n/a',
    slowestTests: tests.files.slice(0, 5).map((f) => [f.file, fmtMs(f.ms), f.tests, f.status]),
  };
}

function textTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The console summary, on stdout. */
function printSummary(results) {
  const r = rows(results);
  const { tests } = results;
  const out = [
    `\n${textTable(r.targetHeader, r.targets)}\n\n${textTable(r.measureHeader, r.measures)}\n\n${textTable(r.largeHeader, r.large)}\n`,
    `In one process, ${results.largestMb.toFixed(2)} MB: ${r.renderOnly}\n`,
    `npm test: median ${fmtMs(tests.median)}, ${tests.outcomes.join(', ')}; ${tests.summary}\n`,
  ];
  if (r.slowestTests.length)
    out.push(
      `Slowest test files:\n${r.slowestTests.map(([file, ms, count, status]) => `  ${ms.padStart(9)}  ${file} (${count} tests, ${status})`).join('\n')}\n`,
    );
  for (const note of results.notes) out.push(`Note: ${note}\n`);
  out.push(
    results.failed.length
      ? `\nFAIL: ${results.failed.length} target(s) missed: ${results.failed.join('; ')}\n`
      : '\nPASS: all targets met.\n',
  );
  if (results.errors.length) out.push(`\nERRORS:\n${results.errors.join('\n')}\n`);
  process.stdout.write(out.join(''));
}

const cell = (c) => String(c).replace(/\|/g, '\\|');
const mdTable = (header, body) =>
  [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');

/** Botpress's user against the install program: what it won must be nothing. */
function racesMarkdown(races) {
  const md = ["## Botpress's user against the installer", ''];
  if (!races || races.skipped) return [...md, `Skipped (${races ? races.skipped : 'not measured'}).`, ''];
  md.push(
    "The loops of test/support/host-attack.js, as uid 999, against the bundled install program run as root: `lost-updates` writes the live file in place while the installer runs (timed into its work, as Botpress saving settings would); `swaps` exchanges the live file, its backup, its folder and a parent folder with links to root-only files (renameat2 RENAME_EXCHANGE) as fast as it can. `in-process` runs the program in the benchmark's process, `spawn` as a real `node -e` process.",
    '',
    mdTable(
      ['loop', 'mode', 'runs', 'result', 'outcomes', 'time'],
      races.reports.map((r) => [
        r.loop,
        r.mode,
        String(r.runs),
        summarizeRace(r.report),
        Object.entries(r.report.outcomes)
          .map(([outcome, n]) => `${outcome}: ${n}`)
          .join('; '),
        fmtMs(r.ms),
      ]),
    ),
    '',
  );
  return md;
}

/** bench/RESULTS.md. */
function renderMarkdown(results) {
  const r = rows(results);
  const { tests } = results;
  const exampleKb = (results.large.exampleMb * 1024).toFixed(1);
  const md = ['# Benchmark results', ''];
  md.push(
    'Written by `npm run bench` (bench/index.js; bench/README.md says what is measured). Times are wall-clock times of whole processes, medians of runs that alternate the compared commands within one run of the script; ratios are between medians. A missed target is reported as FAIL; the script still exits 0.',
    '',
  );
  md.push('## Machine', '', mdTable(['', ''], r.machine), '');
  md.push(
    '## Targets',
    '',
    mdTable(
      r.targetHeader,
      r.targets.map((row) => [...row.slice(0, 4), row[4] === 'FAIL' ? '**FAIL**' : row[4]]),
    ),
    '',
  );
  if (results.failed.length) md.push(`**FAIL**: ${results.failed.length} target(s) missed.`, '');
  md.push('## Measurements', '', mdTable(r.measureHeader, r.measures), '');
  md.push(
    '## Large config',
    '',
    `Deterministic botpress.config.json files (test/support/large-config.js, which the rendering tests use too: the example plus generated super admins, modules, headers, language sources, branding CSS and, every 50th round, a long data-URI logo and style sheet; strings with quotes, backslashes, tabs, unicode and, every 10th one, \`\${\`, \`%{\`, \`$\${\`, \`TfToken[\` or a number with a 3-digit exponent) rendered through the app (one environment) and through a Node process that does \`JSON.parse\` + \`JSON.stringify(value, null, 2)\`. Cost per MB = (median with the file - median with the ${exampleKb} KB example) / size difference; a timed-out run gives a lower bound.`,
    '',
    mdTable(r.largeHeader, r.large),
    '',
    `In one process, the project's own parser and renderer (parseJson and renderJsonText of dist/constructs/internal.js) on the ${results.largestMb.toFixed(2)} MB file: ${r.renderOnly}.`,
    '',
  );
  md.push('## npm test', '');
  if (tests.runs === 0) md.push('Skipped (BENCH_TEST_RUNS=0).', '');
  else
    md.push(
      `\`npm test\`: median ${fmtMs(tests.median)} (min ${fmtMs(tests.min)}, max ${fmtMs(tests.max)}) over ${tests.runs} run(s); ${tests.outcomes.join(', ')}; ${tests.summary}.`,
      '',
    );
  for (const suite of results.otherSuites)
    md.push(`\`npm run ${suite.script}\` (a CI step of its own): ${fmtMs(suite.ms)}, ${suite.outcome}.`, '');
  if (r.slowestTests.length) {
    md.push('Slowest test files (jest JSON report of the last run; end time - start time of each file):', '');
    md.push(mdTable(['file', 'duration', 'tests', 'status'], r.slowestTests), '');
  }
  md.push(...racesMarkdown(results.races));
  if (results.notes.length) md.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  md.push(
    '## Commands',
    '',
    'From the repository root; `bench/work.tmp/` (fixtures, outputs) and `bench/bare.tmp/` (the bare app) are written by the script, the programs it runs are in `bench/programs/`. Commands with the `-r bench/programs/maxrss-preload.js` preload also get `BENCH_MAXRSS_FILE`, where it appends `process.resourceUsage().maxRSS` at exit.',
    '',
    '```sh',
  );
  for (const c of results.commands) md.push(`# ${c.label}`, c.line);
  md.push('```', '');
  md.push(
    `Fixtures: settings files with 1, 20 and 100 environments (\`env001\`, ...), each environment with the fields of the first environment of botpress-sso.json and its own copy of examples/botpress.config.json; the app command is cdktf.json's \`${results.app}\`. The bare app (bench/bare.tmp/main.js, a copy of bench/programs/bare-app.js) is \`new App()\`, one \`TerraformStack\`, one \`TerraformOutput\`, \`app.synth()\`, with a cdktf.json whose app is \`node main.js\`.`,
    '',
  );
  if (results.errors.length) md.push('## Errors', '', '```', ...results.errors, '```', '');
  return md.join('\n');
}

function writeResults(file, results) {
  fs.writeFileSync(file, renderMarkdown(results));
}

module.exports = { printSummary, writeResults };
