// The plain JSON baseline of the large-config benchmark: JSON.parse + JSON.stringify(…, null, 2)
// of a file, written the way Botpress writes its config.   node plain-json.js <input> <output>
'use strict';
const fs = require('node:fs');

const [input, output] = process.argv.slice(2);
fs.writeFileSync(output, JSON.stringify(JSON.parse(fs.readFileSync(input, 'utf8')), null, 2) + '\n');
