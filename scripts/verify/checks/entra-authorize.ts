import type { Check } from '../check';
import { aadstsCode, answerOf, ask, ENTRA_UNREACHABLE, fixFor, isVerdict } from '../check-helpers';

const id = 'entra-authorize';

/** An authorize request (no sign-in) must not be refused: Entra knows the client id and the callback URL. */
export const entraAuthorize: Check = {
  id,
  title: 'Entra accepts the client id and the callback URL (authorize request, no sign-in)',
  async gather(target, http) {
    const url = new URL(target.options.authorizationURL);
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
        fix: fixFor(code, target, `npx cdktf deploy ${target.environment}, then restart Botpress`),
      };
    }
    if (o.response.status >= 400) {
      return {
        id,
        status: 'fail',
        detail: `the authorize endpoint answered HTTP ${o.response.status}`,
        fix: `npx cdktf deploy ${target.environment}, then restart Botpress`,
      };
    }
    return {
      id,
      status: 'pass',
      detail: `client ${target.options.clientID} and callback ${target.options.callbackURL} accepted`,
    };
  },
};
