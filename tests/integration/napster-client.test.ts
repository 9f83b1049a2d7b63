/**
 * The Napster client against the emulator: every call succeeds as documented, and every failure the
 * issue names (400 field errors, 401, consent, 429 with Retry-After, 5xx, timeout, cancellation)
 * becomes a typed error with an actionable message; only safe requests are retried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { createLogger } from '../../electron/services/log';
import { NapsterClient, type NapsterClientOptions, abortableSleep } from '../../electron/services/napster/client';
import { NapsterError } from '../../electron/services/napster/errors';
import { missingPrerequisite } from '../support/prerequisites';
import { type MediaServer, mediaCommands, pictureJpeg, startMediaServer, toneWav, v1Request } from './emulator-fixtures';

const key = 'client-test-key-6f1c2a9be07d4c33';
const missing = missingPrerequisite(mediaCommands, 'The Napster client tests');
const logLines: string[] = [];
const log = createLogger('napster-test', (line) => logLines.push(line));

async function caught(promise: Promise<unknown>): Promise<NapsterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NapsterError);
    expect((error as Error).message).not.toContain(key);
    return error as NapsterError;
  }
  throw new Error('expected the call to fail');
}

describe.skipIf(missing !== null)('Napster client against the emulator', () => {
  let emulator: RunningEmulator;
  let media: MediaServer;
  let clock = Date.now();
  let waits: number[] = [];

  const client = (options: Partial<NapsterClientOptions> = {}) =>
    new NapsterClient({
      baseUrl: () => emulator.url,
      apiKey: () => key,
      log,
      retry: { baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
      // Record what the client would wait, but wait only briefly (still cancellable).
      sleep: (ms, signal) => {
        waits.push(ms);
        return abortableSleep(Math.min(ms, 20), signal);
      },
      ...options,
    });
  const twin = (overrides: Record<string, unknown> = {}) => v1Request(media.url('voice.wav'), media.url('picture.jpg'), overrides) as never;
  const posts = () => emulator.requests().filter((request) => request.method === 'POST').length;

  beforeAll(async () => {
    media = await startMediaServer({ 'voice.wav': toneWav(65), 'picture.jpg': pictureJpeg() });
    emulator = await startEmulator({
      apiKey: key,
      allowHttpMedia: true,
      rateLimit: null,
      generationSeconds: 10,
      stepSeconds: 10,
      recheckMedia: false,
      now: () => clock,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    await media?.close();
  });

  beforeEach(() => {
    waits = [];
  });

  describe('success', () => {
    test('create a twin, follow it, list it, attach it to an agent, edit it', async () => {
      const api = client();
      const created = await api.createTwin(twin({ externalClientId: 'client-success', tags: { team: 'sales' } }));
      expect(created).toMatchObject({ id: expect.stringMatching(/^comp_/), firstName: 'Sarah', status: 'pending' });
      await emulator.settled();

      expect((await api.getCompanion(created.id)).status).toBe('pending');
      clock += 20_000;
      expect((await api.getCompanion(created.id)).status).toBe('readyToUse');

      const page = await api.listTwins({ pageIndex: 0, pageSize: 5, tags: { team: 'sales' }, statuses: ['readyToUse'] });
      expect(page.items.map((item) => item.id)).toEqual([created.id]);
      expect(page).toMatchObject({ pageIndex: 0, pageSize: 5, filteredCount: 1 });
      expect(emulator.requests().at(-1)!.path).toContain('personaType=digitalTwin');

      const agent = await api.createAgent({ companionId: created.id, name: 'Sarah', providerSettings: { temperature: 0.3 } });
      expect(agent).toMatchObject({ id: expect.stringMatching(/^agent_/), companionId: created.id });

      clock += 10_000;
      expect(await api.updateCompanion(created.id, { headline: 'VP Customer Success' })).toMatchObject({
        headline: 'VP Customer Success',
        status: 'completed',
      });
    });

    test('ethnicities come back as a list of strings', async () => {
      expect(await client().ethnicities()).toContain('Caucasian');
    });
  });

  describe('400 field errors', () => {
    test('an incomplete request is refused before it is sent, by form field', async () => {
      const before = posts();
      const error = await caught(client().createTwin(twin({ externalClientId: 'has spaces', version: 'v9', gender: undefined })));
      expect(error).toMatchObject({ kind: 'validation', code: 'BAD_REQUEST' });
      expect(Object.keys(error.fields ?? {}).sort()).toEqual(['avatarVersion', 'externalClientId', 'gender']);
      expect(posts()).toBe(before);
    });

    test('the service’s own 400 is mapped back to the field it names', async () => {
      const error = await caught(client().createTwin(twin({ ethnicity: 'Martian' })));
      expect(error).toMatchObject({ kind: 'validation', status: 400, serviceCode: 'ethnicity' });
      expect(error.fields).toEqual({ ethnicity: expect.stringContaining('ethnicities') });
      expect(error.message).toContain('Check: ethnicity');
    });

    test('an agent for a twin that is not ready is a conflict, not a field error', async () => {
      const created = await client().createTwin(twin({ externalClientId: 'not-ready' }));
      const error = await caught(client().createAgent({ companionId: created.id, name: 'Too early' }));
      expect(error).toMatchObject({ kind: 'conflict', code: 'CONFLICT', status: 409 });
    });
  });

  test('401: the key is wrong or revoked, and the error never holds it', async () => {
    const wrongKey = 'revoked-key-0000000000000000';
    const error = await caught(client({ apiKey: () => wrongKey }).ethnicities());
    expect(error).toMatchObject({ kind: 'unauthorized', code: 'UNAUTHORIZED', status: 401 });
    expect(error.message).toMatch(/wrong, expired or revoked.*Settings/);
    expect(error.message).not.toContain(wrongKey);
    expect(waits).toEqual([]);
  });

  test('consent: an organisation admin must enable digital twins', async () => {
    emulator.setConsent(false);
    try {
      const before = posts();
      const error = await caught(client().createTwin(twin()));
      expect(error).toMatchObject({ kind: 'consent-required', code: 'CONSENT_REQUIRED', serviceCode: 'DigitalTwinConsentRequired' });
      expect(error.message).toMatch(/admin must enable digital twins.*dashboard/);
      expect(posts()).toBe(before + 1);
    } finally {
      emulator.setConsent(true);
    }
  });

  describe('429 with Retry-After', () => {
    test('a GET waits as long as asked, then succeeds', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', status: 429, retryAfterSeconds: 2 });
      expect(await client().ethnicities()).toContain('Asian');
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThanOrEqual(2000);
      expect(waits[0]).toBeLessThan(2300);
    });

    test('a create refused with 429 did nothing, so it is sent again after the wait', async () => {
      emulator.fault({ method: 'POST', path: '/public/digital-twins', status: 429, retryAfterSeconds: 1 });
      const before = posts();
      const created = await client().createTwin(twin({ externalClientId: 'after-429' }));
      expect(created.id).toMatch(/^comp_/);
      expect(posts()).toBe(before + 2);
      expect(emulator.twins().filter((item) => item.externalClientId === 'after-429')).toHaveLength(1);
      expect(waits[0]).toBeGreaterThanOrEqual(1000);
    });

    test('a longer wait than the client accepts becomes RATE_LIMITED with the wait', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', status: 429, retryAfterSeconds: 120 });
      const error = await caught(client().ethnicities());
      expect(error).toMatchObject({ kind: 'rate-limited', code: 'RATE_LIMITED', retryAfterSeconds: 120 });
      expect(error.message).toContain('120 s');
      expect(waits).toEqual([]);
    });

    test('the emulator’s own limit is honoured the same way', async () => {
      const limited = await startEmulator({ apiKey: key, rateLimit: { requests: 1, windowSeconds: 1 } });
      try {
        const api = client({ baseUrl: () => limited.url, sleep: (ms, signal) => (waits.push(ms), abortableSleep(ms, signal)) });
        await api.ethnicities();
        expect(await api.ethnicities()).toContain('Asian');
        expect(waits).toHaveLength(1);
        expect(limited.requests().map((request) => request.status)).toEqual([200, 429, 200]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('5xx', () => {
    test('a GET is retried with growing, jittered waits', async () => {
      emulator.fault({ path: '/public/companions', status: 503, times: 2 });
      const page = await client().listTwins({});
      expect(page.totalCount).toBeGreaterThan(0);
      // random() = 0.5: half of 100 ms, then half of 200 ms.
      expect(waits).toEqual([50, 100]);
    });

    test('a GET that keeps failing ends in a SERVICE error after the last attempt', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', status: 502, times: 4 });
      const error = await caught(client().ethnicities());
      expect(error).toMatchObject({ kind: 'server', code: 'SERVICE', status: 502 });
      expect(waits).toHaveLength(3);
    });

    test('a create is never retried after a 5xx, and says to check before resubmitting', async () => {
      emulator.fault({ method: 'POST', path: '/public/digital-twins', status: 500 });
      const before = posts();
      const error = await caught(client().createTwin(twin()));
      expect(error).toMatchObject({ kind: 'server', code: 'SERVICE', status: 500 });
      expect(error.message).toContain('check the twins list');
      expect(posts()).toBe(before + 1);
      expect(waits).toEqual([]);
    });
  });

  describe('timeouts and dropped connections', () => {
    test('a slow GET times out per attempt and is retried; at the end TIMEOUT', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', delayMs: 600, times: 2 });
      const error = await caught(client({ timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 10 } }).ethnicities());
      expect(error).toMatchObject({ kind: 'timeout', code: 'TIMEOUT' });
      expect(waits).toHaveLength(1);
    });

    test('a slow create is not sent again: its outcome is unknown, and exactly one twin results', async () => {
      emulator.fault({ method: 'POST', path: '/public/digital-twins', delayMs: 500 });
      const error = await caught(client({ timeoutMs: 150 }).createTwin(twin({ externalClientId: 'slow-create' })));
      expect(error).toMatchObject({ kind: 'outcome-unknown', code: 'NETWORK' });
      expect(error.message).toContain('Check the twins list');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(emulator.twins().filter((item) => item.externalClientId === 'slow-create')).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    test('a dropped GET is retried; a dropped create is not', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', drop: true });
      expect(await client().ethnicities()).toContain('Asian');
      expect(waits).toHaveLength(1);
      emulator.fault({ method: 'POST', path: '/public/agents', drop: true });
      const error = await caught(client().createAgent({ companionId: 'comp_x', name: 'Dropped' }));
      expect(error.kind).toBe('outcome-unknown');
    });

    test('an unreachable service is a NETWORK error that names the base URL', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await caught(client({ baseUrl: () => `http://127.0.0.1:${port}`, retry: { attempts: 2 } }).ethnicities());
      expect(error).toMatchObject({ kind: 'network', code: 'NETWORK' });
      expect(error.message).toContain(`127.0.0.1:${port}`);
      // Connection refused: the create never left, so saying "outcome unknown" would be wrong.
      const create = await caught(client({ baseUrl: () => `http://127.0.0.1:${port}` }).createTwin(twin()));
      expect(create.kind).toBe('network');
    });
  });

  describe('cancellation', () => {
    test('aborting a request in flight ends it at once with CANCELLED', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', delayMs: 2000 });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const error = await caught(client().ethnicities({ signal: controller.signal }));
      expect(error).toMatchObject({ kind: 'cancelled', code: 'CANCELLED' });
      expect(Date.now() - started).toBeLessThan(1500);
    });

    test('aborting during a backoff wait ends it too, and an aborted signal sends nothing', async () => {
      emulator.fault({ path: '/public/companions/ethnicities', status: 503 });
      const controller = new AbortController();
      const api = client({ sleep: (ms, signal) => (controller.abort(), abortableSleep(ms, signal)) });
      expect((await caught(api.ethnicities({ signal: controller.signal }))).kind).toBe('cancelled');

      const before = emulator.requests().length;
      expect((await caught(client().ethnicities({ signal: AbortSignal.abort() }))).kind).toBe('cancelled');
      expect(emulator.requests().length).toBe(before);
    });
  });

  test('a redirect is refused rather than followed with the key', async () => {
    let redirectedTo = 0;
    const target = http.createServer((req, res) => {
      redirectedTo++;
      res.end('[]');
    });
    const redirector = http.createServer((req, res) => {
      res.writeHead(302, { Location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/steal` }).end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', () => resolve()));
    try {
      const error = await caught(client({ baseUrl: () => `http://127.0.0.1:${(redirector.address() as AddressInfo).port}` }).ethnicities());
      expect(error).toMatchObject({ kind: 'invalid-response', status: 302 });
      expect(redirectedTo).toBe(0);
    } finally {
      target.close();
      redirector.close();
    }
  });

  test('the key never appears in the client’s log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(key);
  });
});
