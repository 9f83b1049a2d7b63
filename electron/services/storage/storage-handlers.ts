/** StudioApi handlers for the storage calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { storageCalls } from '../../../shared/contract/storage';
import type { StorageService } from './storage-service';

export function storageHandlers(storage: StorageService): Pick<StudioHandlers, keyof typeof storageCalls> {
  return {
    'storage/status': () => storage.status(),
    'storage/save': ({ target, secret }) => storage.save(target, secret),
    'storage/test': () => storage.test(),
    'storage/remove': () => storage.remove(),
  };
}
