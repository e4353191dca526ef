// Types of cdktf's matchers (toHaveResourceWithProperties, ...) for the type-check.
import type {} from 'cdktf/lib/testing/adapters/jest';

/**
 * cdktf's matchers for every test file, loaded on first use: loading cdktf costs about 0.2 s of
 * CPU per test file, and most files never call these matchers (several never load cdktf at all).
 * The first call hands cdktf's own setupJest() a stand-in `expect.extend` to collect its matchers;
 * every call then runs cdktf's matcher unchanged.
 */
type Matcher = (this: unknown, ...args: unknown[]) => unknown;
const NAMES = [
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
  'toHaveProvider',
  'toHaveProviderWithProperties',
  'toBeValidTerraform',
  'toPlanSuccessfully',
];

let cdktfMatchers: Record<string, Matcher> | undefined;
function cdktfMatcher(name: string): Matcher {
  if (!cdktfMatchers) {
    const extend = expect.extend;
    try {
      expect.extend = (matchers) => {
        cdktfMatchers = matchers as Record<string, Matcher>;
      };
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('cdktf') as typeof import('cdktf')).Testing.setupJest();
    } finally {
      expect.extend = extend;
    }
  }
  const matcher = cdktfMatchers?.[name];
  if (!matcher) throw new Error(`cdktf has no matcher ${name}`);
  return matcher;
}

expect.extend(
  Object.fromEntries(
    NAMES.map((name) => [
      name,
      function (this: unknown, ...args: unknown[]) {
        return cdktfMatcher(name).apply(this, args);
      },
    ]),
  ) as Parameters<typeof expect.extend>[0],
);
