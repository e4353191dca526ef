/**
 * A local stand-in for Microsoft Entra ID's v2 endpoints and Graph's /oidc/userinfo, run as a
 * child process (oidc-provider is ESM-only; jest runs tests as CommonJS). Started and talked to
 * by test/support/entra-stand-in.ts over IPC; exits by itself when that channel closes, so a test
 * process that dies never leaves it behind.
 *
 * The OAuth 2.0 / OpenID Connect engine is panva's certified oidc-provider, unchanged. What this
 * file adds is Entra's layout around it, from Microsoft's documentation (facts sections 3 and 8):
 * - one HTTPS server on 127.0.0.1 for every login and Graph host (the test client maps the host
 *   names to its port; the host is told by the Host header);
 * - `/<authority>/oauth2/v2.0/authorize|token`, `/<authority>/v2.0/.well-known/openid-configuration`
 *   on the login hosts, with the authority (tenant id, organizations, common, consumers) checked
 *   the way Entra answers: AADSTS90002 for an unknown tenant, AADSTS700016 for an application not
 *   in that directory (or cloud), AADSTS50194 for a single-tenant app under a multi-tenant authority;
 * - `/oidc/userinfo` on the Graph hosts;
 * - oidc-provider's errors told with Entra's codes: AADSTS50011 (redirect URI mismatch),
 *   AADSTS7000215 (invalid client secret), AADSTS700016 (unknown client).
 * Not modelled: Entra's real sign-in pages (oidc-provider's development login and consent forms
 * take their place), ID-token claims, conditional access, token lifetimes, user assignment.
 *
 * Passwords: Entra holds several per application. A plain-HTTP control server on 127.0.0.1 takes
 * `POST /passwords {clientId, keyId, secret}` (the password stand-in's create step, see
 * password-stand-in.ts); a removal comes over IPC. Once a client has any, the token endpoint
 * accepts exactly those (oidc-provider's secret comparison is replaced for that client only).
 *
 * Messages in: {type: 'start', config} (see EntraStandInConfig in entra-stand-in.ts), {type: 'events'},
 * {type: 'remove-password', clientId, keyId}, {type: 'passwords', clientId}.
 * Messages out: {type: 'ready', port, controlPort}, {type: 'events', events}, {type: 'removed'},
 * {type: 'passwords', keyIds}, {type: 'failed', message}.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import Provider from 'oidc-provider';
import { SYNTAX } from 'oidc-provider/lib/consts/client_attributes.js';

// OAuth 2.0 allows only visible ASCII in client secrets (RFC 6749 appendix A, VSCHAR), and Entra
// issues only letters, digits and `~ . _ -`. The tests register a secret with a newline and
// non-ASCII on purpose, to prove that rendering carries ANY secret byte for byte; so the
// registration-time syntax check is lifted. Comparing the secret at the token endpoint is
// oidc-provider's own code, unchanged.
delete SYNTAX.client_secret;

const META_AUTHORITIES = new Set(['organizations', 'common', 'consumers']);
/** Authorities each sign-in audience may use besides tenant ids (facts section 3). */
const ALLOWED_META = {
  AzureADMyOrg: [],
  AzureADMultipleOrgs: ['organizations', 'common'],
  AzureADandPersonalMicrosoftAccount: ['organizations', 'common', 'consumers'],
  PersonalMicrosoftAccount: ['common', 'consumers'],
};

/** What the test asks about afterwards: which requests the engine answered, without secrets. */
const events = [];

/**
 * The passwords of each application (client id -> key id -> secret), as Entra holds several per
 * app. Added through the control server (the password stand-in's create step) and removed over
 * IPC (when the test sees the deploy delete one); a client with none added keeps its registered
 * secret. The key id that matched the last token request is told in its event.
 */
const passwords = new Map();
let matchedKeyId;
const sameText = (a, b) => {
  const x = Buffer.from(String(a)),
    y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
};

function entraError(code, error, description) {
  return { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] };
}

function start(config) {
  const loginHosts = new Map(config.clouds.map((c) => [c.loginHost, c]));
  const graphHosts = new Set(config.clouds.map((c) => c.graphHost));
  const clients = new Map(config.clients.map((c) => [c.clientId, c]));
  const users = new Map(config.users.map((u) => [u.login, u]));

  const provider = new Provider(`https://${config.clouds[0].loginHost}`, {
    clients: config.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'client_credentials'],
      response_types: ['code'],
      // What passport-oauth2 (node-oauth) sends; Entra accepts it too.
      token_endpoint_auth_method: 'client_secret_post',
    })),
    routes: {
      authorization: '/oauth2/v2.0/authorize',
      token: '/oauth2/v2.0/token',
      userinfo: '/oidc/userinfo',
      jwks: '/discovery/v2.0/keys',
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      // Graph accepts the token in the Authorization header only.
      userinfo: { enabled: true },
    },
    // Entra requires no PKCE from confidential web clients; Botpress sends none.
    pkce: { required: () => false },
    cookies: { keys: ['throwaway-test-cookie-key'] },
    async findAccount(_ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...user.claims }) };
    },
    async renderError(ctx, out) {
      const described =
        out.error === 'invalid_redirect_uri'
          ? `AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application. (${out.error_description})`
          : out.error === 'invalid_client'
            ? `AADSTS700016: Application was not found in the directory. (${out.error_description})`
            : `${out.error}: ${out.error_description}`;
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><body><h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p><p id="error">${escapeHtml(
        described,
      )}</p></body></html>`;
    },
  });

  const compareRegisteredSecret = provider.Client.prototype.compareClientSecret;
  provider.Client.prototype.compareClientSecret = function compareClientSecret(actual) {
    matchedKeyId = undefined;
    const held = passwords.get(this.clientId);
    if (!held) return compareRegisteredSecret.call(this, actual);
    for (const [keyId, secret] of held) if (sameText(secret, actual)) matchedKeyId = keyId;
    return matchedKeyId !== undefined;
  };

  provider.use(async (ctx, next) => {
    matchedKeyId = undefined;
    await next();
    const route = ctx.oidc?.route;
    if (!route) return;
    if (route === 'token') {
      const body = ctx.oidc.body ?? {};
      if (ctx.status === 401 && ctx.body?.error === 'invalid_client') {
        ctx.body = entraError(
          7000215,
          'invalid_client',
          "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" +
            body.client_id +
            "'.",
        );
      }
      events.push({
        route,
        status: ctx.status,
        grantType: body.grant_type,
        clientId: body.client_id,
        secretInBody: typeof body.client_secret === 'string',
        basicAuth: /^basic /i.test(ctx.get('authorization')),
        redirectUri: body.redirect_uri,
        keyId: matchedKeyId,
      });
    } else if (route === 'userinfo') {
      events.push({
        route,
        status: ctx.status,
        bearerHeader: /^bearer /i.test(ctx.get('authorization')),
        host: ctx.host,
      });
    } else if (route === 'discovery') {
      events.push({ route, status: ctx.status });
    }
  });

  const server = createServer({ cert: config.cert, key: config.key }, (req, res) => {
    route(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error?.stack ?? error));
    });
  });
  const callback = provider.callback();

  async function route(req, res) {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url, `https://${host}`);
    if (graphHosts.has(host)) {
      if (url.pathname !== '/oidc/userinfo') return sendJson(res, 404, { error: { code: 'NotFound' } });
      return callback(req, res);
    }
    const cloud = loginHosts.get(host);
    if (!cloud) return sendJson(res, 404, { error: 'unknown host' });

    const match = /^\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { error: 'not found' });
    const [, authority, rest] = match;
    const tenantHere = config.tenants.some((t) => t.id === authority && t.loginHost === host);
    const kind =
      rest === '/v2.0/.well-known/openid-configuration'
        ? 'discovery'
        : rest.startsWith('/oauth2/v2.0/authorize')
          ? 'authorize'
          : rest === '/oauth2/v2.0/token'
            ? 'token'
            : 'other';
    const asJson = kind !== 'authorize' && kind !== 'other';

    if (!META_AUTHORITIES.has(authority) && !tenantHere) {
      const error = entraError(
        90002,
        'invalid_tenant',
        `Tenant '${authority}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
      return asJson ? sendJson(res, 400, error) : sendHtml(res, 400, error.error_description);
    }

    let body;
    if (kind === 'token') {
      body = await readBody(req);
      req.body = body; // oidc-provider reads an already read body from here
    }
    // A new authorization or token request names its client: check the directory first.
    const clientId =
      kind === 'authorize' && rest === '/oauth2/v2.0/authorize'
        ? url.searchParams.get('client_id')
        : kind === 'token'
          ? new URLSearchParams(body).get('client_id')
          : undefined;
    if (clientId !== undefined && clientId !== null) {
      const problem = directoryProblem(clients.get(clientId), clientId, authority, host);
      if (problem) {
        events.push({ route: kind, status: 400, clientId, aadsts: problem.error_codes[0] });
        return kind === 'token' ? sendJson(res, 400, problem) : sendHtml(res, 400, problem.error_description);
      }
    }

    // Mounted under /<authority> the way express mounts it, so that every URL oidc-provider
    // builds (interaction pages, resume, discovery endpoints) keeps the authority.
    req.originalUrl = kind === 'discovery' ? `/${authority}/.well-known/openid-configuration${url.search}` : req.url;
    req.url = kind === 'discovery' ? `/.well-known/openid-configuration${url.search}` : `${rest}${url.search}`;
    if (kind === 'discovery') return discovery(req, res, cloud, authority);
    return callback(req, res);
  }

  /** Entra's discovery names the Graph userinfo and a per-tenant issuer; the rest is the engine's. */
  function discovery(req, res, cloud, authority) {
    const chunks = [];
    const end = res.end.bind(res);
    const write = res.write.bind(res);
    res.write = (chunk) => (chunks.push(Buffer.from(chunk)), true);
    res.end = (chunk) => {
      if (chunk) chunks.push(Buffer.from(chunk));
      res.write = write;
      res.end = end;
      let text = Buffer.concat(chunks).toString('utf8');
      if (res.statusCode === 200) {
        const doc = JSON.parse(text);
        doc.issuer = `https://${cloud.loginHost}/${
          authority === 'common' || authority === 'organizations' ? '{tenantid}' : authority
        }/v2.0`;
        doc.userinfo_endpoint = `https://${cloud.graphHost}/oidc/userinfo`;
        text = JSON.stringify(doc);
        res.setHeader('content-length', Buffer.byteLength(text));
      }
      return end(text);
    };
    return callback(req, res);
  }

  function directoryProblem(client, clientId, authority, host) {
    const notFound = () =>
      entraError(
        700016,
        'unauthorized_client',
        `Application with identifier '${clientId}' was not found in the directory '${authority}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    if (!client || client.loginHost !== host) return notFound();
    if (META_AUTHORITIES.has(authority)) {
      if (ALLOWED_META[client.signInAudience].includes(authority)) return undefined;
      if (client.signInAudience === 'AzureADMyOrg') {
        return entraError(
          50194,
          'invalid_request',
          `Application '${clientId}' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications.`,
        );
      }
      return notFound();
    }
    if (authority === client.tenantId || client.signInAudience !== 'AzureADMyOrg') return undefined;
    return notFound();
  }

  // The control server: the password stand-in adds the secrets it creates here.
  const control = createHttpServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || req.url !== '/passwords') return sendJson(res, 404, { error: 'not found' });
      const { clientId, keyId, secret } = JSON.parse(await readBody(req));
      if (!passwords.has(clientId)) passwords.set(clientId, new Map());
      passwords.get(clientId).set(keyId, secret);
      sendJson(res, 200, { added: keyId });
    } catch (error) {
      sendJson(res, 400, { error: String(error) });
    }
  });
  server.listen(0, '127.0.0.1', () =>
    control.listen(0, '127.0.0.1', () =>
      process.send({ type: 'ready', port: server.address().port, controlPort: control.address().port }),
    ),
  );
  server.on('error', (error) => process.send({ type: 'failed', message: String(error) }));
  // Keep-alive sockets of the test client must not hold the process open after a disconnect.
  process.on('disconnect', () => {
    server.closeAllConnections?.();
    server.close();
    control.closeAllConnections?.();
    control.close();
    process.exit(0);
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

function sendHtml(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!DOCTYPE html><html><body><h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p><p id="error">${escapeHtml(
      message,
    )}</p></body></html>`,
  );
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

process.on('message', (message) => {
  if (message?.type === 'start') {
    try {
      start(message.config);
    } catch (error) {
      process.send({ type: 'failed', message: String(error?.stack ?? error) });
    }
  } else if (message?.type === 'events') {
    process.send({ type: 'events', events: events.splice(0) });
  } else if (message?.type === 'remove-password') {
    passwords.get(message.clientId)?.delete(message.keyId);
    process.send({ type: 'removed', keyId: message.keyId });
  } else if (message?.type === 'passwords') {
    process.send({ type: 'passwords', keyIds: [...(passwords.get(message.clientId)?.keys() ?? [])] });
  }
});
// Started without an IPC channel (by hand): nothing to serve.
if (!process.send) process.exit(2);
