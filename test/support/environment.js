/**
 * jest's node environment, with one change: a stack captured on a plain object (not an Error) is
 * formatted the way V8 formats it, without jest's source-map translation.
 *
 * cdktf captures the full stack of every token it creates (`Error.captureStackTrace({ stack })`,
 * cdktf/lib/tokens/private/stack-trace.js), to name where a token came from if it is ever misused.
 * jest translated every frame of every such stack through source maps, which took about 40% of
 * the CPU of a synthesis in a test (30 stacks: 0.96 s -> 0.56 s). Errors, and so every failure a
 * test reports, still get jest's translated stacks.
 */
'use strict';
const { TestEnvironment } = require('jest-environment-node');

const v8Format = (head, frames) => `${head}\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;

class Environment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const realm = this.global;
    // Node asks the realm a captured object comes from for its prepareStackTrace and, without one,
    // falls back to this process's: jest's, installed for each test file, so read at each call.
    realm.Error.prepareStackTrace = (captured, frames) => {
      if (
        captured !== null &&
        typeof captured === 'object' &&
        Object.getPrototypeOf(captured) === realm.Object.prototype
      )
        return v8Format('Error', frames);
      return Error.prepareStackTrace ? Error.prepareStackTrace(captured, frames) : v8Format(String(captured), frames);
    };
  }
}

module.exports = Environment;
