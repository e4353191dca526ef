import { CLOUDS } from '../../../constructs/internal';
import type { Check, Observation } from '../check';
import {
  aadstsCode,
  answerOf,
  ask,
  ENTRA_UNREACHABLE,
  fixFor,
  isVerdict,
  META_AUTHORITIES,
  notSentElsewhere,
  parseJsonBody,
  redeployFix,
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
    const elsewhere = notSentElsewhere(target, 'the client secret');
    if (elsewhere || target.entra.kind !== 'derived') return [elsewhere as Observation];
    // Only to the token endpoint the settings derive: the cloud's login host, the app's tenant.
    const { loginHost, authority } = target.entra;
    const tenant = META_AUTHORITIES.includes(authority) ? target.tenantId : authority;
    if (!tenant) {
      return [
        {
          kind: 'not-asked',
          reason: `the endpoints use /${authority}, and a client-credentials request needs the app's home tenant: set tenantId in the settings to run this check`,
        },
      ];
    }
    const url = `https://${loginHost}/${tenant}/oauth2/v2.0/token`;
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
      fix: fixFor(code, target, redeployFix(target)),
    };
  },
};
