/**
 * The composition root: builds every service from plain dependencies (a data folder, a logger, an
 * event sink, what the host can do) and turns them into the StudioApi handlers. Both hosts, the
 * Electron main process and the browser host, call this and nothing else.
 */
import { promises as fs } from 'node:fs';
import type { EventSink, StudioHandlers } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { CameraService } from '../services/camera/camera-service';
import { cameraHandlers } from '../services/camera/camera-handlers';
import { createVideoTakeChecker } from '../services/camera/video-checks';
import { createConsentTakeChecker } from '../services/review/consent-checks';
import { reviewHandlers, preparerFromMedia } from '../services/review/review-handlers';
import { ReviewService } from '../services/review/review-service';
import { draftHandlers } from '../services/drafts/draft-handlers';
import { DraftStore } from '../services/drafts/draft-store';
import type { SecretStore } from '../services/keychain/secret-store';
import { libraryHandlers } from '../services/library/library-handlers';
import { LibraryService } from '../services/library/library-service';
import type { SystemTrash } from '../services/library/trash';
import { type Logger, createLogger } from '../services/log';
import { FaceModel } from '../services/faces/face-model';
import { FaceService } from '../services/faces/face-service';
import { createMediaEngine } from '../services/media/engine';
import { mediaHandlers } from '../services/media/media-handlers';
import { createServiceLink } from '../services/napster';
import { type Sandbox, launchSandbox } from '../services/sandbox/sandbox';
import { sandboxHandlers } from '../services/sandbox/sandbox-handlers';
import { SettingsStore } from '../services/settings/settings-store';
import { storageHandlers } from '../services/storage/storage-handlers';
import { StorageService } from '../services/storage/storage-service';
import { systemHandlers } from '../services/settings/system-handlers';
import { submissionHandlers } from '../services/submission/submission-handlers';
import { SubmissionQueue } from '../services/submission/submission-queue';
import { SubmissionStore } from '../services/submission/submission-store';
import { TwinWatcher } from '../services/submission/twin-watcher';
import { twinsHandlers } from '../services/submission/twins-handlers';
import { TwinsService } from '../services/submission/twins-service';
import { TakeService } from '../services/takes/take-service';
import { takeHandlers } from '../services/takes/takes-handlers';
import { type Dispatch, createDispatcher } from './dispatch';

export type HostKind = 'electron' | 'browser';

export type StudioOptions = {
  host: HostKind;
  dataDir: string;
  version: string;
  emit: EventSink;
  log?: Logger;
  settingsOverrides?: Partial<Settings>;
  /** What the OS says about camera/microphone access; macOS asks the user here. */
  requestMediaAccess?: (kind: 'microphone' | 'camera') => Promise<boolean>;
  /** Where secrets live; the OS keychain unless a test or sandbox passes its own. */
  secretStore?: SecretStore;
  /** Moves a deleted draft to the system trash (Electron: shell.trashItem); without it the studio keeps its own trash. */
  systemTrash?: SystemTrash;
  /**
   * Sandbox mode (`--sandbox`): true or false for this launch; left out, the Settings switch decides.
   * The sandbox brings its own data folder, emulator, API key and storage (electron/services/sandbox).
   */
  sandbox?: boolean;
  /** An OS notification (Electron: `new Notification({title, body}).show()`); the browser page shows its own. */
  notify?: (title: string, body: string) => void;
};

export type Studio = {
  dispatch: Dispatch;
  handlers: StudioHandlers;
  drafts: DraftStore;
  /** Absolute path of a draft's media file, for the transports' media routes. Throws on a bad name. */
  mediaFile(draftId: string, fileName: string): string;
  close(): Promise<void>;
};

export async function createStudio(launchOptions: StudioOptions): Promise<Studio> {
  const log = launchOptions.log ?? createLogger('studio');
  const sandbox = await launchSandbox({ dataDir: launchOptions.dataDir, requested: launchOptions.sandbox, log: log.child('sandbox') });
  const options = sandbox ? inSandbox(launchOptions, sandbox) : launchOptions;
  await fs.mkdir(options.dataDir, { recursive: true });
  // Set once the review service exists: an approval whose material changed is withdrawn.
  let afterDraftsChange: (ids: string[]) => void = () => undefined;
  const drafts = new DraftStore({
    dataDir: options.dataDir,
    log: log.child('drafts'),
    onChange: (ids) => {
      options.emit('drafts/changed', { ids });
      afterDraftsChange(ids);
    },
  });
  await drafts.init();
  const settings = new SettingsStore(options.dataDir, log.child('settings'), options.settingsOverrides);
  const service = createServiceLink({
    dataDir: options.dataDir,
    settings,
    log: log.child('service'),
    secretStore: options.secretStore,
    onApiKeyChange: (status) => options.emit('apiKey/changed', status),
  });

  const storage = new StorageService({
    dataDir: options.dataDir,
    secrets: service.secrets,
    log: log.child('storage'),
    sandbox: sandbox?.storage ?? null,
    onChange: (status) => options.emit('storage/changed', status),
  });
  // Twins' status is polled with backoff (no webhook); faster in the sandbox, where generation takes seconds.
  const watcher = new TwinWatcher({ client: service.client, log: log.child('twins'), policy: sandbox ? { initialMs: 2_000, maxMs: 10_000 } : undefined });
  const twins = new TwinsService({
    client: service.client,
    watcher,
    dataDir: options.dataDir,
    log: log.child('twins'),
    sandbox: sandbox !== null,
    allowHttpLoopback: sandbox !== null,
    onStatus: (event) => options.emit('twins/status', event),
    onReady: (event) => options.emit('twins/ready', event),
    notify: options.notify,
  });
  const submissions = new SubmissionQueue({
    drafts,
    store: new SubmissionStore(drafts, log.child('submission')),
    storage,
    client: service.client,
    apiKey: service.apiKey,
    watcher,
    log: log.child('submission'),
    emit: (submission) => options.emit('submission/changed', submission),
    emitJob: (progress) => options.emit('jobs/progress', progress),
    sandbox: sandbox !== null,
  });
  // Submissions the last run left queued or half done continue; created twins are followed again.
  await submissions.init();

  // ffmpeg.wasm workers start on first use; preparation progress goes to the renderer as jobs/progress.
  const media = createMediaEngine({
    log: log.child('media'),
    onProgress: (progress) => options.emit('jobs/progress', progress),
  });
  // The face model's worker thread starts on the first photo or imported video it looks at.
  const faces = new FaceService({ detector: new FaceModel(log.child('faces')), log: log.child('faces') });
  // One take life cycle for every kind; each feature says how its kind is judged.
  const takes = new TakeService({
    drafts,
    engine: media,
    log: log.child('takes'),
    checkers: { video: createVideoTakeChecker(media, faces), consent: createConsentTakeChecker(media) },
  });
  // Takes cut short by the last run ending are repaired in the background and offered as `recovered`.
  void takes.recoverAll().catch((error: unknown) => log.error('take recovery failed', error));
  const camera = new CameraService({ drafts, engine: media, faces, log: log.child('camera') });
  void camera.removeStaleUploads().catch((error: unknown) => log.error('photo upload clean-up failed', error));

  const mediaCallHandlers = mediaHandlers(media, drafts);
  const review = new ReviewService({
    dataDir: options.dataDir,
    drafts,
    prepare: preparerFromMedia(mediaCallHandlers),
    log: log.child('review'),
    studioVersion: options.version,
  });
  afterDraftsChange = (ids) => void review.onDraftsChanged(ids);
  const library = new LibraryService({
    dataDir: options.dataDir,
    drafts,
    log: log.child('library'),
    studioVersion: options.version,
    onDraftsChanged: (ids) => options.emit('drafts/changed', { ids }),
    onLibraryChanged: () => options.emit('library/changed', {}),
    systemTrash: options.systemTrash ?? null,
    submissionOf: (draftId) => submissions.get(draftId),
  });
  await library.init();

  const handlers = {
    ...systemHandlers({
      host: options.host,
      version: options.version,
      dataDir: options.dataDir,
      settings,
      requestMediaAccess: options.requestMediaAccess ?? (async () => true),
    }),
    ...draftHandlers(drafts),
    ...mediaCallHandlers,
    ...takeHandlers(takes),
    ...cameraHandlers(camera),
    ...service.handlers,
    ...storageHandlers(storage),
    ...submissionHandlers(submissions),
    ...twinsHandlers(twins),
    ...sandboxHandlers(sandbox, launchOptions.dataDir),
    ...libraryHandlers(library),
    ...reviewHandlers(review),
  } satisfies StudioHandlers;

  return {
    dispatch: createDispatcher(handlers, log.child('ipc')),
    handlers,
    drafts,
    mediaFile: (draftId, fileName) => drafts.mediaFile(draftId, fileName),
    close: async () => {
      await submissions.close();
      twins.close();
      watcher.close();
      await library.close();
      await takes.close();
      await camera.close();
      await faces.close();
      await media.close();
      await sandbox?.close();
    },
  };
}

/** The options of a sandbox launch: its own data folder, the emulator as the service, secrets in memory. */
function inSandbox(options: StudioOptions, sandbox: Sandbox): StudioOptions {
  return {
    ...options,
    dataDir: sandbox.dataDir,
    settingsOverrides: { ...options.settingsOverrides, apiBaseUrl: sandbox.apiBaseUrl },
    secretStore: sandbox.secretStore,
  };
}
