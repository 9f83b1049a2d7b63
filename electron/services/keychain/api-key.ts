/**
 * The Napster API key: kept in the keychain, read by the main process when it calls the service, and
 * described to the renderer only as "configured, ends in …a1b2".
 */
import { type ApiKeyStatus, apiKeyEndingLength, apiKeyEndingMinLength } from '../../../shared/contract/service';
import { StudioError } from '../../../shared/errors';
import { type Logger, registerSecret } from '../log';
import { KeychainError, type SecretStore } from './secret-store';

export const apiKeyAccount = 'napster-api-key';

export function keyEnding(key: string): string | null {
  return key.length >= apiKeyEndingMinLength ? key.slice(-apiKeyEndingLength) : null;
}

export class ApiKeyStore {
  /** The key as last read or written, so the keychain (which may prompt) is asked once per launch. */
  private cached: string | null | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
    private readonly onChange: (status: ApiKeyStatus) => void = () => undefined,
  ) {}

  async status(): Promise<ApiKeyStatus> {
    try {
      const key = await this.read();
      return { configured: key !== null, endsWith: key ? keyEnding(key) : null, keychain: { available: true, message: null } };
    } catch (error) {
      if (!(error instanceof KeychainError)) throw error;
      return { configured: false, endsWith: null, keychain: { available: false, message: error.message } };
    }
  }

  /** Saves (or replaces) the key. The caller has checked its shape with the contract's schema. */
  async set(key: string): Promise<ApiKeyStatus> {
    registerSecret(key);
    await this.secrets.set(apiKeyAccount, key);
    this.cached = key;
    this.log.info('API key saved in the keychain', { endsWith: keyEnding(key) });
    return this.changed();
  }

  async remove(): Promise<ApiKeyStatus> {
    const removed = await this.secrets.remove(apiKeyAccount);
    this.cached = null;
    this.log.info(removed ? 'API key removed from the keychain' : 'no API key to remove');
    return this.changed();
  }

  /** The key for a service call. Throws a message the person can act on when there is none. */
  async require(): Promise<string> {
    const key = await this.read();
    if (!key) throw new StudioError('UNAUTHORIZED', 'No API key is set. Add the key from the Napster dashboard under Settings → API key.');
    return key;
  }

  async configured(): Promise<boolean> {
    try {
      return (await this.read()) !== null;
    } catch {
      return false;
    }
  }

  private async read(): Promise<string | null> {
    if (this.cached === undefined) {
      const key = await this.secrets.get(apiKeyAccount);
      registerSecret(key);
      this.cached = key;
    }
    return this.cached;
  }

  private async changed(): Promise<ApiKeyStatus> {
    const status = await this.status();
    this.onChange(status);
    return status;
  }
}
