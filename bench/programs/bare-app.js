// The bare cdktf app, the baseline of the synthesis benchmarks: one stack, one output. The
// benchmark copies it to bench/bare.tmp/main.js beside a cdktf.json whose app is `node main.js`.
'use strict';
const { App, TerraformStack, TerraformOutput } = require('cdktf');

const app = new App();
const stack = new TerraformStack(app, 'bare');
new TerraformOutput(stack, 'hello', { value: 'world' });
app.synth();
