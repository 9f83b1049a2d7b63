/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux) behind a small interface, so the API key and later storage secrets never touch our files.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { StudioError } from '../../../shared/errors';
import { type Logger, registerSecret } from '../log';

export type KeychainProblem = 'no-session-bus' | 'no-secret-service' | 'locked' | 'failed';

export type KeychainAvailability = { available: true } | { available: false; problem: KeychainProblem; message: string };

export interface SecretStore {
  /** The stored secret, or null when there is none. Throws KeychainError when the keychain cannot be read. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was removed, false when there was none. */
  remove(account: string): Promise<boolean>;
  availability(): Promise<KeychainAvailability>;
}

/** The keychain could not be used; the message says why and what to do, and never holds a secret. */
export class KeychainError extends StudioError {
  readonly problem: KeychainProblem;
  /** The library's own words, for the log only. */
  readonly detail: string;

  constructor(problem: KeychainProblem, message: string, detail = '') {
    super('NOT_AVAILABLE', message);
    this.name = 'KeychainError';
    this.problem = problem;
    this.detail = detail;
  }
}

const linuxAdvice = 'Twin Studio keeps the API key only in the system keychain, never in a file, so it cannot save the key until this is fixed.';

/** Plain words for what the keyring library reports. Its messages are ours to read, never to show. */
export function describeKeychainFailure(error: unknown, platform: NodeJS.Platform = process.platform): KeychainError {
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`.trim() : String(error);
  if (platform === 'linux') {
    if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|Unable to autolaunch|No such file or directory|Connection refused/i.test(text)) {
      return new KeychainError(
        'no-session-bus',
        `No desktop session bus (D-Bus) is running, so there is no system keychain to use. ${linuxAdvice} Start Twin Studio from a desktop session (GNOME, KDE or similar).`,
        text,
      );
    }
    if (/org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service files/i.test(text)) {
      return new KeychainError(
        'no-secret-service',
        `No keychain service (org.freedesktop.secrets) is running. ${linuxAdvice} Install and start GNOME Keyring (package gnome-keyring) or KWallet, then try again.`,
        text,
      );
    }
    if (/prompt was dismissed|locked|no result found|NoSuchObject|IsLocked/i.test(text)) {
      return new KeychainError(
        'locked',
        `The system keychain is locked, or has no default keyring yet. ${linuxAdvice} Unlock it (log in again, or open "Passwords and Keys"), then try again.`,
        text,
      );
    }
  }
  return new KeychainError(
    'failed',
    'The system keychain refused the request. Check that it is unlocked and that Twin Studio may use it, then try again.',
    text,
  );
}

export type OsSecretStoreOptions = {
  /** The keychain's service name; one per app (tests pass their own to keep out of the real one). */
  service: string;
  log: Logger;
  platform?: NodeJS.Platform;
};

/**
 * The OS keychain through @napi-rs/keyring. On Linux the entry is pinned to the Secret Service:
 * unpinned, the library silently falls back to the kernel keyring, which forgets everything on
 * reboot, and the person would lose the key without being told.
 */
export function createOsSecretStore(options: OsSecretStoreOptions): SecretStore {
  const platform = options.platform ?? process.platform;
  const log = options.log;
  const probeAccount = '__availability_probe__';

  const entry = (account: string): AsyncEntry => {
    try {
      return new AsyncEntry(options.service, account, { linux: { store: 'secret-service' } });
    } catch (error) {
      // The constructor itself fails when there is no session bus at all.
      throw describeKeychainFailure(error, platform);
    }
  };

  const guarded = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const failure = error instanceof KeychainError ? error : describeKeychainFailure(error, platform);
      // The library's own text goes to the log (it never contains the secret); people see ours.
      log.warn(`keychain ${what} failed`, { problem: failure.problem, detail: failure.detail });
      throw failure;
    }
  };

  return {
    get: (account) =>
      guarded('read', async () => {
        const value = await entry(account).getPassword();
        registerSecret(value);
        return value;
      }),
    set: (account, secret) =>
      guarded('write', async () => {
        registerSecret(secret);
        await entry(account).setPassword(secret);
      }),
    remove: (account) => guarded('delete', () => entry(account).deleteCredential()),
    availability: async () => {
      try {
        // Reading a missing entry exercises the whole path (bus, service, unlocked collection).
        await guarded('probe', () => entry(probeAccount).getPassword());
        return { available: true };
      } catch (error) {
        const failure = error as KeychainError;
        return { available: false, problem: failure.problem, message: failure.message };
      }
    },
  };
}

/** Secrets in memory only: for tests and for a sandbox session that must not touch the real keychain. */
export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => {
      registerSecret(secret);
      secrets.set(account, secret);
    },
    remove: async (account) => secrets.delete(account),
    availability: async () => ({ available: true }),
  };
}
