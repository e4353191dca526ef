// The restart command of the engine tests (restart.command runs it with sh -c): it asks the test
// process, which plays the machinery around Botpress, to restart its Botpress stand-in, and exits
// when that has happened (0), or with 1 when the test says the restart failed. The test decides
// what a restart does and when it ends, so that it can sign in while the command runs.
'use strict';
const http = require('node:http');

const req = http.request(process.argv[2], { method: 'POST' }, (res) => {
  res.resume();
  res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1));
});
req.on('error', (error) => {
  process.stderr.write(`restart-command: ${error.message}\n`);
  process.exit(1);
});
req.end();
