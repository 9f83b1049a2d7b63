/**
 * The emulator pins the documented contract, one rule per test: auth, required fields, enums, the
 * ethnicity list, the externalClientId pattern, consent, v2 enabled or not, v2 from a picture, error
 * bodies, rate limit, HTTPS media fetched anonymously and checked by content, the status clock, paging
 * and filters, twins listed without tags, agents, and its CLI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import { missingPrerequisite } from '../support/prerequisites';
import { repoRoot } from '../support/studio-host';
import { type MediaServer, mediaCommands, pictureJpeg, startMediaServer, toneAs, toneWav, v1Request, videoMp4 } from './emulator-fixtures';

const key = 'emulator-test-key-0123456789abcdef';
const missing = missingPrerequisite(mediaCommands, 'The emulator tests');

type Answer = { status: number; body: unknown; headers: Headers };

async function api(
  base: string,
  method: string,
  route: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers['X-Api-Key'] = options.key ?? key;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${route}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

function expectErrorBody(answer: Answer, status: number, code: string) {
  expect(answer.status).toBe(status);
  const body = answer.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['code', 'description', 'numericType', 'type']);
  expect(body.code).toBe(code);
  expect(typeof body.description).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(typeof body.numericType).toBe('number');
}

describe.skipIf(missing !== null)('the emulator', () => {
  let media: MediaServer;
  let emulator: RunningEmulator;
  let clock = Date.now();
  const started: RunningEmulator[] = [];

  async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
    const running = await startEmulator({ apiKey: key, allowHttpMedia: true, rateLimit: null, generationSeconds: 60, now: () => clock, ...options });
    started.push(running);
    return running;
  }

  const voice = () => media.url('voice.wav');
  const picture = () => media.url('picture.jpg');
  const create = (overrides: Record<string, unknown> = {}, on = emulator) =>
    api(on.url, 'POST', '/public/digital-twins', { body: v1Request(voice(), picture(), overrides) });

  let closedPort = 0;

  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const big = toneWav(170, 32000); // 32 kHz × 2 B × 170 s ≈ 10.9 MB: over the 10 MB limit
    media = await startMediaServer({
      'voice.wav': toneWav(65),
      'voice.mp3': toneAs(65, 'mp3'),
      'voice.flac': toneAs(65, 'flac'),
      'short.wav': toneWav(20),
      'long.mp3': toneAs(310, 'mp3'),
      'big.wav': big,
      'not-audio.wav': { body: new TextEncoder().encode('<html>Sign in to continue</html>'.repeat(10)), type: 'audio/wav' },
      'private.wav': { body: new Uint8Array(), status: 403 },
      'expiring.wav': { body: readFileSync(toneWav(65)), expiresAfter: 1 },
      'picture.jpg': pictureJpeg(),
      'video.mp4': videoMp4(61),
      'silent-video.mp4': videoMp4(61, false),
    });
    emulator = await start();
  });

  afterAll(async () => {
    for (const running of started) await running.close();
    await media?.close();
  });

  describe('authentication', () => {
    test('a missing or wrong X-Api-Key is a 401 with the documented error body', async () => {
      expectErrorBody(await api(emulator.url, 'GET', '/public/companions/ethnicities', { key: null }), 401, 'Unauthorized');
      expectErrorBody(await api(emulator.url, 'GET', '/public/companions/ethnicities', { key: 'wrong-key' }), 401, 'Unauthorized');
    });

    test('a Bearer token is not the service’s scheme: 401 says to use X-Api-Key', async () => {
      const answer = await api(emulator.url, 'GET', '/public/companions/ethnicities', { key: null, headers: { Authorization: `Bearer ${key}` } });
      expectErrorBody(answer, 401, 'Unauthorized');
      expect((answer.body as { description: string }).description).toContain('X-Api-Key');
    });
  });

  test('lists the allowed ethnicities', async () => {
    const answer = await api(emulator.url, 'GET', '/public/companions/ethnicities');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Caucasian');
  });

  describe('create: required fields, enums, ethnicity list, externalClientId pattern', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['missing firstName', { firstName: undefined }, 'firstName'],
      ['blank lastName', { lastName: '   ' }, 'lastName'],
      ['missing description', { description: undefined }, 'description'],
      ['gender outside the enum', { gender: 'woman' }, 'gender'],
      ['ethnicity not in the list', { ethnicity: 'Martian' }, 'ethnicity'],
      ['externalClientId with a space', { externalClientId: 'sarah johnson' }, 'externalClientId'],
      ['externalClientId of 33 characters', { externalClientId: 'a'.repeat(33) }, 'externalClientId'],
      ['externalClientId empty', { externalClientId: '' }, 'externalClientId'],
      ['version outside the enum', { version: 'v3' }, 'version'],
      ['v1 without pictureUrl', { pictureUrl: undefined }, 'pictureUrl'],
      ['v2 without videoUrl', { version: 'v2', pictureUrl: undefined }, 'videoUrl'],
      ['v1 without voiceUrl', { voiceUrl: undefined }, 'voiceUrl'],
      ['a field the service does not have', { voiceId: 'v_123' }, 'voiceId'],
      ['a tag with an empty name', { tags: { '': 'x' } }, 'tags'],
    ];
    for (const [name, overrides, field] of cases) {
      test(`${name} → 400 naming ${field}`, async () => {
        expectErrorBody(await create(overrides), 400, field);
      });
    }

    test('externalClientId accepts exactly the pattern ^[A-Za-z0-9_-]{1,32}$', async () => {
      expect((await create({ externalClientId: 'A_z-09'.padEnd(32, 'x') })).status).toBe(201);
      expect((await create({ externalClientId: 'x' })).status).toBe(201);
    });

    test('a body that is not JSON is a 400, one without the JSON content type a 415', async () => {
      expectErrorBody(await api(emulator.url, 'POST', '/public/digital-twins', { body: '{"firstName":' }), 400, 'InvalidJson');
      const answer = await api(emulator.url, 'POST', '/public/digital-twins', {
        body: JSON.stringify(v1Request(voice(), picture())),
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(answer.status).toBe(415);
    });

    test('a v2 twin may take its voice from the video', async () => {
      const answer = await create({ version: 'v2', voiceUrl: undefined, pictureUrl: undefined, videoUrl: media.url('video.mp4') });
      expect(answer.status).toBe(201);
    });
  });

  describe('media URLs', () => {
    test('must be HTTPS: http is refused without the flag, and off loopback even with it', async () => {
      const strict = await start({ allowHttpMedia: false });
      expectErrorBody(await create({}, strict), 400, 'voiceUrl');
      expectErrorBody(await create({ voiceUrl: 'http://media.example.com/voice.wav' }), 400, 'voiceUrl');
      expectErrorBody(await create({ pictureUrl: 'ftp://127.0.0.1/picture.jpg' }), 400, 'pictureUrl');
      expectErrorBody(await create({ voiceUrl: 'https://user:pw@media.example.com/voice.wav' }), 400, 'voiceUrl');
    });

    test('are fetched anonymously: no key, no cookie, no authorization', async () => {
      await emulator.settled();
      const before = media.requests.length;
      await create();
      await emulator.settled();
      const fetched = media.requests.slice(before);
      expect(fetched.map((request) => request.path).sort()).toEqual(['picture.jpg', 'voice.wav']);
      for (const request of fetched) {
        expect(request.headers['x-api-key']).toBeUndefined();
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers.cookie).toBeUndefined();
      }
    });
  });

  test('without organisation consent a create fails with DigitalTwinConsentRequired', async () => {
    emulator.setConsent(false);
    try {
      expectErrorBody(await create(), 403, 'DigitalTwinConsentRequired');
    } finally {
      emulator.setConsent(true);
    }
    expect((await create()).status).toBe(201);
  });

  describe('v2 avatars', () => {
    const v2Video = () => ({ version: 'v2', pictureUrl: undefined, videoUrl: media.url('video.mp4') });

    test('not enabled for the organisation: a v2 create fails with CompanionV2NotEnabled and creates nothing; v1 still works', async () => {
      const off = await start({ v2: false });
      const refused = await create(v2Video(), off);
      expectErrorBody(refused, 403, 'CompanionV2NotEnabled');
      expect((refused.body as { description: string }).description).toMatch(/v2 is not enabled/);
      // A v2 made from a picture is still v2: refused too.
      expectErrorBody(await create({ version: 'v2' }, off), 403, 'CompanionV2NotEnabled');
      expect(off.twins()).toHaveLength(0);
      expect((await create({}, off)).status).toBe(201);
      off.setV2(true);
      expect((await create(v2Video(), off)).status).toBe(201);
      expect(
        off
          .twins()
          .map((twin) => twin.version)
          .sort(),
      ).toEqual(['v1', 'v2']);
    });

    test('a v2 twin may be made from a picture when there is no video, and the picture is what is checked', async () => {
      const running = await start();
      // Other emulators of this file fetch from the same media server now and then: let them finish first.
      for (const other of started) await other.settled();
      const before = media.requests.length;
      const created = await create({ version: 'v2' }, running);
      expect(created.status).toBe(201);
      await running.settled();
      const twin = running.twins().find((item) => item.id === (created.body as { id: string }).id)!;
      expect(twin).toMatchObject({ version: 'v2', videoUrl: null, pictureUrl: picture(), firstCheck: { state: 'passed' } });
      expect(new Set(media.requests.slice(before).map((request) => request.path))).toEqual(new Set(['picture.jpg', 'voice.wav']));

      // Checked by content: a sound file as the picture fails the twin.
      const wrong = await create({ version: 'v2', pictureUrl: media.url('voice.wav') }, running);
      await running.settled();
      expect(running.twins().find((item) => item.id === (wrong.body as { id: string }).id)).toMatchObject({
        status: 'failed',
        failureReason: expect.stringMatching(/pictureUrl is not an accepted picture format/),
      });
      // Without a video nothing carries the voice, so a v2 from a picture needs voiceUrl.
      expectErrorBody(await create({ version: 'v2', voiceUrl: undefined }, running), 400, 'voiceUrl');
    });
  });

  test('a companion says when it was made; a listing item keeps to the documented fields', async () => {
    const running = await start({ recheckMedia: false });
    const madeAt = clock;
    const id = ((await create({ tags: { team: 'cs' } }, running)).body as { id: string }).id;
    const one = (await api(running.url, 'GET', `/public/companions/${id}`)).body as Record<string, unknown>;
    expect(one).toMatchObject({ id, externalClientId: 'sarah-johnson-001', tags: { team: 'cs' }, createdAt: new Date(madeAt).toISOString() });
    const item = ((await api(running.url, 'GET', '/public/companions?personaType=digitalTwin')).body as { items: Record<string, unknown>[] }).items[0]!;
    expect(Object.keys(item).sort()).toEqual([
      'ethnicity',
      'firstName',
      'gender',
      'headline',
      'id',
      'lastName',
      'previewUrl',
      'status',
      'tags',
      'videoLoopUrl',
    ]);
  });

  test('with tags hidden, twins are listed and fetched without tags and the tags filter is ignored', async () => {
    const hidden = await start({ showTags: false, recheckMedia: false });
    const ada = (
      (await create({ firstName: 'Ada', externalClientId: 'ada', tags: { twinStudioDraft: 'd_ada' } }, hidden)).body as { id: string; tags?: unknown }
    ).id;
    clock += 1;
    const bob = ((await create({ firstName: 'Bob', externalClientId: 'bob', tags: { twinStudioDraft: 'd_bob' } }, hidden)).body as { id: string }).id;
    const listed = (await api(hidden.url, 'GET', '/public/companions?personaType=digitalTwin&tags=twinStudioDraft:d_ada')).body as {
      items: Record<string, unknown>[];
      filteredCount: number;
    };
    // Both come back: a service that shows no tags is not trusted to filter by them either.
    expect(listed.items.map((item) => item.id)).toEqual([bob, ada]);
    expect(listed.filteredCount).toBe(2);
    for (const item of listed.items) expect(item).not.toHaveProperty('tags');
    const one = (await api(hidden.url, 'GET', `/public/companions/${ada}`)).body as Record<string, unknown>;
    expect(one).not.toHaveProperty('tags');
    expect(one).toMatchObject({ externalClientId: 'ada', createdAt: expect.any(String) });
    // The tags were kept all along: shown again, they filter again.
    hidden.setShowTags(true);
    const filtered = (await api(hidden.url, 'GET', '/public/companions?personaType=digitalTwin&tags=twinStudioDraft:d_ada')).body as {
      items: Record<string, unknown>[];
    };
    expect(filtered.items).toEqual([expect.objectContaining({ id: ada, tags: { twinStudioDraft: 'd_ada' } })]);
  });

  test('over the rate limit: 429 RequestRateLimitExceeded with Retry-After, then served again', async () => {
    const limited = await start({ rateLimit: { requests: 3, windowSeconds: 10 } });
    for (let i = 0; i < 3; i++) expect((await api(limited.url, 'GET', '/public/companions/ethnicities')).status).toBe(200);
    clock += 4000;
    const refused = await api(limited.url, 'GET', '/public/companions/ethnicities');
    expectErrorBody(refused, 429, 'RequestRateLimitExceeded');
    expect(refused.headers.get('retry-after')).toBe('6');
    clock += 6000;
    expect((await api(limited.url, 'GET', '/public/companions/ethnicities')).status).toBe(200);
  });

  describe('status clock', () => {
    test('pending → generationCompleted → readyToUse → completed', async () => {
      const running = await start({ generationSeconds: 100, stepSeconds: 10 });
      const created = await create({}, running);
      expect(created.status).toBe(201);
      const { id, status } = created.body as { id: string; status: string };
      expect(id).toMatch(/^comp_/);
      expect(status).toBe('pending');
      const statusNow = async () => ((await api(running.url, 'GET', `/public/companions/${id}`)).body as { status: string }).status;

      await running.settled();
      clock += 99_000;
      expect(await statusNow()).toBe('pending');
      clock += 1_000;
      // Generation is over; the media are fetched once more (as the service does) before it completes.
      expect(await statusNow()).toBe('pending');
      await running.settled();
      expect(await statusNow()).toBe('generationCompleted');
      clock += 10_000;
      expect(await statusNow()).toBe('readyToUse');
      clock += 10_000;
      expect(await statusNow()).toBe('completed');
    });

    const failures: [string, Record<string, unknown>, RegExp][] = [
      ['the voice URL is unreachable', { voiceUrl: 'CLOSED_PORT' }, /voiceUrl could not be fetched \(ECONNREFUSED\)/],
      ['the voice URL is private (403)', { voiceUrl: 'private.wav' }, /HTTP 403/],
      ['the voice is not audio', { voiceUrl: 'not-audio.wav' }, /not an accepted voice format/],
      ['the voice is shorter than 60 s', { voiceUrl: 'short.wav' }, /at least 60 s/],
      ['the voice is longer than 300 s', { voiceUrl: 'long.mp3' }, /at most 300 s/],
      ['the voice is over 10 MB', { voiceUrl: 'big.wav' }, /larger than 10 MB/],
      ['the picture is a sound file', { pictureUrl: 'voice.wav' }, /pictureUrl is not an accepted picture format/],
      ['the picture does not exist', { pictureUrl: 'missing.jpg' }, /HTTP 404/],
      [
        'a v2 video without audio must bring a voiceUrl',
        { version: 'v2', voiceUrl: undefined, pictureUrl: undefined, videoUrl: 'silent-video.mp4' },
        /no audio track/,
      ],
    ];
    for (const [name, overrides, reason] of failures) {
      test(`failed when ${name}`, async () => {
        const resolved = Object.fromEntries(
          Object.entries(overrides).map(([field, value]) => {
            if (value === 'CLOSED_PORT') return [field, `http://127.0.0.1:${closedPort}/voice.wav`];
            return [field, typeof value === 'string' && field !== 'version' ? media.url(value) : value];
          }),
        );
        const created = await create(resolved);
        expect(created.status).toBe(201);
        await emulator.settled();
        const id = (created.body as { id: string }).id;
        const twin = emulator.twins().find((item) => item.id === id)!;
        expect(twin.status).toBe('failed');
        expect(twin.failureReason).toMatch(reason);
        expect(((await api(emulator.url, 'GET', `/public/companions/${id}`)).body as { status: string }).status).toBe('failed');
      });
    }

    test('accepts every listed voice format by content', async () => {
      for (const name of ['voice.mp3', 'voice.flac']) {
        const created = await create({ voiceUrl: media.url(name) });
        await emulator.settled();
        const twin = emulator.twins().find((item) => item.id === (created.body as { id: string }).id)!;
        expect(twin.failureReason, name).toBeNull();
        expect(twin.firstCheck).toEqual({ state: 'passed' });
      }
    });

    test('an expiring URL passes at submission and fails when generation ends', async () => {
      const created = await create({ voiceUrl: media.url('expiring.wav') });
      const id = (created.body as { id: string }).id;
      await emulator.settled();
      expect(emulator.twins().find((item) => item.id === id)!.status).toBe('pending');
      clock += 60_000;
      emulator.twins();
      await emulator.settled();
      const twin = emulator.twins().find((item) => item.id === id)!;
      expect(twin.status).toBe('failed');
      expect(twin.failureReason).toMatch(/HTTP 403/);
    });
  });

  describe('list', () => {
    let listing: RunningEmulator;
    beforeAll(async () => {
      listing = await start({ generationSeconds: 0, stepSeconds: 0, recheckMedia: false });
      const people = [
        { firstName: 'Ada', lastName: 'Lovelace', gender: 'female', ethnicity: 'Caucasian', externalClientId: 'ada', tags: { team: 'math' } },
        { firstName: 'Alan', lastName: 'Turing', gender: 'male', ethnicity: 'Caucasian', externalClientId: 'alan', tags: { team: 'math' } },
        { firstName: 'Grace', lastName: 'Hopper', gender: 'female', ethnicity: 'Caucasian', externalClientId: 'grace', tags: { team: 'navy' } },
        { firstName: 'Sam', lastName: 'Lee', gender: 'nonBinary', ethnicity: 'East Asian', externalClientId: 'sam' },
        { firstName: 'Broken', lastName: 'Voice', gender: 'male', ethnicity: 'Hispanic', externalClientId: 'broken', voiceUrl: media.url('short.wav') },
      ];
      for (const person of people) {
        clock += 1;
        expect((await create(person, listing)).status).toBe(201);
      }
      await listing.settled();
    });

    const list = async (query: string) =>
      (await api(listing.url, 'GET', `/public/companions?personaType=digitalTwin&${query}`)).body as {
        items: { firstName: string; status: string }[];
        filteredCount: number;
        totalCount: number;
        pageIndex: number;
        pageSize: number;
      };

    test('pages are zero-based, newest first, with filtered and total counts', async () => {
      const first = await list('pageIndex=0&pageSize=2');
      expect(first.items.map((item) => item.firstName)).toEqual(['Broken', 'Sam']);
      expect(first).toMatchObject({ filteredCount: 5, totalCount: 5, pageIndex: 0, pageSize: 2 });
      expect((await list('pageIndex=2&pageSize=2')).items.map((item) => item.firstName)).toEqual(['Ada']);
      expect((await list('pageIndex=3&pageSize=2')).items).toEqual([]);
    });

    test('filters by status, gender, ethnicity, tags and search', async () => {
      const failed = await list('statuses=failed');
      expect(failed.items.map((item) => item.firstName)).toEqual(['Broken']);
      expect(failed).toMatchObject({ filteredCount: 1, totalCount: 5 });
      expect((await list('statuses[]=completed&gender=female')).items.map((item) => item.firstName)).toEqual(['Grace', 'Ada']);
      expect((await list('ethnicity=East%20Asian')).items.map((item) => item.firstName)).toEqual(['Sam']);
      expect((await list('tags=team:math')).items.map((item) => item.firstName)).toEqual(['Alan', 'Ada']);
      expect((await list('search=hopp')).items.map((item) => item.firstName)).toEqual(['Grace']);
    });

    test('refuses bad paging and filter values', async () => {
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?pageSize=0'), 400, 'pageSize');
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?pageSize=101'), 400, 'pageSize');
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?pageIndex=-1'), 400, 'pageIndex');
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?statuses=done'), 400, 'statuses');
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?gender=other'), 400, 'gender');
      expectErrorBody(await api(listing.url, 'GET', '/public/companions?personaType=robot'), 400, 'personaType');
    });

    test('an unknown id is a 404', async () => {
      expectErrorBody(await api(listing.url, 'GET', '/public/companions/comp_nope'), 404, 'CompanionNotFound');
    });
  });

  describe('agents and edits', () => {
    test('a twin can join an agent once readyToUse, with no voiceId', async () => {
      const running = await start({ generationSeconds: 10, stepSeconds: 10, recheckMedia: false });
      const id = ((await create({}, running)).body as { id: string }).id;
      await running.settled();
      const agent = (extra: Record<string, unknown> = {}) =>
        api(running.url, 'POST', '/public/agents', {
          body: { companionId: id, name: 'Sarah’s agent', providerSettings: { temperature: 0.4, instructions: 'Be brief.' }, ...extra },
        });
      expectErrorBody(await agent(), 409, 'CompanionNotReady');
      clock += 20_000;
      expectErrorBody(await agent({ voiceId: 'voice_1' }), 400, 'voiceId');
      expectErrorBody(await agent({ companionId: 'comp_unknown' }), 404, 'CompanionNotFound');
      expectErrorBody(await agent({ name: '' }), 400, 'name');
      const made = await agent();
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ id: expect.stringMatching(/^agent_/), companionId: id, name: 'Sarah’s agent' });
      expect(running.agents()).toHaveLength(1);
    });

    test('a twin can be edited only once completed', async () => {
      const running = await start({ generationSeconds: 10, stepSeconds: 10, recheckMedia: false });
      const id = ((await create({}, running)).body as { id: string }).id;
      await running.settled();
      const patch = (body: unknown) => api(running.url, 'PATCH', `/public/companions/${id}`, { body });
      expectErrorBody(await patch({ headline: 'VP Customer Success' }), 409, 'CompanionNotEditable');
      clock += 30_000;
      expectErrorBody(await patch({ firstName: 'Other' }), 400, 'firstName');
      const edited = await patch({ headline: 'VP Customer Success' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ headline: 'VP Customer Success', status: 'completed' });
    });
  });

  test('a quota beyond which creates get 409', async () => {
    const small = await start({ maxTwins: 1 });
    expect((await create({}, small)).status).toBe(201);
    expectErrorBody(await create({}, small), 409, 'DigitalTwinLimitReached');
  });

  test('keeps twins in its data folder across restarts', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'emulator-data-'));
    try {
      const first = await start({ dataDir, recheckMedia: false });
      const id = ((await create({}, first)).body as { id: string }).id;
      await first.close();
      const second = await start({ dataDir });
      expect(((await api(second.url, 'GET', `/public/companions/${id}`)).body as { id: string }).id).toBe(id);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the emulator command line', () => {
  test('prints exactly one line with its URL and serves until stopped', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--api-key', key, '--consent', 'off', '--generation-seconds', '5'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^Emulator: (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    try {
      expect((await api(url, 'GET', '/public/companions/ethnicities')).status).toBe(200);
      expectErrorBody(await api(url, 'POST', '/public/digital-twins', { body: {} }), 403, 'DigitalTwinConsentRequired');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).not.toContain(key);
  });

  test('--v2 off refuses v2 creates with CompanionV2NotEnabled; a bad --tags value is refused', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--api-key', key, '--v2', 'off', '--tags', 'off'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^Emulator: (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    try {
      const body = v1Request('https://media.example.com/voice.wav', 'https://media.example.com/picture.jpg', {
        version: 'v2',
        pictureUrl: undefined,
        videoUrl: 'https://media.example.com/video.mp4',
      });
      expectErrorBody(await api(url, 'POST', '/public/digital-twins', { body }), 403, 'CompanionV2NotEnabled');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }

    const bad = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--api-key', key, '--tags', 'hidden'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let badErr = '';
    bad.stderr.on('data', (chunk: Buffer) => (badErr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => bad.once('exit', (code) => resolve(code)))).toBe(2);
    expect(badErr).toContain('--tags is "on" or "off"');
  });

  test('refuses to start without a key, saying why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NAPSTER_EMULATOR_API_KEY: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(2);
    expect(stderr).toContain('--api-key is required');
  });
});
