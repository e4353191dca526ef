/** Microsoft Graph, as the SSO app uses it: declared once for Entra's side and Botpress's. */

/** Microsoft Graph's application (client) id, the same in every cloud. */
export const MICROSOFT_GRAPH_CLIENT_ID = '00000003-0000-0000-c000-000000000000';

/**
 * The delegated Graph scopes of the app: what the app registration asks for, what admin consent
 * grants, and what Botpress's oauth2 strategy requests (its `scope` option).
 */
export const GRAPH_SCOPES = ['openid', 'profile', 'email'] as const;
