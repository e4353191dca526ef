import { CLOUDS } from '../../../constructs/internal';
import type { Check } from '../check';
import {
  aadstsCode,
  answerOf,
  ask,
  ENTRA_UNREACHABLE,
  fixFor,
  isVerdict,
  META_AUTHORITIES,
  parseJsonBody,
  parseTokenUrl,
} from '../check-helpers';

const id = 'entra-client-secret';

/** The secret in the config must get an app-only token from the app's home tenant. */
export const entraClientSecret: Check = {
  id,
  title: 'The client secret works (client-credentials token request)',
  async gather(target, http) {
    if (target.signInAudience === 'PersonalMicrosoftAccount') {
      return [
        {
          kind: 'not-asked',
          reason:
            'apps for personal Microsoft accounts only cannot request app-only tokens, so the secret cannot be tried without a sign-in',
        },
      ];
    }
    const parsed = parseTokenUrl(target.options.tokenURL);
    if (!parsed)
      return [{ kind: 'not-asked', reason: `tokenURL ${target.options.tokenURL} is not an Entra v2 token endpoint` }];
    const tenant = META_AUTHORITIES.includes(parsed.authority) ? target.tenantId : parsed.authority;
    if (!tenant) {
      return [
        {
          kind: 'not-asked',
          reason: `the endpoints use /${parsed.authority}, and a client-credentials request needs the app's home tenant: set tenantId in the settings to run this check`,
        },
      ];
    }
    const url = `https://${parsed.host}/${tenant}/oauth2/v2.0/token`;
    const form = {
      grant_type: 'client_credentials',
      client_id: target.options.clientID,
      client_secret: target.options.clientSecret,
      scope: `https://${CLOUDS[target.cloud].graphHost}/.default`,
    };
    return [await ask(url, () => http.postForm(url, form, 'entra-token'))];
  },
  judge(target, observations) {
    const o = answerOf(id, observations, ENTRA_UNREACHABLE);
    if (isVerdict(o)) return o;
    const body = parseJsonBody(o.response.body);
    if (o.response.status === 200 && typeof body?.access_token === 'string') {
      return { id, status: 'pass', detail: `${o.url} issued a token for client ${target.options.clientID}` };
    }
    const code = aadstsCode(o.response.body);
    const error = typeof body?.error === 'string' ? body.error : `HTTP ${o.response.status}`;
    return {
      id,
      status: 'fail',
      detail: `${o.url} refused the client credentials: ${error}${code ? ` AADSTS${code}` : ''}`,
      fix: code
        ? fixFor(code, target, `npx cdktf deploy ${target.environment}, then restart Botpress`)
        : `npx cdktf deploy ${target.environment}, then restart Botpress`,
    };
  },
};
