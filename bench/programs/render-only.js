// Times, in one process, the project's own JSON model (parseJson, renderJsonText) against
// JSON.parse and JSON.stringify on one file; prints the medians (ms) as JSON on stdout.
//   node render-only.js <module exporting parseJson and renderJsonText> <input> <runs>
'use strict';
const fs = require('node:fs');
const { median } = require('../stats');

const [docModule, input, runsText] = process.argv.slice(2);
const { parseJson, renderJsonText } = require(docModule);
const text = fs.readFileSync(input, 'utf8');
const runs = Number(runsText);

/** The median of `runs` timed calls, after two untimed ones. */
const time = (fn) => {
  const out = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = process.hrtime.bigint();
    fn();
    if (i >= 2) out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(out);
};

const ownParse = time(() => parseJson(text));
const doc = parseJson(text);
const ownRender = time(() => renderJsonText(doc));
const plainParse = time(() => JSON.parse(text));
const value = JSON.parse(text);
const plainRender = time(() => JSON.stringify(value, null, 2));
process.stdout.write(JSON.stringify({ ownParse, ownRender, plainParse, plainRender }));
