/**
 * The drafts library in the main process: every draft at a glance, duplicate, delete to the trash
 * with undo, export to one archive and import it (all or nothing: staged, every hash and schema
 * verified, then moved into place), and the data folder's size.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { approvalState, chosenPhoto, chosenVideoTake, chosenVoiceTake } from '../../../shared/approval';
import {
  type ExportResult,
  type ImportResult,
  type LibraryEntry,
  type TrashEntry,
  archiveNameSchema,
  archiveStreaming,
  importIdSchema,
} from '../../../shared/contract/library';
import { type Draft, type DraftProblem, type Take, displayName, draftSchema } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type SubmissionGlance, draftStatus } from '../../../shared/draft-status';
import { missingBeforeApproval } from '../../../shared/progress';
import { type DraftStore, newId } from '../drafts/draft-store';
import { fileSystemError, writeFileAtomic } from '../files/atomic-write';
import { previewNames } from '../media/preview';
import { ChunkSink } from '../files/chunk-sink';
import type { Logger } from '../log';
import { type VerifiedDraft, filesOfDraft, verifyArchive, writeArchive } from './archive';
import { type SystemTrash, StudioTrash } from './trash';
import { dataFolders } from '../files/data-folders';
import { folderBytes, freeBytes, storageUsage } from './usage';
import { allTakes } from '../takes/take-kinds';

export type LibraryServiceOptions = {
  dataDir: string;
  drafts: DraftStore;
  log: Logger;
  studioVersion: string;
  /** Drafts were added, removed or replaced: the renderer's lists refresh on this. */
  onDraftsChanged: (ids: string[]) => void;
  /** The trash or the exports changed without a draft changing. */
  onLibraryChanged: () => void;
  /** The host's way to the system trash; null where there is none (the browser host). */
  systemTrash?: SystemTrash | null;
  undoWindowMs?: number;
  now?: () => Date;
  /** The draft's submission, from the submission queue when there is one (a full Submission will do). */
  submissionOf?: (draftId: string) => Promise<SubmissionGlance | null>;
};

type Upload = { importId: string; sink: ChunkSink };

type Journal = { importId: string; staging: string; ids: string[]; replace: boolean };

const journalSuffix = '.journal.json';

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export class LibraryService {
  readonly trash: StudioTrash;
  private readonly options: LibraryServiceOptions;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly uploads = new Map<string, Upload>();
  private readonly importsDir: string;
  private readonly exportsDir: string;

  constructor(options: LibraryServiceOptions) {
    this.options = options;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.importsDir = path.join(options.dataDir, dataFolders.imports);
    this.exportsDir = path.join(options.dataDir, dataFolders.exports);
    this.trash = new StudioTrash({
      dataDir: options.dataDir,
      log: options.log.child('trash'),
      systemTrash: options.systemTrash ?? null,
      undoWindowMs: options.undoWindowMs ?? 10 * 60 * 1000,
      now: this.now,
      onChange: () => options.onLibraryChanged(),
    });
  }

  /** Finishes an import a crash interrupted after verification, drops unfinished uploads, readies the trash. */
  async init(): Promise<void> {
    await fs.mkdir(this.importsDir, { recursive: true });
    const names = await fs.readdir(this.importsDir);
    for (const name of names.filter((item) => item.endsWith(journalSuffix))) {
      const journal = JSON.parse(await fs.readFile(path.join(this.importsDir, name), 'utf8')) as Journal;
      await this.rollForward(journal);
      this.log.info('finished an import interrupted by the last run', { importId: journal.importId, drafts: journal.ids.length });
    }
    for (const name of await fs.readdir(this.importsDir)) {
      await fs.rm(path.join(this.importsDir, name), { recursive: true, force: true });
    }
    await this.trash.init();
  }

  /** Archives still arriving are dropped with their partial files; drafts already in place stay. */
  async close(): Promise<void> {
    this.trash.close();
    const uploads = [...this.uploads.values()];
    this.uploads.clear();
    for (const upload of uploads) await upload.sink.discard();
  }

  // ---- the library list ------------------------------------------------------------------------

  async list(): Promise<{ drafts: LibraryEntry[]; problems: DraftProblem[] }> {
    const { drafts: summaries, problems } = await this.options.drafts.list();
    const entries: LibraryEntry[] = [];
    for (const summary of summaries) {
      const draft = await this.options.drafts.get(summary.id).catch(() => null);
      if (!draft) continue;
      entries.push(await this.entry(draft));
    }
    return { drafts: entries, problems };
  }

  private async entry(draft: Draft): Promise<LibraryEntry> {
    const checked = [chosenVoiceTake(draft), chosenVideoTake(draft), chosenPhoto(draft), draft.consent.take].flatMap((item) => item?.checks ?? []);
    const count = (verdict: string) => checked.filter((check) => check.verdict === verdict).length;
    const consentComplete = draft.consent.take?.state === 'complete' && draft.consent.attestation !== null;
    // The contract's output schema keeps only the fields the status is read from.
    const submission = (await this.options.submissionOf?.(draft.id).catch(() => null)) ?? null;
    const status = draftStatus(draft, submission);
    return {
      id: draft.id,
      displayName: displayName(draft.person),
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
      avatarVersion: draft.person.avatarVersion,
      thumbnail: await this.thumbnailOf(draft),
      steps: status.steps.map(({ step, done }) => ({ step, done })),
      missing: missingBeforeApproval(draft),
      status,
      verdicts: { pass: count('pass'), warn: count('warn'), fail: count('fail') },
      consent: consentComplete ? 'complete' : draft.consent.take ? 'recorded' : 'none',
      approval: approvalState(draft),
      submission,
      bytes: await folderBytes(this.options.drafts.folder(draft.id)),
    };
  }

  // ---- duplicate and delete ------------------------------------------------------------------------

  /** A copy with a new id: same person, takes, photos and prepared files; no consent, no approval. */
  async duplicate(id: string): Promise<Draft> {
    const source = await this.options.drafts.get(id);
    const copyId = newId('d');
    const stampNow = this.now().toISOString();
    const copy = draftSchema.parse({
      ...source,
      id: copyId,
      createdAt: stampNow,
      updatedAt: stampNow,
      consent: {},
      approval: null,
    });
    const sourceFolder = this.options.drafts.folder(id);
    // Staged beside the drafts under a name the store ignores, then renamed: a half copy is never listed.
    const staging = path.join(this.options.drafts.root, `.copy-${copyId}`);
    try {
      await fs.mkdir(staging, { recursive: true });
      for (const name of filesOfDraft(copy)) {
        if (name === 'draft.json') continue;
        await fs.copyFile(path.join(sourceFolder, name), path.join(staging, name), fsConstants.COPYFILE_FICLONE);
      }
      await writeFileAtomic(path.join(staging, 'draft.json'), `${JSON.stringify(copy, null, 2)}\n`);
      await this.options.drafts.adopt(copyId, staging);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw error instanceof StudioError ? error : fileSystemError(error, 'copy the draft');
    }
    this.log.info('duplicated draft', { from: id, id: copyId });
    this.options.onDraftsChanged([copyId]);
    return this.options.drafts.get(copyId);
  }

  /** Moves drafts to the studio's trash, each under its own queue so no write lands half in, half out. */
  async delete(ids: string[]): Promise<TrashEntry[]> {
    const trashed: TrashEntry[] = [];
    for (const id of new Set(ids)) {
      const draft = await this.options.drafts.get(id).catch(() => null);
      const folder = this.options.drafts.folder(id);
      if (!(await pathExists(folder))) throw new StudioError('NOT_FOUND', 'This draft no longer exists.');
      const entry = await this.trash.put(id, draft ? displayName(draft.person) : 'Unreadable draft', folder, (to) => this.options.drafts.moveOut(id, to));
      trashed.push(entry);
    }
    this.options.onDraftsChanged(trashed.map((entry) => entry.draftId));
    return trashed;
  }

  async restore(entryId: string): Promise<string> {
    const id = await this.trash.restore(entryId, (draftId, folder) => this.options.drafts.adopt(draftId, folder));
    this.options.onDraftsChanged([id]);
    return id;
  }

  usage() {
    return storageUsage(this.options.dataDir);
  }

  // ---- export ----------------------------------------------------------------------------------

  async export(ids: string[]): Promise<ExportResult> {
    const unique = [...new Set(ids)];
    const drafts: Draft[] = [];
    for (const id of unique) {
      const draft = await this.options.drafts.get(id);
      const recording = allTakes(draft).some((take) => take.state === 'recording');
      if (recording) throw new StudioError('CONFLICT', `${displayName(draft.person)} has a take still being recorded: finish it, then export.`);
      drafts.push(draft);
    }
    await fs.mkdir(this.exportsDir, { recursive: true });
    const label = drafts.length === 1 ? slug(displayName(drafts[0]!.person)) || 'draft' : `${drafts.length}-drafts`;
    let archiveName = `twin-studio-${label}-${stamp(this.now())}.zip`;
    if (await pathExists(path.join(this.exportsDir, archiveName))) {
      archiveName = archiveName.replace(/\.zip$/, `-${randomBytes(3).toString('hex')}.zip`);
    }
    const target = path.join(this.exportsDir, archiveName);
    const temp = path.join(this.exportsDir, `.${archiveName}.part`);
    const sources = drafts.map((draft) => ({ draft, folder: this.options.drafts.folder(draft.id) }));
    let written: { bytes: number; sha256: string; files: number };
    try {
      written = await writeArchive(sources, temp, { studioVersion: this.options.studioVersion, createdAt: this.now().toISOString() });
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error instanceof StudioError ? error : fileSystemError(error, 'write the archive');
    }
    this.log.info('exported drafts', { archiveName, drafts: drafts.length, bytes: written.bytes });
    this.options.onLibraryChanged();
    return { archiveName, path: target, bytes: written.bytes, sha256: written.sha256, drafts: drafts.length, files: written.files };
  }

  /** A slice of an archive in the exports folder, so the renderer can hand it to the person as a download. */
  async readExport(archiveName: string, offset: number, length: number): Promise<{ bytes: Uint8Array<ArrayBuffer>; totalBytes: number }> {
    const name = archiveNameSchema.parse(archiveName);
    let handle: FileHandle;
    try {
      handle = await fs.open(path.join(this.exportsDir, name), 'r');
    } catch (error) {
      throw fileSystemError(error, 'read the archive');
    }
    try {
      const { size } = await handle.stat();
      const count = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(count);
      let read = 0;
      while (read < count) {
        const { bytesRead } = await handle.read(buffer, read, count - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return { bytes: read === count ? buffer : buffer.slice(0, read), totalBytes: size };
    } finally {
      await handle.close();
    }
  }

  // ---- import ----------------------------------------------------------------------------------

  async importBegin(fileName: string, bytes: number): Promise<string> {
    if (bytes > archiveStreaming.maxArchiveBytes) throw new StudioError('MEDIA', 'This file is too large to be a studio archive.');
    const free = await freeBytes(this.options.dataDir);
    // The archive is staged, then unpacked beside it: room for twice its size is needed for a moment.
    if (free !== null && free < bytes * 2) {
      throw new StudioError(
        'DISK_FULL',
        `Importing this ${Math.round(bytes / 1024 / 1024)} MB archive needs about twice that free on the data folder's disk. Free some space first.`,
      );
    }
    await fs.mkdir(this.importsDir, { recursive: true });
    const importId = `i_${randomBytes(10).toString('hex')}`;
    const sink = await ChunkSink.open(path.join(this.importsDir, `${importId}.zip`), {
      what: 'the archive',
      maxBytes: archiveStreaming.maxArchiveBytes,
      expectedBytes: bytes,
    });
    this.uploads.set(importId, { importId, sink });
    this.log.info('receiving an archive', { importId, fileName, bytes });
    return importId;
  }

  async importAppend(importId: string, seq: number, bytes: Uint8Array): Promise<number> {
    return (await this.upload(importId).sink.append(seq, bytes)).bytes;
  }

  async importCancel(importId: string): Promise<boolean> {
    const upload = this.uploads.get(importIdSchema.parse(importId));
    if (!upload) return false;
    this.uploads.delete(importId);
    await upload.sink.discard();
    return true;
  }

  async importFinish(importId: string, replace: boolean): Promise<ImportResult> {
    const upload = this.upload(importId);
    this.uploads.delete(importId);
    try {
      await upload.sink.close();
      if (!upload.sink.complete) {
        throw new StudioError('CORRUPT', 'The archive arrived incomplete. Nothing was imported; try again.');
      }
      return await this.importArchive(upload.sink.file, { replace, importId });
    } finally {
      await upload.sink.discard();
    }
  }

  /**
   * Imports an archive from a file the main process can read (the upload above, or a test's). All or
   * nothing: verified into a staging folder, then every draft renamed into place under a journal that
   * the next start completes if this process dies half way.
   */
  async importArchive(archive: string, options: { replace?: boolean; importId?: string } = {}): Promise<ImportResult> {
    const importId = options.importId ?? `i_${randomBytes(10).toString('hex')}`;
    const staging = path.join(this.importsDir, `${importId}.staging`);
    await fs.mkdir(this.importsDir, { recursive: true });
    try {
      const verified = await verifyArchive(archive, staging);
      const result = await this.install(importId, staging, verified.drafts, options.replace ?? false);
      this.log.info('imported drafts', { importId, drafts: result.imported.length, bytes: result.bytes });
      return result;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'CORRUPT') this.log.warn('refused an archive', { importId, message: error.message });
      throw error;
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
  }

  private async install(importId: string, staging: string, drafts: VerifiedDraft[], replace: boolean): Promise<ImportResult> {
    const here: VerifiedDraft[] = [];
    for (const item of drafts) if (await pathExists(this.options.drafts.folder(item.id))) here.push(item);
    if (here.length > 0 && !replace) {
      const names = here.map((item) => displayName(item.draft.person)).join(', ');
      throw new StudioError(
        'CONFLICT',
        `Already in this studio: ${names}. Nothing was imported. Replacing them puts the versions here in the trash, from where they can be restored.`,
      );
    }
    const journalFile = path.join(this.importsDir, `${importId}${journalSuffix}`);
    const journal: Journal = { importId, staging, ids: drafts.map((item) => item.id), replace };
    const trashed: TrashEntry[] = [];
    const installed: string[] = [];
    await writeFileAtomic(journalFile, JSON.stringify(journal));
    try {
      for (const item of here) {
        const folder = this.options.drafts.folder(item.id);
        const current = await this.options.drafts.get(item.id).catch(() => null);
        trashed.push(
          await this.trash.put(item.id, current ? displayName(current.person) : displayName(item.draft.person), folder, (to) =>
            this.options.drafts.moveOut(item.id, to),
          ),
        );
      }
      for (const item of drafts) {
        await this.options.drafts.adopt(item.id, item.folder);
        installed.push(item.id);
      }
    } catch (error) {
      // Undo what this import did so far: its drafts out again, the replaced ones back.
      for (const id of installed) await this.options.drafts.moveOut(id, path.join(staging, id)).catch(() => undefined);
      for (const entry of trashed) await this.trash.restore(entry.entryId, (id, folder) => this.options.drafts.adopt(id, folder)).catch(() => undefined);
      await fs.rm(journalFile, { force: true });
      throw error instanceof StudioError ? error : fileSystemError(error, 'move the imported drafts into place');
    }
    await fs.rm(journalFile, { force: true });
    this.options.onDraftsChanged(installed);
    const replacedIds = new Set(here.map((item) => item.id));
    return {
      imported: drafts.map((item) => ({ id: item.id, displayName: displayName(item.draft.person), replaced: replacedIds.has(item.id) })),
      files: drafts.reduce((sum, item) => sum + item.files, 0),
      bytes: drafts.reduce((sum, item) => sum + item.bytes, 0),
    };
  }

  /** Completes an import whose drafts were all verified before the process stopped. */
  private async rollForward(journal: Journal): Promise<void> {
    for (const id of journal.ids) {
      const staged = path.join(journal.staging, id);
      const target = this.options.drafts.folder(id);
      if (!(await pathExists(staged))) continue;
      if (await pathExists(target)) {
        if (!journal.replace) continue;
        const current = await this.options.drafts.get(id).catch(() => null);
        await this.trash.put(id, current ? displayName(current.person) : 'Replaced draft', target, (to) => this.options.drafts.moveOut(id, to));
      }
      await this.options.drafts.adopt(id, staged);
    }
    this.options.onDraftsChanged(journal.ids);
  }

  /**
   * A draft's picture: for a v2 draft its video take, played from the preview the review made when
   * the browser cannot decode the take itself (an HEVC phone clip); else its photo.
   */
  private async thumbnailOf(draft: Draft): Promise<LibraryEntry['thumbnail']> {
    const photo = chosenPhoto(draft) ?? draft.camera.photos[0] ?? null;
    const video = chosenVideoTake(draft) ?? draft.camera.videoTakes.find((take) => take.state === 'complete') ?? null;
    const videoThumbnail = async (take: Take) => {
      const preview = previewNames(take.id)[0]!;
      const hasPreview = await pathExists(this.options.drafts.mediaFile(draft.id, preview));
      return { kind: 'video' as const, fileName: hasPreview ? preview : take.fileName };
    };
    if (draft.person.avatarVersion === 'v2' && video) return videoThumbnail(video);
    if (photo) return { kind: 'photo', fileName: photo.fileName };
    if (video) return videoThumbnail(video);
    return null;
  }

  private upload(importId: string): Upload {
    const upload = this.uploads.get(importIdSchema.parse(importId));
    if (!upload) throw new StudioError('CONFLICT', 'This import is no longer in progress (the studio may have restarted). Pick the archive again.');
    return upload;
  }
}

async function pathExists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}
