/**
 * The composition root: builds every service from plain dependencies (a data folder, a logger, an
 * event sink, what the host can do) and turns them into the StudioApi handlers. Both hosts, the
 * Electron main process and the browser host, call this and nothing else.
 */
import { promises as fs } from 'node:fs';
import type { EventSink, StudioHandlers } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { draftHandlers } from '../services/drafts/draft-handlers';
import { DraftStore } from '../services/drafts/draft-store';
import type { SecretStore } from '../services/keychain/secret-store';
import { type Logger, createLogger } from '../services/log';
import { createServiceLink } from '../services/napster';
import { SettingsStore } from '../services/settings/settings-store';
import { systemHandlers } from '../services/settings/system-handlers';
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
};

export type Studio = {
  dispatch: Dispatch;
  handlers: StudioHandlers;
  drafts: DraftStore;
  /** Absolute path of a draft's media file, for the transports' media routes. Throws on a bad name. */
  mediaFile(draftId: string, fileName: string): string;
  close(): Promise<void>;
};

export async function createStudio(options: StudioOptions): Promise<Studio> {
  const log = options.log ?? createLogger('studio');
  await fs.mkdir(options.dataDir, { recursive: true });
  const drafts = new DraftStore({
    dataDir: options.dataDir,
    log: log.child('drafts'),
    onChange: (ids) => options.emit('drafts/changed', { ids }),
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

  const handlers = {
    ...systemHandlers({
      host: options.host,
      version: options.version,
      dataDir: options.dataDir,
      settings,
      requestMediaAccess: options.requestMediaAccess ?? (async () => true),
    }),
    ...draftHandlers(drafts),
    ...service.handlers,
  } satisfies StudioHandlers;

  return {
    dispatch: createDispatcher(handlers, log.child('ipc')),
    handlers,
    drafts,
    mediaFile: (draftId, fileName) => drafts.mediaFile(draftId, fileName),
    close: async () => undefined,
  };
}
