/**
 * The secret store against a real gnome-keyring in a private D-Bus session: secrets really land in
 * the Secret Service (seen with secret-tool), and a missing, unreachable or locked keychain is
 * refused in plain words instead of falling back to the kernel keyring.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiKeyStore, apiKeyAccount } from '../../electron/services/keychain/api-key';
import { type SecretStore, createOsSecretStore, describeKeychainFailure } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { type PrivateKeyring, keyringMissing, runSecretStoreInChild, startPrivateKeyring } from '../support/keyring';

const missing = keyringMissing('The keychain tests');
const service = `Twin Studio test ${randomBytes(4).toString('hex')}`;
const lines: string[] = [];
const log = createLogger('keychain-test', (line) => lines.push(line));

/** `secret-tool lookup` exits 1 when there is no such secret. */
async function lookup(keyring: PrivateKeyring, account: string): Promise<string | null> {
  try {
    return await keyring.secretTool('lookup', 'service', service, 'username', account);
  } catch (error) {
    if ((error as { code?: number }).code === 1) return null;
    throw error;
  }
}

describe.skipIf(missing !== null)('OS keychain on a real Secret Service', () => {
  let keyring: PrivateKeyring;
  let store: SecretStore;

  beforeAll(async () => {
    keyring = await startPrivateKeyring();
    // The keyring library connects once per process, on first use: point it at the private bus first.
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.address;
    store = createOsSecretStore({ service, log });
  });

  afterAll(async () => {
    await keyring?.stop();
  });

  test('reports the keychain available', async () => {
    expect(await store.availability()).toEqual({ available: true });
  });

  test('a secret is really stored in the Secret Service, replaced and removed', async () => {
    const first = `first-${randomBytes(12).toString('hex')}`;
    const second = `second-${randomBytes(12).toString('hex')}`;
    expect(await store.get('account-a')).toBeNull();

    await store.set('account-a', first);
    expect(await lookup(keyring, 'account-a')).toBe(first);
    const listed = await keyring.secretTool('search', '--all', 'service', service);
    expect(listed).toContain(`label = keyring:account-a@${service}`);
    expect(await store.get('account-a')).toBe(first);

    await store.set('account-a', second);
    expect(await lookup(keyring, 'account-a')).toBe(second);
    expect(await store.get('account-a')).toBe(second);

    expect(await store.remove('account-a')).toBe(true);
    expect(await lookup(keyring, 'account-a')).toBeNull();
    expect(await store.get('account-a')).toBeNull();
    expect(await store.remove('account-a')).toBe(false);
  });

  test('the API key store tells only the ending, and never logs the key', async () => {
    const key = `nap_${randomBytes(16).toString('hex')}`;
    const changes: unknown[] = [];
    const apiKey = new ApiKeyStore(store, log, (status) => changes.push(status));
    expect(await apiKey.status()).toEqual({ configured: false, endsWith: null, keychain: { available: true, message: null } });

    const status = await apiKey.set(key);
    expect(status).toEqual({ configured: true, endsWith: key.slice(-4), keychain: { available: true, message: null } });
    expect(changes).toEqual([status]);
    expect(await lookup(keyring, apiKeyAccount)).toBe(key);

    // A fresh store (a new launch) reads it back from the keyring.
    const relaunched = new ApiKeyStore(createOsSecretStore({ service, log }), log);
    expect(await relaunched.require()).toBe(key);

    await apiKey.remove();
    expect(await lookup(keyring, apiKeyAccount)).toBeNull();
    expect(await apiKey.status()).toMatchObject({ configured: false, endsWith: null });
    await expect(apiKey.require()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Settings') });

    expect(lines.join('\n')).toContain('API key saved');
    expect(lines.join('\n')).not.toContain(key);
  });

  test('a bus without any Secret Service is refused in plain words, and nothing is kept elsewhere', async () => {
    const bare = await startPrivateKeyring({ secretService: false });
    try {
      const { results } = await runSecretStoreInChild(
        service,
        [{ op: 'availability' }, { op: 'set', account: 'a', secret: 'would-be-lost-on-reboot' }, { op: 'get', account: 'a' }],
        bare.env,
      );
      const [availability, set, get] = results;
      expect(availability).toMatchObject({ ok: true, value: { available: false, problem: 'no-secret-service' } });
      expect((availability as { value: { message: string } }).value.message).toMatch(/org\.freedesktop\.secrets.*GNOME Keyring/s);
      // Unpinned, the library would have saved this in the kernel keyring and read it back.
      expect(set).toMatchObject({ ok: false, code: 'NOT_AVAILABLE', problem: 'no-secret-service' });
      expect(get).toMatchObject({ ok: false, problem: 'no-secret-service' });
      expect(JSON.stringify(results)).not.toContain('would-be-lost-on-reboot');
    } finally {
      await bare.stop();
    }
  });

  test('no session bus at all is refused in plain words', async () => {
    const { results } = await runSecretStoreInChild(service, [{ op: 'availability' }, { op: 'set', account: 'a', secret: 'secret-value-1' }], {
      DBUS_SESSION_BUS_ADDRESS: undefined,
    });
    expect(results[0]).toMatchObject({ ok: true, value: { available: false, problem: 'no-session-bus' } });
    expect(results[1]).toMatchObject({ ok: false, code: 'NOT_AVAILABLE', message: expect.stringContaining('desktop session') });
  });

  test('a locked keyring is refused in plain words', async () => {
    const locked = await startPrivateKeyring({ locked: { service, account: 'a', secret: 'locked-away-secret' } });
    try {
      const { results } = await runSecretStoreInChild(
        service,
        [
          { op: 'get', account: 'a' },
          { op: 'set', account: 'b', secret: 'another-secret-1' },
        ],
        locked.env,
      );
      expect(results[0]).toMatchObject({ ok: false, code: 'NOT_AVAILABLE', problem: 'locked', message: expect.stringContaining('locked') });
      expect(results[1]).toMatchObject({ ok: false, problem: 'locked' });
      expect(JSON.stringify(results)).not.toContain('locked-away-secret');
    } finally {
      await locked.stop();
    }
  });
});

describe('keychain failures in plain words', () => {
  test('maps what the library says to what a person can do', () => {
    const cases: [string, string][] = [
      [
        'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
        'no-session-bus',
      ],
      ['Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
      ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'locked'],
      ["Couldn't access platform storage: Secret Service: no result found", 'locked'],
      ['something new', 'failed'],
    ];
    for (const [text, problem] of cases) {
      const failure = describeKeychainFailure(new Error(text), 'linux');
      expect(failure.problem, text).toBe(problem);
      expect(failure.code).toBe('NOT_AVAILABLE');
      expect(failure.message).not.toContain('DBus error');
    }
    expect(describeKeychainFailure(new Error('Platform failure: whatever'), 'darwin').problem).toBe('failed');
  });
});
