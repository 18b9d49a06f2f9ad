import type { RequestListener } from 'node:http';
import type { OutboxRelay } from '@revocation-fabric/publisher';
import type { StartableService } from '@revocation-fabric/service-runtime';
import type { Issuer } from './issuer.js';
import type { IssuerStore } from './store/open-store.js';

/**
 * What a service built on the kit hands out (the user-service, the gateway, a team's own
 * issuer): its configuration, its HTTP handler, its write path, and start/stop.
 */
export interface IssuingService<DB, Config> extends StartableService {
  readonly config: Config;
  /** The HTTP handler (an express app), for mounting or in-process requests. */
  readonly app: RequestListener;
  /** The write path: store, relay, revocation transactions. */
  readonly issuer: Issuer<DB>;
  /** `issuer.relay`: readiness shows its status. */
  readonly relay: OutboxRelay<DB>;
  /** `issuer.store`. */
  readonly store: IssuerStore<DB>;
}
