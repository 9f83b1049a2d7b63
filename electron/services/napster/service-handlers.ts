/** StudioApi handlers for the API key and the service's lists. */
import type { StudioHandlers } from '../../../shared/contract';
import type { serviceCalls } from '../../../shared/contract/service';
import { StudioError } from '../../../shared/errors';
import type { ApiKeyStore } from '../keychain/api-key';
import type { NapsterClient } from './client';
import type { EthnicityService } from './ethnicities';

export type ServiceDeps = {
  apiKey: ApiKeyStore;
  client: Pick<NapsterClient, 'ethnicities'>;
  ethnicities: EthnicityService;
  now?: () => Date;
};

export function serviceHandlers(deps: ServiceDeps): Pick<StudioHandlers, keyof typeof serviceCalls> {
  const now = deps.now ?? (() => new Date());
  return {
    'apiKey/status': () => deps.apiKey.status(),
    'apiKey/set': ({ key }) => deps.apiKey.set(key),
    'apiKey/remove': () => deps.apiKey.remove(),
    'apiKey/test': async () => {
      try {
        // The cheapest authenticated call; a 401 here means the key itself is refused.
        await deps.client.ethnicities({ timeoutMs: 10_000 });
        return { ok: true, message: 'The service accepted the key.', testedAt: now().toISOString() };
      } catch (error) {
        if (!(error instanceof StudioError)) throw error;
        return { ok: false, message: error.message, testedAt: now().toISOString() };
      }
    },
    'service/ethnicities': ({ refresh }) => deps.ethnicities.get({ refresh }),
  };
}
