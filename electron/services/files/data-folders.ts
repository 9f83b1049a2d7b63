/**
 * The layout of the data folder, named once: every service finds its folder or file here, the
 * library measures them from here, and a reader sees the whole layout in one place.
 */
import path from 'node:path';

export const dataFolders = {
  /** One folder per draft: draft.json and its media. */
  drafts: 'drafts',
  /** Deleted drafts, restorable until emptied or handed to the system trash. */
  trash: 'trash',
  /** Archives the library wrote. */
  exports: 'exports',
  /** A copy of every consent receipt, kept even after its draft is deleted. */
  receipts: 'receipts',
  /** Archives being received and unpacked; swept at start-up. */
  imports: '.imports',
  /** Scratch files (the storage check's test object). */
  scratch: 'tmp',
  /** The sandbox's own data folder (its drafts never mix with the real ones). */
  sandbox: 'sandbox',
  /** The sandbox's loopback media host serves uploads from here. */
  hostedMedia: 'hosted-media',
  cache: 'cache',
} as const;

export const dataFiles = {
  settings: 'settings.json',
  storage: 'storage.json',
  agents: 'agents.json',
  windowState: 'window-state.json',
  /** Whether the next launch is the sandbox or the service. */
  studioMode: 'studio-mode.json',
  ethnicities: path.join(dataFolders.cache, 'ethnicities.json'),
} as const;

/** Absolute path of a folder of the data folder `dataDir`. */
export function dataFolder(dataDir: string, folder: keyof typeof dataFolders): string {
  return path.join(dataDir, dataFolders[folder]);
}

/** Absolute path of a file of the data folder `dataDir`. */
export function dataFile(dataDir: string, file: keyof typeof dataFiles): string {
  return path.join(dataDir, dataFiles[file]);
}
