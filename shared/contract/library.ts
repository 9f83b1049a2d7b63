/**
 * Calls on the drafts library: every draft at a glance, duplicate, delete to the trash with undo,
 * export to one archive and import it elsewhere with every hash verified, and the data folder's size.
 */
import { z } from 'zod';
import { draftStatusSchema, submissionGlanceSchema } from '../draft-status';
import { avatarVersions, draftProblemSchema, draftSchema } from '../drafts';
import { draftIdSchema } from '../ids';
import { steps } from '../progress';
import { defineCall } from './define';

/** How an archive travels between the renderer and the main process: in pieces of at most this size. */
export const archiveStreaming = {
  maxChunkBytes: 4 * 1024 * 1024,
  /** No archive is accepted beyond this (several people's five-minute videos fit well under it). */
  maxArchiveBytes: 8 * 1024 * 1024 * 1024,
} as const;

export const importIdSchema = z.string().regex(/^i_[a-z0-9]{10,40}$/, 'not an import id');
export const trashEntryIdSchema = z.string().regex(/^x_[a-z0-9]{10,40}$/, 'not a trash entry id');
/** An archive in the exports folder: a plain name, never a path. */
export const archiveNameSchema = z.string().regex(/^twin-studio-[a-z0-9-]{1,120}\.zip$/, 'not an archive name');

export const libraryEntrySchema = z.object({
  id: draftIdSchema,
  displayName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  avatarVersion: z.enum(avatarVersions),
  /** A still or a video of the person to show beside the name (a file of the draft, by name). */
  thumbnail: z.object({ kind: z.enum(['photo', 'video']), fileName: z.string() }).nullable(),
  steps: z.array(z.object({ step: z.enum(steps), done: z.boolean() })),
  missing: z.array(z.string()),
  /** Where the draft stands and what it needs, in the words every screen uses (shared/draft-status.ts). */
  status: draftStatusSchema,
  /** Verdicts of the checks on the chosen material and the consent take. */
  verdicts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  consent: z.enum(['none', 'recorded', 'complete']),
  approval: z.enum(['none', 'approved', 'stale']),
  /** Where the draft stands with the service, when it has been submitted; null before. */
  submission: submissionGlanceSchema.nullable(),
  bytes: z.number().int().nonnegative(),
});
export type LibraryEntry = z.infer<typeof libraryEntrySchema>;

export const trashEntrySchema = z.object({
  entryId: trashEntryIdSchema,
  draftId: draftIdSchema,
  displayName: z.string(),
  deletedAt: z.string(),
  bytes: z.number().int().nonnegative(),
  /** When it leaves the studio's trash for the system's (null: it stays until emptied). */
  handOffAt: z.string().nullable(),
});
export type TrashEntry = z.infer<typeof trashEntrySchema>;

export const trashInfoSchema = z.object({
  entries: z.array(trashEntrySchema),
  /** Whether this host can move files to the system trash (the desktop app can; the browser host cannot). */
  systemTrash: z.boolean(),
  /** The studio's own trash folder, shown so a person can find deleted drafts on disk. */
  folder: z.string(),
});
export type TrashInfo = z.infer<typeof trashInfoSchema>;

export const storageUsageSchema = z.object({
  dataDir: z.string(),
  totalBytes: z.number().int().nonnegative(),
  draftsBytes: z.number().int().nonnegative(),
  trashBytes: z.number().int().nonnegative(),
  exportsBytes: z.number().int().nonnegative(),
  receiptsBytes: z.number().int().nonnegative(),
  otherBytes: z.number().int().nonnegative(),
  /** Free space on the data folder's disk, where the platform says. */
  freeBytes: z.number().int().nonnegative().nullable(),
  exportsFolder: z.string(),
  receiptsFolder: z.string(),
});
export type StorageUsage = z.infer<typeof storageUsageSchema>;

export const exportResultSchema = z.object({
  archiveName: archiveNameSchema,
  /** Where the archive was written (the exports folder), to show to the person. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  drafts: z.number().int().positive(),
  files: z.number().int().nonnegative(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const importResultSchema = z.object({
  imported: z.array(z.object({ id: draftIdSchema, displayName: z.string(), replaced: z.boolean() })),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const libraryCalls = {
  'library/list': defineCall(z.strictObject({}), z.object({ drafts: z.array(libraryEntrySchema), problems: z.array(draftProblemSchema) })),
  /** A new draft with the same person, material and prepared files; consent and approval are not copied. */
  'library/duplicate': defineCall(z.strictObject({ id: draftIdSchema }), draftSchema),
  /** Moves drafts to the trash; each can be restored until it is handed to the system trash. */
  'library/delete': defineCall(z.strictObject({ ids: z.array(draftIdSchema).min(1).max(500) }), z.object({ trashed: z.array(trashEntrySchema) })),
  'library/restore': defineCall(z.strictObject({ entryId: trashEntryIdSchema }), z.object({ id: draftIdSchema })),
  'library/trash': defineCall(z.strictObject({}), trashInfoSchema),
  /** Empties the studio's trash: to the system trash where there is one, otherwise for good. */
  'library/emptyTrash': defineCall(z.strictObject({}), z.object({ removed: z.number().int().nonnegative(), to: z.enum(['system-trash', 'deleted']) })),
  'library/usage': defineCall(z.strictObject({}), storageUsageSchema),
  /** Writes one archive of these drafts into the exports folder. */
  'library/export': defineCall(z.strictObject({ ids: z.array(draftIdSchema).min(1).max(500) }), exportResultSchema),
  /** A piece of an exported archive, so the renderer can offer it as a download. */
  'library/readExport': defineCall(
    z.strictObject({
      archiveName: archiveNameSchema,
      offset: z.number().int().nonnegative(),
      length: z.number().int().positive().max(archiveStreaming.maxChunkBytes),
    }),
    z.object({ bytes: z.instanceof(Uint8Array), totalBytes: z.number().int().nonnegative() }),
  ),
  /** Starts receiving an archive picked by the person; it is staged apart from the drafts. */
  'library/importBegin': defineCall(
    z.strictObject({
      fileName: z.string().max(255),
      bytes: z.number().int().positive().max(archiveStreaming.maxArchiveBytes),
    }),
    z.object({ importId: importIdSchema }),
  ),
  'library/importAppend': defineCall(
    z.strictObject({
      importId: importIdSchema,
      seq: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= archiveStreaming.maxChunkBytes, 'chunk too large'),
    }),
    z.object({ received: z.number().int().nonnegative() }),
  ),
  /**
   * Verifies every hash and schema in a staging folder, then moves the drafts into place, all or
   * nothing. A draft already here is refused (CONFLICT) unless `replace`: then the one here goes to the trash.
   */
  'library/importFinish': defineCall(z.strictObject({ importId: importIdSchema, replace: z.boolean().optional() }), importResultSchema),
  'library/importCancel': defineCall(z.strictObject({ importId: importIdSchema }), z.object({ cancelled: z.boolean() })),
};

export const libraryEvents = {
  /** The trash or the exports changed (a deleted draft went to the system trash, an archive was written). */
  'library/changed': z.object({}),
};
