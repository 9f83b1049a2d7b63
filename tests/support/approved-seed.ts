/**
 * Approved drafts for the e2e tests that start at submission, made through the real StudioApi
 * handlers (takes streamed as a recorder sends them, files prepared by the media engine, a consent
 * take, the attestation and the approval) in the folder a `--sandbox` browser host then opens: a v1
 * draft (voice and photo) and a v2 draft whose voice is its video's sound (one file to submit).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordedPersonMp4 } from './face-fixtures';
import { speechWav } from './media-fixtures';
import { openSeedStudio } from './seed-studio';

export type ApprovedSeed = {
  /** Pass as the browser host's --data-dir, with --sandbox: the drafts are in its sandbox folder. */
  dataDir: string;
  /** v1: a voice take and a photo. */
  photoDraft: { id: string; name: string };
  /** v2: a 64 s video whose sound is the voice. */
  videoDraft: { id: string; name: string };
};

const ethnicity = 'Mixed'; // one of the sandbox emulator's values

export async function seedApprovedDrafts(dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-approved-'))): Promise<ApprovedSeed> {
  const seed = await openSeedStudio(path.join(dataDir, 'sandbox'));
  const { studio, scratch, call, recordTake, recorderWebm, consentAndApprove } = seed;
  const person = (firstName: string, lastName: string, avatarVersion: 'v1' | 'v2', externalClientId: string) => ({
    firstName,
    lastName,
    description: 'Runs the front desk. Warm, quick, and always points people to the next step.',
    gender: 'female',
    ethnicity,
    externalClientId,
    avatarVersion,
  });

  try {
    const photoDraft = await call('drafts/create', { person: person('Sandy', 'Boxer', 'v1', 'emp-status-1') });
    const voice = await recordTake(photoDraft.id, 'voice', recorderWebm(speechWav(70)), 'audio/webm;codecs=opus');
    await call('takes/choose', { draftId: photoDraft.id, takeId: voice.id });
    const photo = path.join(scratch, 'photo.jpg');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', photo]);
    copyFileSync(photo, studio.drafts.mediaFile(photoDraft.id, 'photo-seed.jpg'));
    await studio.drafts.update(photoDraft.id, (current) => ({
      ...current,
      camera: {
        ...current.camera,
        photos: [
          { id: 't_photoseed0001', source: 'camera', fileName: 'photo-seed.jpg', createdAt: new Date().toISOString(), width: 1920, height: 1080, checks: [] },
        ],
        chosenPhotoId: 't_photoseed0001',
      },
    }));
    await consentAndApprove(photoDraft.id);

    const videoDraft = await call('drafts/create', { person: person('Vera', 'Video', 'v2', 'emp-status-2') });
    const video = recordedPersonMp4({ seconds: 64, fps: 15, height: 360 });
    const take = await recordTake(videoDraft.id, 'video', readFileSync(video), 'video/mp4;codecs=avc1,opus');
    await call('takes/choose', { draftId: videoDraft.id, takeId: take.id });
    await call('camera/useVideoAudioAsVoice', { draftId: videoDraft.id, enabled: true });
    await consentAndApprove(videoDraft.id);

    return { dataDir, photoDraft: { id: photoDraft.id, name: 'Sandy Boxer' }, videoDraft: { id: videoDraft.id, name: 'Vera Video' } };
  } finally {
    await seed.close();
  }
}
