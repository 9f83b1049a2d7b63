/**
 * Drafts for the library and review e2e tests, made through the real StudioApi handlers in a data
 * folder before the browser host opens it: a complete v1 draft with a recorded voice take and a
 * photo, a v2 draft with a short video, and an empty one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { createStudio } from '../../electron/studio/compose';
import type { CallName, CallOutput } from '../../shared/contract';
import type { WireResult } from '../../shared/errors';
import { speechWav } from './media-fixtures';

export type Seeded = { dataDir: string; ada: string; grace: string; alan: string };

export async function seedLibrary(dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-library-'))): Promise<Seeded> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'library-seed-'));
  const studio = await createStudio({
    host: 'browser',
    dataDir,
    version: '0.0.0-seed',
    emit: () => undefined,
    log: createLogger('seed', () => undefined),
    secretStore: createMemorySecretStore(),
  });
  const call = async <K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> => {
    const result = (await studio.dispatch(name, input)) as WireResult<CallOutput<K>>;
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  };
  try {
    const ada = await call('drafts/create', {
      person: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        description: 'Head of research. Explains engines patiently, precisely and with warmth; prefers examples to theory.',
        gender: 'female',
        ethnicity: 'white',
        externalClientId: 'emp-1815',
        avatarVersion: 'v1',
        tags: { team: 'research' },
      },
    });
    // A recording as MediaRecorder makes it (live WebM, no duration), streamed in through the takes calls.
    const webm = path.join(scratch, 'voice.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', speechWav(70), '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm', '-live', '1', webm]);
    const bytes = readFileSync(webm);
    const take = await call('takes/begin', { draftId: ada.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm;codecs=opus' });
    let seq = 0;
    for (let offset = 0; offset < bytes.length; offset += 16_000) {
      await call('takes/append', { draftId: ada.id, takeId: take.id, seq: seq++, bytes: new Uint8Array(bytes.subarray(offset, offset + 16_000)) });
    }
    await call('takes/finish', { draftId: ada.id, takeId: take.id });
    await call('takes/choose', { draftId: ada.id, takeId: take.id });
    const photo = path.join(scratch, 'photo.jpg');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', photo]);
    execFileSync('cp', [photo, studio.drafts.mediaFile(ada.id, 'photo-seed.jpg')]);
    await studio.drafts.update(ada.id, (current) => ({
      ...current,
      camera: {
        ...current.camera,
        photos: [{ id: 't_photoseed0001', source: 'camera', fileName: 'photo-seed.jpg', createdAt: new Date().toISOString(), width: 1920, height: 1080, checks: [] }],
        chosenPhotoId: 't_photoseed0001',
      },
    }));

    const grace = await call('drafts/create', { person: { firstName: 'Grace', lastName: 'Hopper', avatarVersion: 'v2' } });
    const video = path.join(scratch, 'video.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=15', '-t', '3', '-c:v', 'libvpx', '-b:v', '400k', video]);
    execFileSync('cp', [video, studio.drafts.mediaFile(grace.id, 'video-seed.webm')]);
    await studio.drafts.update(grace.id, (current) => ({
      ...current,
      camera: {
        ...current.camera,
        videoTakes: [
          {
            id: 't_videoseed0001',
            kind: 'video',
            source: 'recorded',
            fileName: 'video-seed.webm',
            mimeType: 'video/webm',
            createdAt: new Date().toISOString(),
            state: 'complete',
            durationMs: 3000,
            bytes: readFileSync(video).length,
            trim: null,
            checks: [{ id: 'duration', label: 'Length', verdict: 'fail', reason: '3 s is shorter than the 60 s the service needs.', value: 3 }],
            originalName: null,
          },
        ],
      },
    }));
    const alan = await call('drafts/create', { person: { firstName: 'Alan', lastName: 'Turing' } });
    return { dataDir, ada: ada.id, grace: grace.id, alan: alan.id };
  } finally {
    await studio.close();
  }
}
