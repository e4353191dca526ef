// Large botpress.config.json files, deterministic: the one generator behind the benchmark's large
// configs (bench/fixtures.js) and the multi-megabyte case of test/render-engine.test.ts. Plain
// JavaScript so that the benchmark runs it with node alone; large-config.d.ts types it for tests.
'use strict';

/** A small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Strings that need escaping in JSON: quotes, backslashes, a tab, U+2028, unicode. */
const PLAIN = [
  'say "hi"',
  'C:\\botpress\\data',
  'héllo wörld ✓',
  'a\ttab',
  'line\u2028separator',
  'nothing special',
  'https://example.com/path?q=1&r=2',
];
/** Strings that Terraform templates and cdktf would read as their own: interpolations, directives, tokens, escapes. */
const HOSTILE = [
  '${not_an_interpolation}',
  '%{ if x }',
  'TfToken[TOKEN.1]',
  '1e+300',
  '${not.a.reference} %{ nor a directive }',
  '$${x} %%{y}',
  '${TfToken[TOKEN.1]} -8.109562212591379e+298',
];

/**
 * A deterministic botpress.config.json of at least `bytes`: the example with, per round, a super
 * admin, a module and a header; every 5th round a language source (numbers of several forms),
 * every 10th a branding theme with short CSS, every 50th a long one-line logo (a base64 data URI)
 * and style sheet. Every 10th short string is a hostile one; a long style sheet has two hostile rules,
 * because Terraform's template parser pays for each `$${` escape with the length of its chunk.
 */
function largeConfig(exampleText, bytes) {
  const config = JSON.parse(exampleText);
  const random = prng(20240611);
  const word = () =>
    Math.floor(random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  /** `length` base64 characters (a multiple of 4), four from each random 24 bits. */
  const base64 = (length) => {
    let text = '';
    for (let i = 0; i < length; i += 4) {
      const n = Math.floor(random() * 0x1000000);
      text += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
    }
    return text;
  };
  const note = (i) => (i % 10 === 0 ? HOSTILE[(i / 10) % HOSTILE.length] : PLAIN[i % PLAIN.length]);
  const css = (i, rules) =>
    Array.from({ length: rules }, (_, j) =>
      j % 500 === 7
        ? `.bp-${i}-${j}::after { content: "\${user.name} %{ if admin }★%{ endif } TfToken[TOKEN.${j}] -8.109562212591379e+298 $\${x}"; }`
        : `.bp-${word()}-${j} { content: "${PLAIN[j % PLAIN.length]}"; margin: ${j % 40}px; }`,
    ).join('\n');
  config.superAdmins = [...(config.superAdmins || [])];
  config.modules = [...(config.modules || [])];
  config.languageSources = [...(config.languageSources || [])];
  config.httpServer = { ...config.httpServer, headers: { ...((config.httpServer || {}).headers || {}) } };
  config.pro = { ...config.pro, branding: { ...((config.pro || {}).branding || {}) } };
  let size = JSON.stringify(config, null, 2).length;
  for (let i = 0; size < bytes; i++) {
    const chunk = [];
    const add = (list, item) => {
      list.push(item);
      chunk.push(item);
    };
    add(config.superAdmins, {
      email: `admin-${i}-${word()}@example.com`,
      strategy: ['azuread', 'default', 'saml'][i % 3],
    });
    add(config.modules, {
      location: `MODULES_ROOT/custom-${i}-${word()}`,
      enabled: random() < 0.5,
      options: { weight: Math.round(random() * 1e6) / 1e3, note: note(i) },
    });
    config.httpServer.headers[`X-Bench-${i}`] = `${word()} ${note(i + 3)}`;
    chunk.push(config.httpServer.headers[`X-Bench-${i}`]);
    if (i % 5 === 0) {
      add(config.languageSources, {
        endpoint: `https://lang-${i}.example.com/v1`,
        authToken: base64(40),
        weights: [Math.floor(random() * 1000), 1.5, 12345678, -0.25],
        options: { retry: { attempts: Math.floor(random() * 5), backoff: '2s' }, tags: ['a', 'b', `t${i}`] },
      });
    }
    if (i % 10 === 0) {
      config.pro.branding[`theme${i}`] = { title: `Theme ${i} \${env}`, customCss: css(i, 20), order: i };
      chunk.push(config.pro.branding[`theme${i}`]);
    }
    if (i % 50 === 25) {
      config.pro.branding[`large${i}`] = {
        logoUrl: `data:image/png;base64,${base64(60_000)}`,
        customCss: css(i, 1000),
      };
      chunk.push(config.pro.branding[`large${i}`]);
    }
    size += JSON.stringify(chunk, null, 2).length; // an estimate, checked exactly near the end
    if (size >= bytes) size = Buffer.byteLength(JSON.stringify(config, null, 2));
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

module.exports = { largeConfig };
