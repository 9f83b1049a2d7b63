/**
 * Drafts for the library and review e2e tests, made through the real StudioApi handlers in a data
 * folder before the browser host opens it: a complete v1 draft with a recorded voice take and a
 * photo, a v2 draft with a short video, and an empty one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { speechWav } from './media-fixtures';
import { openSeedStudio } from './seed-studio';

export type Seeded = { dataDir: string; ada: string; grace: string; alan: string };

export async function seedLibrary(dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-library-'))): Promise<Seeded> {
  const seed = await openSeedStudio(dataDir);
  const { studio, scratch, call, recordTake, recorderWebm } = seed;
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
    const take = await recordTake(ada.id, 'voice', recorderWebm(speechWav(70)), 'audio/webm;codecs=opus');
    await call('takes/choose', { draftId: ada.id, takeId: take.id });
    const photo = path.join(scratch, 'photo.jpg');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', photo]);
    execFileSync('cp', [photo, studio.drafts.mediaFile(ada.id, 'photo-seed.jpg')]);
    await studio.drafts.update(ada.id, (current) => ({
      ...current,
      camera: {
        ...current.camera,
        photos: [
          { id: 't_photoseed0001', source: 'camera', fileName: 'photo-seed.jpg', createdAt: new Date().toISOString(), width: 1920, height: 1080, checks: [] },
        ],
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
    await seed.close();
  }
}
