import type { Check } from '../check';
import {
  aadstsCode,
  answerOf,
  ask,
  ENTRA_UNREACHABLE,
  fixFor,
  isVerdict,
  parseJsonBody,
  parseTokenUrl,
} from '../check-helpers';

const id = 'entra-discovery';

/** The tenant's discovery document must name the authorize and token endpoints the config holds. */
export const entraDiscovery: Check = {
  id,
  title: "The tenant's OpenID discovery document names the configured endpoints",
  async gather(target, http) {
    const parsed = parseTokenUrl(target.options.tokenURL);
    if (!parsed)
      return [{ kind: 'not-asked', reason: `tokenURL ${target.options.tokenURL} is not an Entra v2 token endpoint` }];
    const url = `https://${parsed.host}/${parsed.authority}/v2.0/.well-known/openid-configuration`;
    return [await ask(url, () => http.get(url, 'entra-discovery'))];
  },
  judge(target, observations) {
    const redeploy = `npx cdktf deploy ${target.environment} (it renders the endpoints), then restart Botpress`;
    const o = answerOf(id, observations, ENTRA_UNREACHABLE, (reason) => ({
      id,
      status: 'fail',
      detail: reason,
      fix: redeploy,
    }));
    if (isVerdict(o)) return o;
    const code = aadstsCode(o.response.body);
    if (code)
      return { id, status: 'fail', detail: `${o.url} answered AADSTS${code}`, fix: fixFor(code, target, redeploy) };
    const doc = o.response.status === 200 ? parseJsonBody(o.response.body) : undefined;
    if (!doc)
      return {
        id,
        status: 'fail',
        detail: `${o.url} answered HTTP ${o.response.status} without a discovery document`,
        fix: 'check tenantId and cloud in the settings',
      };
    const wrong = (
      [
        ['authorization_endpoint', 'authorizationURL', target.options.authorizationURL],
        ['token_endpoint', 'tokenURL', target.options.tokenURL],
      ] as const
    ).filter(([key, , configured]) => doc[key] !== configured);
    if (wrong.length > 0) {
      return {
        id,
        status: 'fail',
        detail: wrong
          .map(([key, option, configured]) => `${option} is ${configured}, discovery says ${String(doc[key])}`)
          .join('; '),
        fix: redeploy,
      };
    }
    return { id, status: 'pass', detail: `${o.url} names the configured authorize and token endpoints` };
  },
};
