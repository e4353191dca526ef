import { authorityFor, oauthEndpoints } from '../constructs/entra/endpoints';

describe('oauthEndpoints', () => {
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  it.each([
    ['AzureADMyOrg', tenant],
    ['AzureADMultipleOrgs', 'organizations'],
    ['AzureADandPersonalMicrosoftAccount', 'common'],
    ['PersonalMicrosoftAccount', 'consumers'],
  ] as const)('%s uses authority %s', (audience, authority) => {
    expect(authorityFor(audience, tenant)).toBe(authority);
    expect(oauthEndpoints('public', audience, tenant)).toEqual({
      authorizationUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/authorize`,
      tokenUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/token`,
      userInfoUrl: 'https://graph.microsoft.com/oidc/userinfo',
    });
  });

  it('uses the national clouds hosts', () => {
    expect(oauthEndpoints('usgovernment', 'AzureADMyOrg', tenant)).toEqual({
      authorizationUrl: `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/authorize`,
      tokenUrl: `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/token`,
      userInfoUrl: 'https://graph.microsoft.us/oidc/userinfo',
    });
    expect(oauthEndpoints('china', 'AzureADMultipleOrgs', tenant)).toEqual({
      authorizationUrl: 'https://login.chinacloudapi.cn/organizations/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.chinacloudapi.cn/organizations/oauth2/v2.0/token',
      userInfoUrl: 'https://microsoftgraph.chinacloudapi.cn/oidc/userinfo',
    });
  });
});
