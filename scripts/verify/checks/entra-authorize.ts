import type { Check, Observation } from '../check';
import {
  aadstsCode,
  answerOf,
  ask,
  ENTRA_UNREACHABLE,
  fixFor,
  isVerdict,
  notSentElsewhere,
  redeployFix,
} from '../check-helpers';

const id = 'entra-authorize';

/** An authorize request (no sign-in) must not be refused: Entra knows the client id and the callback URL. */
export const entraAuthorize: Check = {
  id,
  title: 'Entra accepts the client id and the callback URL (authorize request, no sign-in)',
  async gather(target, http) {
    const elsewhere = notSentElsewhere(target, 'the client id with the callback URL');
    if (elsewhere || target.entra.kind !== 'derived') return [elsewhere as Observation];
    const url = new URL(target.entra.authorizationUrl);
    url.searchParams.set('client_id', target.options.clientID);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', target.options.callbackURL);
    url.searchParams.set('scope', target.options.scope);
    url.searchParams.set('response_mode', 'query');
    return [await ask(url.href, () => http.get(url.href, 'entra-authorize'))];
  },
  judge(target, observations) {
    const o = answerOf(id, observations, ENTRA_UNREACHABLE);
    if (isVerdict(o)) return o;
    const code = aadstsCode(`${o.response.location ?? ''}\n${o.response.body}`);
    if (code) {
      return {
        id,
        status: 'fail',
        detail: `the authorize endpoint answered AADSTS${code}`,
        fix: fixFor(code, target, redeployFix(target)),
      };
    }
    if (o.response.status >= 400) {
      return {
        id,
        status: 'fail',
        detail: `the authorize endpoint answered HTTP ${o.response.status}`,
        fix: redeployFix(target),
      };
    }
    return {
      id,
      status: 'pass',
      detail: `client ${target.options.clientID} and callback ${target.options.callbackURL} accepted`,
    };
  },
};
