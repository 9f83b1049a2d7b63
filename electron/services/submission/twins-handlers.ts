/** StudioApi handlers for the twins calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { twinsCalls } from '../../../shared/contract/twins';
import type { TwinsService } from './twins-service';

export function twinsHandlers(twins: TwinsService): Pick<StudioHandlers, keyof typeof twinsCalls> {
  return {
    'twins/list': (query) => twins.list(query),
    'twins/get': ({ id }) => twins.get(id),
    'twins/watch': async ({ ids }) => ({ watching: twins.watch(ids) }),
    'twins/media': ({ id, kind }) => twins.media(id, kind),
    'twins/createAgent': (input) => twins.createAgent(input),
  };
}
