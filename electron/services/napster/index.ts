/** Builds the service link from plain dependencies: keychain, API key, client, ethnicity cache, handlers. */
import type { ApiKeyStatus } from '../../../shared/contract/service';
import type { Settings } from '../../../shared/settings';
import { ApiKeyStore } from '../keychain/api-key';
import { type SecretStore, createOsSecretStore } from '../keychain/secret-store';
import type { Logger } from '../log';
import { NapsterClient, type NapsterClientOptions } from './client';
import { EthnicityService } from './ethnicities';
import { serviceHandlers } from './service-handlers';
import { dataFile } from '../files/data-folders';

/** The keychain's service name; every secret of the studio lives under it. */
export const keychainService = 'Twin Studio';

export type ServiceLinkOptions = {
  dataDir: string;
  settings: { get(): Promise<Settings> };
  log: Logger;
  onApiKeyChange: (status: ApiKeyStatus) => void;
  /** Defaults to the OS keychain. */
  secretStore?: SecretStore;
  /** Client tuning for tests (timeouts, retry waits). */
  client?: Partial<Pick<NapsterClientOptions, 'timeoutMs' | 'retry' | 'fetch' | 'sleep' | 'random'>>;
};

export function createServiceLink(options: ServiceLinkOptions) {
  const secrets = options.secretStore ?? createOsSecretStore({ service: keychainService, log: options.log.child('keychain') });
  const apiKey = new ApiKeyStore(secrets, options.log.child('api-key'), options.onApiKeyChange);
  const client = new NapsterClient({
    ...options.client,
    baseUrl: async () => (await options.settings.get()).apiBaseUrl,
    apiVersion: async () => (await options.settings.get()).apiVersion,
    apiKey: () => apiKey.require(),
    log: options.log.child('napster'),
  });
  const ethnicities = new EthnicityService({
    client,
    hasApiKey: () => apiKey.configured(),
    baseUrl: async () => (await options.settings.get()).apiBaseUrl,
    file: dataFile(options.dataDir, 'ethnicities'),
    log: options.log.child('ethnicities'),
  });
  return { secrets, apiKey, client, ethnicities, handlers: serviceHandlers({ apiKey, client, ethnicities }) };
}
export type ServiceLink = ReturnType<typeof createServiceLink>;
