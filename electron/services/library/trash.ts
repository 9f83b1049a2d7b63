/**
 * The studio's trash: a deleted draft's folder is moved (renamed, so instantly and on the same disk)
 * into `<data>/trash/<entry>/`, where it can be restored. Where the host can reach the system trash
 * (the desktop app, through Electron's shell.trashItem), an entry is handed to it once its undo
 * window has passed; where it cannot (the browser host, a headless machine), it stays in the
 * studio's trash until the person empties it, and the library says so.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type TrashEntry, trashEntryIdSchema, trashEntrySchema } from '../../../shared/contract/library';
import { StudioError } from '../../../shared/errors';
import { fileSystemError, writeFileAtomic } from '../files/atomic-write';
import type { Logger } from '../log';
import { folderBytes } from './usage';
import { dataFolder } from '../files/data-folders';

/** Moves a file or folder to the system trash (Electron: `shell.trashItem`). */
export type SystemTrash = (target: string) => Promise<void>;

export type StudioTrashOptions = {
  dataDir: string;
  log: Logger;
  systemTrash: SystemTrash | null;
  /** How long a deleted draft can be restored before it goes to the system trash. */
  undoWindowMs: number;
  now: () => Date;
  onChange: () => void;
};

const entryFile = 'entry.json';
const storedEntrySchema = trashEntrySchema.extend({ folderName: z.string() });
type StoredEntry = z.infer<typeof storedEntrySchema>;

/** A folder name a person recognises in the system trash, safe on every file system. */
function readableFolderName(displayName: string): string {
  const safe = displayName
    .replace(/[^\p{L}\p{N} ._-]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  return `${safe || 'Unnamed person'} (Twin Studio draft)`;
}

export class StudioTrash {
  readonly folder: string;
  private readonly options: StudioTrashOptions;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(options: StudioTrashOptions) {
    this.options = options;
    this.folder = dataFolder(options.dataDir, 'trash');
  }

  get hasSystemTrash(): boolean {
    return this.options.systemTrash !== null;
  }

  /** Hands over what the last run left due, and schedules the rest. */
  async init(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    for (const entry of await this.entries()) this.schedule(entry);
  }

  /**
   * Moves a draft into the trash: `draftFolder` is measured, then `moveOut(destination)` moves it
   * (the drafts store does, under the draft's queue).
   */
  async put(draftId: string, displayName: string, draftFolder: string, moveOut: (destination: string) => Promise<void>): Promise<TrashEntry> {
    const entryId = `x_${randomBytes(10).toString('hex')}`;
    const entryFolder = path.join(this.folder, entryId);
    const deletedAt = this.options.now();
    const bytes = await folderBytes(draftFolder);
    const entry: StoredEntry = {
      entryId,
      draftId,
      displayName,
      deletedAt: deletedAt.toISOString(),
      bytes,
      handOffAt: this.hasSystemTrash ? new Date(deletedAt.getTime() + this.options.undoWindowMs).toISOString() : null,
      folderName: readableFolderName(displayName),
    };
    try {
      await fs.mkdir(entryFolder, { recursive: true });
      await writeFileAtomic(path.join(entryFolder, entryFile), `${JSON.stringify(entry, null, 2)}\n`);
      await moveOut(path.join(entryFolder, entry.folderName));
    } catch (error) {
      await fs.rm(entryFolder, { recursive: true, force: true }).catch(() => undefined);
      throw error instanceof StudioError ? error : fileSystemError(error, 'move the draft to the trash');
    }
    this.options.log.info('draft moved to the studio trash', { draftId, entryId });
    this.schedule(entry);
    this.options.onChange();
    return strip(entry);
  }

  async list(): Promise<TrashEntry[]> {
    return (await this.entries()).map(strip).sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  }

  /**
   * Gives an entry's folder back through `adopt(draftId, folder)` (the drafts store, which refuses
   * when the draft is already there) and forgets the entry.
   */
  async restore(entryId: string, adopt: (draftId: string, folder: string) => Promise<void>): Promise<string> {
    const entry = await this.entry(entryId);
    this.cancelTimer(entryId);
    try {
      await adopt(entry.draftId, path.join(this.folder, entryId, entry.folderName));
    } catch (error) {
      this.schedule(entry);
      if (error instanceof StudioError && error.code === 'CONFLICT') {
        throw new StudioError('CONFLICT', `${entry.displayName} is already in the studio (a draft with the same id); it was left in the trash.`);
      }
      throw error instanceof StudioError ? error : fileSystemError(error, 'restore the draft');
    }
    await fs.rm(path.join(this.folder, entryId), { recursive: true, force: true });
    this.options.log.info('draft restored from the studio trash', { draftId: entry.draftId, entryId });
    this.options.onChange();
    return entry.draftId;
  }

  /** Empties the studio trash: into the system trash where there is one, otherwise deleted for good. */
  async empty(): Promise<{ removed: number; to: 'system-trash' | 'deleted' }> {
    let removed = 0;
    for (const entry of await this.entries()) {
      this.cancelTimer(entry.entryId);
      if (this.hasSystemTrash) await this.handOff(entry, true);
      else await fs.rm(path.join(this.folder, entry.entryId), { recursive: true, force: true });
      removed++;
    }
    this.options.onChange();
    return { removed, to: this.hasSystemTrash ? 'system-trash' : 'deleted' };
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(entry: StoredEntry): void {
    if (!entry.handOffAt || !this.hasSystemTrash) return;
    const delay = Math.max(0, new Date(entry.handOffAt).getTime() - this.options.now().getTime());
    this.cancelTimer(entry.entryId);
    const timer = setTimeout(() => {
      this.timers.delete(entry.entryId);
      void this.handOff(entry, false).then(() => this.options.onChange());
    }, delay);
    timer.unref();
    this.timers.set(entry.entryId, timer);
  }

  private cancelTimer(entryId: string): void {
    const timer = this.timers.get(entryId);
    if (timer) clearTimeout(timer);
    this.timers.delete(entryId);
  }

  /** To the system trash; on failure the entry stays here, restorable, and the library shows it as kept. */
  private async handOff(entry: StoredEntry, rethrow: boolean): Promise<void> {
    const entryFolder = path.join(this.folder, entry.entryId);
    try {
      await this.options.systemTrash!(path.join(entryFolder, entry.folderName));
      await fs.rm(entryFolder, { recursive: true, force: true });
      this.options.log.info('draft handed to the system trash', { draftId: entry.draftId, entryId: entry.entryId });
    } catch (error) {
      this.options.log.warn('could not move a draft to the system trash; it stays in the studio trash', {
        entryId: entry.entryId,
        error: error instanceof Error ? error.message : String(error),
      });
      const kept: StoredEntry = { ...entry, handOffAt: null };
      await writeFileAtomic(path.join(entryFolder, entryFile), `${JSON.stringify(kept, null, 2)}\n`).catch(() => undefined);
      if (rethrow) throw new StudioError('IO', `${entry.displayName} could not be moved to the system trash; it is still in the studio’s trash.`);
    }
  }

  private async entries(): Promise<StoredEntry[]> {
    const names = await fs.readdir(this.folder).catch(() => [] as string[]);
    const entries: StoredEntry[] = [];
    for (const name of names) {
      if (!trashEntryIdSchema.safeParse(name).success) continue;
      const entry = await this.readEntry(name);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private async entry(entryId: string): Promise<StoredEntry> {
    const entry = trashEntryIdSchema.safeParse(entryId).success ? await this.readEntry(entryId) : null;
    if (!entry) throw new StudioError('NOT_FOUND', 'This draft is no longer in the studio’s trash.');
    return entry;
  }

  /** An entry whose folder never arrived (a crash between the two steps of `put`) is dropped. */
  private async readEntry(entryId: string): Promise<StoredEntry | null> {
    const entryFolder = path.join(this.folder, entryId);
    try {
      const entry = storedEntrySchema.parse(JSON.parse(await fs.readFile(path.join(entryFolder, entryFile), 'utf8')));
      if (await exists(path.join(entryFolder, entry.folderName))) return entry;
    } catch {
      // Unreadable: fall through and drop it only if nothing else is inside.
    }
    const inside = await fs.readdir(entryFolder).catch(() => [] as string[]);
    if (inside.every((name) => name === entryFile || name.startsWith('.'))) {
      await fs.rm(entryFolder, { recursive: true, force: true }).catch(() => undefined);
    } else {
      this.options.log.warn('unreadable studio trash entry left alone', { entryId });
    }
    return null;
  }
}

function strip(entry: StoredEntry): TrashEntry {
  const { folderName: _folderName, ...rest } = entry;
  return rest;
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}
