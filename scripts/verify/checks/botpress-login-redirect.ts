import type { Check } from '../check';
import { answerOf, ask, botpressUnreachable, isVerdict } from '../check-helpers';

const id = 'botpress-login-redirect';

/** Botpress's login route must redirect to Entra with the options the config holds now (not stale ones). */
export const botpressLoginRedirect: Check = {
  id,
  title: "Botpress's login redirect points at the configured authorize endpoint, client id and callback URL",
  async gather(target, http) {
    const url = `${target.botpressUrl}/api/v1/admin/auth/redirect/oauth2/${encodeURIComponent(target.strategyName)}`;
    return [await ask(url, () => http.get(url, 'botpress-login-redirect'))];
  },
  judge(target, observations) {
    const restart = `restart Botpress: it sets up strategies only at start`;
    const o = answerOf(id, observations, botpressUnreachable(target));
    if (isVerdict(o)) return o;
    const { status, location } = o.response;
    if (status < 300 || status >= 400 || !location) {
      return {
        id,
        status: 'fail',
        detail: `${o.url} answered HTTP ${status} instead of a redirect to Entra`,
        fix: status === 404 ? restart : `${restart}; check that Botpress Pro is enabled`,
      };
    }
    let to: URL;
    try {
      to = new URL(location, o.url);
    } catch {
      return { id, status: 'fail', detail: 'the redirect has no valid Location', fix: restart };
    }
    const problems: string[] = [];
    if (`${to.origin}${to.pathname}` !== target.options.authorizationURL)
      problems.push(`it goes to ${to.origin}${to.pathname}, the config says ${target.options.authorizationURL}`);
    if (to.searchParams.get('client_id') !== target.options.clientID)
      problems.push(
        `client_id is ${JSON.stringify(to.searchParams.get('client_id'))}, the config says ${target.options.clientID}`,
      );
    if (to.searchParams.get('redirect_uri') !== target.options.callbackURL)
      problems.push(
        `redirect_uri is ${JSON.stringify(to.searchParams.get('redirect_uri'))}, the config says ${target.options.callbackURL}`,
      );
    if (problems.length > 0) {
      return {
        id,
        status: 'fail',
        detail: `Botpress runs other options: ${problems.join('; ')}`,
        fix: `${restart}; make its externalUrl equal to botpressUrl`,
      };
    }
    return {
      id,
      status: 'pass',
      detail: `redirects to ${target.options.authorizationURL} with the configured client id and callback URL`,
    };
  },
};
