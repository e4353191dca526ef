/**
 * Microsoft identity platform endpoints per cloud and sign-in audience.
 * Source: Microsoft identity platform docs (authority, national clouds, userinfo).
 */

export const SIGN_IN_AUDIENCES = [
  'AzureADMyOrg',
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
] as const;
export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

/** Who may sign in, in words, per audience. */
export const AUDIENCE_DESCRIPTIONS: Readonly<Record<SignInAudience, string>> = {
  AzureADMyOrg: 'accounts in this organization only',
  AzureADMultipleOrgs: 'work or school accounts of any organization',
  AzureADandPersonalMicrosoftAccount: 'work or school accounts of any organization, and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'personal Microsoft accounts only',
};

export const AZURE_CLOUDS = ['public', 'usgovernment', 'china'] as const;
export type AzureCloud = (typeof AZURE_CLOUDS)[number];

export interface CloudEndpoints {
  /** Host of the Microsoft identity platform (login) endpoints. */
  readonly loginHost: string;
  /** Host of Microsoft Graph. */
  readonly graphHost: string;
  /** The azuread provider's `environment` argument for this cloud. */
  readonly providerEnvironment: string;
  /** Whether personal Microsoft accounts can sign in here (national clouds: no). */
  readonly personalAccounts: boolean;
}

export const CLOUDS: Readonly<Record<AzureCloud, CloudEndpoints>> = {
  public: {
    loginHost: 'login.microsoftonline.com',
    graphHost: 'graph.microsoft.com',
    providerEnvironment: 'global',
    personalAccounts: true,
  },
  usgovernment: {
    loginHost: 'login.microsoftonline.us',
    graphHost: 'graph.microsoft.us',
    providerEnvironment: 'usgovernment',
    personalAccounts: false,
  },
  china: {
    loginHost: 'login.chinacloudapi.cn',
    graphHost: 'microsoftgraph.chinacloudapi.cn',
    providerEnvironment: 'china',
    personalAccounts: false,
  },
};

/** Audiences that admit personal Microsoft accounts. */
export function allowsPersonalAccounts(audience: SignInAudience): boolean {
  return audience === 'AzureADandPersonalMicrosoftAccount' || audience === 'PersonalMicrosoftAccount';
}

/**
 * The authority segment of the endpoints. Single-tenant apps must name their tenant
 * (`/common` is refused for them with AADSTS50194), so they get `tenantId`.
 */
export function authorityFor(audience: SignInAudience, tenantId: string): string {
  switch (audience) {
    case 'AzureADMyOrg':
      return tenantId;
    case 'AzureADMultipleOrgs':
      return 'organizations';
    case 'AzureADandPersonalMicrosoftAccount':
      return 'common';
    case 'PersonalMicrosoftAccount':
      return 'consumers';
  }
}

export interface OAuthEndpoints {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly userInfoUrl: string;
}

/** The v2.0 endpoints Botpress's oauth2 strategy needs. `tenantId` may be a Terraform expression. */
export function oauthEndpoints(cloud: AzureCloud, audience: SignInAudience, tenantId: string): OAuthEndpoints {
  const { loginHost, graphHost } = CLOUDS[cloud];
  const base = `https://${loginHost}/${authorityFor(audience, tenantId)}/oauth2/v2.0`;
  return {
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    userInfoUrl: `https://${graphHost}/oidc/userinfo`,
  };
}
