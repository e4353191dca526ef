// Loaded with `node -r`: appends the process's peak RSS (KB) to $BENCH_MAXRSS_FILE when it exits.
'use strict';
process.on('exit', () => {
  try {
    require('node:fs').appendFileSync(process.env.BENCH_MAXRSS_FILE, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // no file named: nothing to report to
  }
});
