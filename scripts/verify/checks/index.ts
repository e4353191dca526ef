// The checks of `npm run verify`, in the order they run and are reported: exports only.
import type { Check } from '../check';
import { botpressListsStrategy } from './botpress-lists-strategy';
import { botpressLoginRedirect } from './botpress-login-redirect';
import { entraAuthorize } from './entra-authorize';
import { entraClientSecret } from './entra-client-secret';
import { entraDiscovery } from './entra-discovery';
import { secretExpiry } from './secret-expiry';

export const CHECKS: readonly Check[] = [
  entraDiscovery,
  entraClientSecret,
  entraAuthorize,
  botpressListsStrategy,
  botpressLoginRedirect,
  secretExpiry,
];
