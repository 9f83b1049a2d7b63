/**
 * The submission pipeline's services wired as createStudio wires them, against a given emulator and
 * S3 bucket, with short waits; and approved drafts with real media (the emulator checks content), so
 * tests and the crash child process build the very same thing.
 */
import { copyFileSync, statSync } from 'node:fs';
import { materialKey, submissionRolesOf } from '../../shared/approval';
import type { S3Target } from '../../shared/contract/storage';
import type { Draft, Take } from '../../shared/drafts';
import { DraftStore, newId } from '../../electron/services/drafts/draft-store';
import { ApiKeyStore } from '../../electron/services/keychain/api-key';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { type Logger, createLogger } from '../../electron/services/log';
import { NapsterClient } from '../../electron/services/napster/client';
import { sha256File } from '../../electron/services/files/hash';
import { StorageService } from '../../electron/services/storage/storage-service';
import { SubmissionQueue, type SubmissionDeps } from '../../electron/services/submission/submission-queue';
import { SubmissionStore } from '../../electron/services/submission/submission-store';
import { TwinWatcher } from '../../electron/services/submission/twin-watcher';
import { TwinsService } from '../../electron/services/submission/twins-service';
import type { Submission } from '../../shared/contract/submission';

export type StackOptions = {
  dataDir: string;
  emulatorUrl: string;
  apiKey: string;
  s3: { target: S3Target; secret: string };
  clientTimeoutMs?: number;
  checkpoint?: SubmissionDeps['checkpoint'];
  reconcileDelaysMs?: number[];
  log?: Logger;
  /** Stands between the queue and the client (not JSON: in-process stacks only), e.g. to drop a field the service may leave out. */
  wrapClient?: (client: NapsterClient) => SubmissionDeps['client'];
};

export async function submissionStack(options: StackOptions) {
  const log = options.log ?? createLogger('test', () => undefined);
  const changes: Submission[] = [];
  const drafts = new DraftStore({ dataDir: options.dataDir, log });
  await drafts.init();
  const secrets = createMemorySecretStore();
  const apiKey = new ApiKeyStore(secrets, log);
  await apiKey.set(options.apiKey);
  const client = new NapsterClient({
    baseUrl: () => options.emulatorUrl,
    apiKey: () => apiKey.require(),
    log,
    timeoutMs: options.clientTimeoutMs ?? 10_000,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  const storage = new StorageService({
    dataDir: options.dataDir,
    secrets,
    log,
    allowHttpLoopback: true,
    uploader: { retry: { baseDelayMs: 20, maxDelayMs: 100 } },
  });
  await storage.save(options.s3.target, options.s3.secret);
  const watcher = new TwinWatcher({ client, log, policy: { initialMs: 200, factor: 1.5, maxMs: 1000 } });
  const store = new SubmissionStore(drafts, log);
  const queue = new SubmissionQueue({
    drafts,
    store,
    storage,
    client: options.wrapClient ? options.wrapClient(client) : client,
    apiKey,
    watcher,
    log,
    emit: (submission) => changes.push(submission),
    checkpoint: options.checkpoint,
    reconcileDelaysMs: options.reconcileDelaysMs ?? [300, 600, 1200],
  });
  const twins = new TwinsService({
    client,
    watcher,
    dataDir: options.dataDir,
    log,
    sandbox: false,
    allowHttpLoopback: true,
    onStatus: () => undefined,
    onReady: () => undefined,
  });
  return {
    drafts,
    store,
    storage,
    client,
    watcher,
    queue,
    twins,
    changes,
    /** Resolves with the submission once `until` holds for it (polling the record on disk). */
    async waitFor(draftId: string, until: (submission: Submission) => boolean, timeoutMs = 30_000): Promise<Submission> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await queue.get(draftId);
        if (current && until(current)) return current;
        if (Date.now() > deadline) throw new Error(`submission of ${draftId} did not get there in time: ${JSON.stringify(current, null, 1)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await queue.close();
      twins.close();
      watcher.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof submissionStack>>;

/** The prepared file of each role as the review names it (electron/services/media/media-handlers.ts) and its type. */
const preparedFiles = {
  voice: { fileName: 'prepared-voice.wav', mimeType: 'audio/wav' },
  photo: { fileName: 'prepared-photo.jpg', mimeType: 'image/jpeg' },
  video: { fileName: 'prepared-video.mp4', mimeType: 'video/mp4' },
} as const;

/**
 * Approves the draft as the Review step would once its files are prepared: an approval naming, by
 * hash, the prepared file of each role the draft now submits (those files must be in place).
 */
export async function approve(drafts: DraftStore, draftId: string): Promise<Draft> {
  const draft = await drafts.get(draftId);
  const files: NonNullable<Draft['approval']>['files'] = [];
  for (const role of submissionRolesOf(draft)) {
    const { fileName, mimeType } = preparedFiles[role];
    const path = drafts.mediaFile(draftId, fileName);
    files.push({ role, fileName, mimeType, bytes: statSync(path).size, sha256: (await sha256File(path)).sha256 });
  }
  return drafts.update(draftId, (current) => ({
    ...current,
    approval: {
      approvedAt: new Date().toISOString(),
      approvedBy: 'Test Operator',
      acknowledgedWarnings: [],
      files,
      consentTakeSha256: null,
      receiptFileName: null,
      receiptSha256: null,
      materialKey: materialKey(current),
    },
  }));
}

/**
 * An approved draft with real media and its prepared files in place: v1 (voice + photo) by default;
 * with `avatarVersion: 'v2'`, a v2 made from a video (a chosen video take and its prepared file, plus
 * the voice) or, with `v2AppearanceFrom: 'photo'`, from the photo and the voice.
 */
export async function approvedDraft(
  drafts: DraftStore,
  media: { voiceWav: string; photoJpeg: string; videoMp4?: string },
  person: Partial<Draft['person']> = {},
  camera: { v2AppearanceFrom?: 'video' | 'photo' } = {},
): Promise<Draft> {
  const draft = await drafts.create({
    firstName: 'Ada',
    lastName: 'Lovelace',
    description: 'Head of analytics; patient, precise, explains numbers with stories.',
    gender: 'female',
    ethnicity: 'Caucasian',
    externalClientId: 'emp-0042',
    avatarVersion: 'v1',
    ...person,
  });
  copyFileSync(media.voiceWav, drafts.mediaFile(draft.id, preparedFiles.voice.fileName));
  copyFileSync(media.photoJpeg, drafts.mediaFile(draft.id, preparedFiles.photo.fileName));
  let take: Take | null = null;
  if (media.videoMp4) {
    // The video take as the camera leaves it, and its prepared file: a still can be taken from the take.
    const takeId = newId('t');
    const fileName = `video-${takeId}.mp4`;
    copyFileSync(media.videoMp4, drafts.mediaFile(draft.id, fileName));
    copyFileSync(media.videoMp4, drafts.mediaFile(draft.id, preparedFiles.video.fileName));
    take = {
      id: takeId,
      kind: 'video',
      source: 'recorded',
      fileName,
      mimeType: 'video/mp4',
      createdAt: new Date().toISOString(),
      state: 'complete',
      durationMs: 61_000,
      bytes: statSync(media.videoMp4).size,
      trim: null,
      checks: [],
      originalName: null,
    };
  }
  await drafts.update(draft.id, (current) => ({
    ...current,
    camera: {
      ...current.camera,
      videoTakes: take ? [take] : [],
      chosenVideoTakeId: take?.id ?? null,
      v2AppearanceFrom: camera.v2AppearanceFrom ?? 'video',
    },
  }));
  return approve(drafts, draft.id);
}
