/**
 * The Twins screen's service against the emulator: pages and search, status followed until ready
 * (with the ready notification exactly once), previews fetched by the main process, and agents only
 * from ready twins.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { CreateTwinRequest } from '../../shared/napster';
import { createLogger } from '../../electron/services/log';
import { NapsterClient } from '../../electron/services/napster/client';
import { TwinWatcher } from '../../electron/services/submission/twin-watcher';
import { TwinsService } from '../../electron/services/submission/twins-service';
import { type MediaServer, mediaCommands, pictureJpeg, startMediaServer, toneWav, v1Request } from './emulator-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(mediaCommands, 'twins test media');
const log = createLogger('test', () => undefined);
const apiKey = 'emulator-key-for-twins-tests';

let emulator: RunningEmulator;
let media: MediaServer;
let dataDir: string;
let client: NapsterClient;
let watcher: TwinWatcher;
let twins: TwinsService;
const statuses: { id: string; status: string | null; final: boolean }[] = [];
const ready: string[] = [];
const notified: string[] = [];

describe.skipIf(missing)('twins', () => {
  beforeAll(async () => {
    // Generation long enough to see the early states; a test shortens nothing, it waits for real.
    emulator = await startEmulator({ apiKey, allowHttpMedia: true, generationSeconds: 1.5, stepSeconds: 0.5, rateLimit: null });
    media = await startMediaServer({
      'voice.wav': { body: readFileSync(toneWav(70)), type: 'audio/wav' },
      'picture.jpg': { body: readFileSync(pictureJpeg()), type: 'image/jpeg' },
    });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-twins-'));
    client = new NapsterClient({ baseUrl: () => emulator.url, apiKey: () => apiKey, log });
    watcher = new TwinWatcher({ client, log, policy: { initialMs: 200, factor: 1.5, maxMs: 600 } });
    twins = new TwinsService({
      client,
      watcher,
      dataDir,
      log,
      sandbox: false,
      allowHttpLoopback: true,
      onStatus: (event) => statuses.push(event),
      onReady: (event) => ready.push(event.id),
      notify: (title) => notified.push(title),
    });
    for (let index = 0; index < 5; index++) {
      const request = v1Request(media.url('voice.wav'), media.url('picture.jpg'), {
        firstName: `Person${index}`,
        lastName: index === 3 ? 'Findme' : 'Example',
        externalClientId: `p-${index}`,
      }) as CreateTwinRequest;
      await client.createTwin(request);
    }
  });
  afterAll(async () => {
    twins?.close();
    watcher?.close();
    await emulator?.close();
    await media?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists twins a page at a time and finds them by name', async () => {
    const first = await twins.list({ pageIndex: 0, pageSize: 2 });
    const second = await twins.list({ pageIndex: 1, pageSize: 2 });
    expect(first).toMatchObject({ totalCount: 5, filteredCount: 5, pageIndex: 0, sandbox: false });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(4);
    const found = await twins.list({ pageIndex: 0, pageSize: 10, search: 'findme' });
    expect(found.items.map((item) => item.firstName)).toEqual(['Person3']);
    expect(found.items[0]).toMatchObject({ status: 'pending', hasPreview: false, draftId: null, agents: [] });
  });

  it('refuses an agent and a preview while the twin is pending', async () => {
    const [pending] = (await twins.list({ pageIndex: 0, pageSize: 1 })).items;
    await expect(twins.createAgent({ companionId: pending!.id, name: 'Too early' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/readyToUse/),
    });
    await expect(twins.media(pending!.id, 'preview')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('follows status until ready, says so once, then makes an agent and remembers it', async () => {
    const { items } = await twins.list({ pageIndex: 0, pageSize: 10 });
    const ids = items.map((item) => item.id);
    expect(twins.watch(ids).sort()).toEqual([...ids].sort());
    const deadline = Date.now() + 15_000;
    while (ready.length < ids.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...ready].sort()).toEqual([...ids].sort());
    expect(notified).toHaveLength(ids.length);
    expect(statuses.filter((event) => event.final).every((event) => event.status === 'readyToUse' || event.status === 'completed')).toBe(true);
    expect(statuses.some((event) => event.status === 'pending' && !event.final)).toBe(true);
    // Watching a ready twin again looks once, and does not notify again.
    twins.watch([ids[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notified).toHaveLength(ids.length);
    expect(watcher.watching()).toEqual([]);

    const preview = await twins.media(ids[0]!, 'preview');
    expect(preview.contentType).toBe('image/jpeg');
    const agent = await twins.createAgent({ companionId: ids[0]!, name: 'Desk', temperature: 0.2, instructions: 'Be brief.' });
    expect(agent).toMatchObject({ companionId: ids[0], name: 'Desk', temperature: 0.2, instructions: 'Be brief.' });
    expect(emulator.agents()).toHaveLength(1);
    expect((await twins.get(ids[0]!)).agents.map((item) => item.id)).toEqual([agent.id]);
  });
});
