import { PREVIEW_PLACEHOLDERS } from '../constructs/botpress/strategy-entry';
import { parseJson, renderJsonText, toValue } from '../constructs/text/json-document';
import {
  REDACTED,
  REDACTED_CHANGED,
  collectSecretValues,
  isSecretKey,
  redactSecretChange,
  redactSecrets,
  scrubText,
  secretKeyPaths,
} from '../constructs/text/redaction';

describe('isSecretKey', () => {
  it.each([
    'clientSecret',
    'appSecret',
    'licenseKey',
    'password',
    'bindCredentials',
    'privateKey',
    'cert',
    'privateCert',
    'decryptionPvk',
    'apiKey',
    'accessToken',
    'client_secret',
    'CLIENTSECRET',
    'BP_LICENSE_KEY',
    'secretValue',
    'key',
  ])('%s is a secret', (key) => expect(isSecretKey(key)).toBe(true));
  it.each([
    'tokenURL',
    'jwtToken',
    'authorizationURL',
    'userInfoURL',
    'callbackURL',
    'clientID',
    'passwordMinLength',
    'passwordExpiryDelay',
    'bindDn',
    'maxLoginAttempt',
    'externalUrl',
    'secretRotationDays',
    'keyId',
    'type',
    '',
  ])('%s is not a secret', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('redactSecrets', () => {
  // Text, not an object literal: "b" stays before "10".
  const doc = parseJson(
    '{"b":1,"10":2,' +
      JSON.stringify({
        appSecret: 's3cret-value',
        jwtToken: { duration: '1h', allowRefresh: true },
        strategies: [{ options: { clientSecret: 'abc', tokenURL: 'https://t', clientID: 'id' } }],
        saml: { cert: ['CERT-ONE', 'CERT-TWO'], privateKey: 12345 },
        empty: { password: '' },
        db: 'postgres://user:pw-in-url@host/db',
        mentions: 'the app secret is s3cret-value',
      }).slice(1),
  );

  it('replaces values under secret keys and URL passwords, keeping key order and everything else', () => {
    const value = toValue(redactSecrets(doc)) as any;
    expect(
      renderJsonText(redactSecrets(doc)).startsWith(
        '{\n  "b": 1,\n  "10": 2,\n  "appSecret": "<redacted>",\n  "jwtToken": {',
      ),
    ).toBe(true);
    expect(value.appSecret).toBe(REDACTED);
    expect(value.jwtToken).toEqual({ duration: '1h', allowRefresh: true });
    expect(value.strategies[0].options).toEqual({ clientSecret: REDACTED, tokenURL: 'https://t', clientID: 'id' });
    expect(value.saml).toEqual({ cert: [REDACTED, REDACTED], privateKey: REDACTED });
    expect(value.empty.password).toBe('');
    expect(value.db).toBe(`postgres://user:${REDACTED}@host/db`);
  });

  it('keeps placeholders that hold no secret', () => {
    const withPlaceholder = parseJson(JSON.stringify({ clientSecret: PREVIEW_PLACEHOLDERS.clientSecret }));
    const keep = (v: string) => v === PREVIEW_PLACEHOLDERS.clientSecret;
    expect(toValue(redactSecrets(withPlaceholder, { keep }))).toEqual({
      clientSecret: PREVIEW_PLACEHOLDERS.clientSecret,
    });
  });

  it('scrubs known secret values found inside other strings', () => {
    const secrets = collectSecretValues(doc);
    expect(secrets).toEqual(expect.arrayContaining(['s3cret-value', 'abc', 'CERT-ONE', '12345', 'pw-in-url']));
    expect((toValue(redactSecrets(doc, { knownSecrets: secrets })) as any).mentions).toBe(
      `the app secret is ${REDACTED}`,
    );
  });
});

describe('redactSecretChange', () => {
  const before = parseJson('{"appSecret":"same-1","a":{"clientSecret":"old-2"},"url":"https://u:p1@h"}');
  const after = parseJson(
    '{"appSecret":"same-1","a":{"clientSecret":"new-3"},"url":"https://u:p2@h","added":{"password":"x"}}',
  );

  it('gives unchanged secrets the same placeholder and marks changed ones', () => {
    const r = redactSecretChange(before, after);
    expect(toValue(r.before)).toEqual({
      appSecret: REDACTED,
      a: { clientSecret: REDACTED },
      url: `https://u:${REDACTED}@h`,
    });
    expect(toValue(r.after)).toEqual({
      appSecret: REDACTED,
      a: { clientSecret: REDACTED_CHANGED },
      url: `https://u:${REDACTED_CHANGED}@h`,
      added: { password: REDACTED },
    });
    const text = renderJsonText(r.before) + renderJsonText(r.after);
    for (const secret of ['same-1', 'old-2', 'new-3', 'p1@', 'p2@']) expect(text).not.toContain(secret);
  });
});

describe('secretKeyPaths', () => {
  it('names the outermost secret key of each non-empty secret, in document order', () => {
    const doc = parseJson(
      '{"appSecret":"x","pro":{"licenseKey":""},"authStrategies":{"ldap":{"options":{"bindCredentials":{"password":"p","user":"u"}}}},' +
        '"list":[{"token":7},{"cert":null}]}',
    );
    expect(secretKeyPaths(doc)).toEqual(['appSecret', 'authStrategies.ldap.options.bindCredentials', 'list[0].token']);
  });
});

describe('scrubText', () => {
  it('replaces the longest secrets first and ignores short ones', () => {
    expect(scrubText('a-long-secret and a-long', ['a-long', 'a-long-secret', 'ab'], 3)).toBe(
      `${REDACTED} and ${REDACTED}`,
    );
    expect(scrubText('ab stays', ['ab'], 3)).toBe('ab stays');
  });
});
