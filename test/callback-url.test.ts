import { callbackUrlFor, normalizeBotpressUrl } from '../constructs/botpress/callback-url';
import { SsoInputError } from '../constructs/input-error';
import { thrownBy } from './support/errors';

describe('callbackUrlFor', () => {
  it.each([
    ['https://bots.example.com', 'https://bots.example.com/api/v1/auth/login-callback/oauth2/azuread'],
    ['https://bots.example.com/', 'https://bots.example.com/api/v1/auth/login-callback/oauth2/azuread'],
    ['https://Example.COM/botpress', 'https://example.com/botpress/api/v1/auth/login-callback/oauth2/azuread'],
    ['https://example.com/botpress/', 'https://example.com/botpress/api/v1/auth/login-callback/oauth2/azuread'],
    ['https://example.com:443/a/b//', 'https://example.com/a/b/api/v1/auth/login-callback/oauth2/azuread'],
    ['https://example.com:8443', 'https://example.com:8443/api/v1/auth/login-callback/oauth2/azuread'],
    ['http://localhost:3000', 'http://localhost:3000/api/v1/auth/login-callback/oauth2/azuread'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/api/v1/auth/login-callback/oauth2/azuread'],
  ])('%s', (url, expected) => {
    expect(callbackUrlFor(url, 'azuread')).toBe(expected);
  });
});

describe('normalizeBotpressUrl refuses', () => {
  const cases: Array<[string, RegExp]> = [
    ['http://bots.example.com', /is not an https URL.*use https:\/\/bots\.example\.com/s],
    ['ftp://bots.example.com', /is not an https URL/],
    ['https://bots.example.com/?x=1', /has a query string/],
    ['https://bots.example.com/?', /has a query string/],
    ['https://bots.example.com/#top', /has a fragment/],
    ['bots.example.com', /is not a URL/],
    ["https://bots.example.com/it's", /contains "'"/],
    ['https://bots.example.com/a b', /contains " "/],
    ['https://bots.example.com/a//b', /empty path segment/],
  ];
  it.each(cases)('%s', (url, message) => {
    const error = thrownBy(() => normalizeBotpressUrl(url));
    expect(error).toBeInstanceOf(SsoInputError);
    const e = error as SsoInputError;
    expect(e.field).toBe('botpressUrl');
    expect(e.value).toBe(url);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/Fix: /);
  });

  it('refuses credentials without showing them, and says what to write instead', () => {
    const e = thrownBy(() => normalizeBotpressUrl('https://qzadmin:hunter2@bots.example.com/bp')) as SsoInputError;
    expect(e).toBeInstanceOf(SsoInputError);
    expect(e.message).toMatch(/contains credentials.*Fix: remove them: https:\/\/bots\.example\.com\/bp$/s);
    expect(e.message).not.toMatch(/qzadmin|hunter2/);
  });

  it('refuses callback URLs longer than Entra accepts', () => {
    expect(() => callbackUrlFor(`https://example.com/${'a'.repeat(220)}`, 'azuread')).toThrow(/at most 256/);
  });
});
