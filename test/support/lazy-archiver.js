/**
 * archiver, loaded when first called. cdktf requires it as it loads (about 200 modules, a quarter
 * of what a test file loads) to zip TerraformAssets, which no stack here declares, and jest loads
 * every test file's modules afresh. jest.config.js maps `archiver` to this module, which hands
 * every call to the real archiver, found the way cdktf finds it. Only calls are handed on: cdktf
 * only ever calls it (`archiver('zip', options)`, cdktf/lib/private/fs.js).
 */
'use strict';
const { createRequire } = require('node:module');

let archiver;
module.exports = function lazyArchiver(...args) {
  if (!archiver) archiver = require(createRequire(require.resolve('cdktf')).resolve('archiver'));
  return archiver(...args);
};
