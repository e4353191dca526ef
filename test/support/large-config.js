// Large botpress.config.json files, deterministic: the one generator behind the benchmark's large
// configs (bench/fixtures.js) and the multi-megabyte case of the rendering tests. Plain JavaScript
// so that the benchmark runs it with node alone; large-config.d.ts gives the tests its type.
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

/**
 * A deterministic botpress.config.json of at least `bytes`: the example with many super admins,
 * modules, headers and branding blocks. Some strings need escaping in JSON (quotes, backslashes,
 * control characters, unicode) and a few in Terraform templates (`${`, `%{`, `TfToken[`, 1e+300).
 */
function largeConfig(exampleText, bytes) {
  const config = JSON.parse(exampleText);
  const random = prng(20240611);
  const word = () =>
    Math.floor(random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  const plain = [
    'say "hi"',
    'C:\\botpress\\data',
    'héllo wörld ✓',
    'a\ttab',
    'line\u2028separator',
    'nothing special',
    'https://example.com/path?q=1&r=2',
  ];
  const special = ['${not_an_interpolation}', '%{ if x }', 'TfToken[TOKEN.1]', '1e+300'];
  const note = (i) => (i % 50 === 0 ? special[(i / 50) % special.length] : plain[i % plain.length]);
  config.superAdmins = [...(config.superAdmins || [])];
  config.modules = [...(config.modules || [])];
  config.httpServer = { ...config.httpServer, headers: { ...((config.httpServer || {}).headers || {}) } };
  config.pro = { ...config.pro, branding: { ...((config.pro || {}).branding || {}) } };
  let size = JSON.stringify(config, null, 2).length;
  for (let i = 0; size < bytes; i++) {
    const chunk = [];
    const admin = { email: `admin-${i}-${word()}@example.com`, strategy: i % 3 ? 'default' : 'azuread' };
    config.superAdmins.push(admin);
    chunk.push(admin);
    const mod = {
      location: `MODULES_ROOT/custom-${i}-${word()}`,
      enabled: random() < 0.5,
      options: { weight: Math.round(random() * 1e6) / 1e3, note: note(i) },
    };
    config.modules.push(mod);
    chunk.push(mod);
    config.httpServer.headers[`X-Bench-${i}`] = `${word()} ${note(i + 3)}`;
    chunk.push(config.httpServer.headers[`X-Bench-${i}`]);
    if (i % 10 === 0) {
      const css = Array.from(
        { length: 20 },
        (_, j) => `.bp-${word()}-${j} { content: "${plain[j % plain.length]}"; margin: ${j}px; }`,
      ).join('\n');
      config.pro.branding[`theme${i}`] = { title: `Theme ${i}`, customCss: css, order: i };
      chunk.push(config.pro.branding[`theme${i}`]);
    }
    size += JSON.stringify(chunk, null, 2).length; // an estimate, checked exactly near the end
    if (size >= bytes) size = Buffer.byteLength(JSON.stringify(config, null, 2));
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

module.exports = { largeConfig };
