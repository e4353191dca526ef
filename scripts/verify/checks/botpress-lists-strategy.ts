import type { Check } from '../check';
import { answerOf, ask, botpressUnreachable, isVerdict } from '../check-helpers';
import { AUTH_CONFIG_PATH } from '../../../constructs/internal';
import { strategyListing } from '../../../host/strategy-listing';

const id = 'botpress-lists-strategy';

/** Botpress must list the strategy: it read the config (or env file) and Pro is on. */
export const botpressListsStrategy: Check = {
  id,
  title: `Botpress lists the strategy (GET ${AUTH_CONFIG_PATH})`,
  async gather(target, http) {
    const url = `${target.botpressUrl}${AUTH_CONFIG_PATH}`;
    return [await ask(url, () => http.get(url, 'botpress-auth-config'))];
  },
  judge(target, observations) {
    const o = answerOf(id, observations, botpressUnreachable(target));
    if (isVerdict(o)) return o;
    const listing = strategyListing(target.strategyName, o.response.status, o.response.body);
    if (listing.kind === 'no-list') {
      return {
        id,
        status: 'fail',
        detail: `${o.url} answered HTTP ${o.response.status} without a strategy list`,
        fix: `make botpressUrl Botpress's external URL (path prefix included)`,
      };
    }
    if (listing.kind === 'not-listed') {
      const { listed } = listing;
      return {
        id,
        status: 'fail',
        detail: `Botpress lists ${listed.length > 0 ? listed.map((s) => JSON.stringify(s)).join(', ') : 'no strategies'}, not ${JSON.stringify(target.strategyName)}`,
        fix:
          target.botpressStorage === 'database'
            ? 'start every Botpress node with the env file (docker --env-file, a Kubernetes secret), keep a license (BP_LICENSE_KEY), and restart Botpress'
            : 'enable Botpress Pro (pro.enabled with a license) and restart Botpress',
      };
    }
    return { id, status: 'pass', detail: `Botpress lists ${JSON.stringify(target.strategyName)}` };
  },
};
