/**
 * The hand-off archive: one zip holding drafts (metadata, media, checks, consent record) and a
 * manifest with the SHA-256 and size of every file. Reading one verifies everything into a staging
 * folder first: entry names, the manifest's own hash (in the zip comment), every file's size and
 * hash, every draft's schema and the files its metadata names. Anything wrong refuses the whole
 * archive with a message that says what; the caller moves verified drafts into place only then.
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ZodError, z } from 'zod';
import { consentReceiptSchema, receiptFileName } from '../../../shared/consent';
import { type Draft, draftSchema } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { draftIdSchema, mediaFileNameSchema } from '../../../shared/ids';
import { HashingStream, sha256Text } from '../files/hash';
import { allTakes } from '../takes/take-kinds';

export const archiveFormat = 'twin-studio-archive';
export const manifestName = 'manifest.json';
const commentPrefix = 'Twin Studio archive; manifest sha256 ';
/** Metadata files are small; anything bigger claiming to be one is refused before it is read. */
const maxMetadataBytes = 8 * 1024 * 1024;

const fileNameInDraft = z.union([z.literal('draft.json'), z.literal(receiptFileName), mediaFileNameSchema]);

export const manifestSchema = z.strictObject({
  format: z.literal(archiveFormat),
  version: z.literal(1),
  createdAt: z.string(),
  studioVersion: z.string(),
  drafts: z
    .array(
      z.strictObject({
        id: draftIdSchema,
        displayName: z.string(),
        files: z.array(z.strictObject({ name: fileNameInDraft, bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
      }),
    )
    .min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The files of a draft that travel: its metadata and every file its metadata names. */
export function filesOfDraft(draft: Draft): string[] {
  const names = new Set<string>(['draft.json']);
  for (const take of allTakes(draft)) names.add(take.fileName);
  for (const photo of draft.camera.photos) names.add(photo.fileName);
  for (const record of draft.prepared) names.add(record.fileName);
  if (draft.approval?.receiptFileName) names.add(draft.approval.receiptFileName);
  return [...names];
}

export type ArchiveSource = { draft: Draft; folder: string };

function entryName(draftId: string, fileName: string): string {
  return `drafts/${draftId}/${fileName}`;
}

/** Writes the archive to `target` (its folder must exist); returns its size and hash. */
export async function writeArchive(
  sources: ArchiveSource[],
  target: string,
  meta: { studioVersion: string; createdAt: string },
): Promise<{ bytes: number; sha256: string; files: number }> {
  const zip = new yazl.ZipFile();
  const output = new HashingStream();
  const written = pipeline(zip.outputStream, output, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  failed.catch(() => undefined);
  written.catch(() => undefined);
  const manifest: Manifest = { format: archiveFormat, version: 1, createdAt: meta.createdAt, studioVersion: meta.studioVersion, drafts: [] };
  try {
    const pending: Promise<void>[] = [];
    for (const { draft, folder } of sources) {
      const files: Manifest['drafts'][number]['files'] = [];
      manifest.drafts.push({ id: draft.id, displayName: `${draft.person.firstName} ${draft.person.lastName}`.trim(), files });
      for (const name of filesOfDraft(draft)) {
        const file = path.join(folder, name);
        const stat = await fs.stat(file).catch(() => null);
        if (!stat?.isFile()) {
          throw new StudioError(
            'NOT_FOUND',
            `${name} of ${draft.person.firstName || 'a draft'} is missing from its folder, so the draft cannot be exported whole.`,
          );
        }
        const hasher = new HashingStream();
        const slot = { name, bytes: stat.size, sha256: '' };
        files.push(slot);
        const hashed = hasher.result.then((result) => {
          if (result.bytes !== stat.size) throw new StudioError('CONFLICT', `${name} changed while it was being exported; export again.`);
          slot.sha256 = result.sha256;
        });
        hashed.catch(() => undefined);
        pending.push(hashed);
        // Opened only when the zip reaches this entry, so a large export holds one file open at a time.
        zip.addReadStreamLazy(
          entryName(draft.id, name),
          { compress: name.endsWith('.json'), mtime: stat.mtime, mode: 0o100644, size: stat.size },
          (callback) => {
            const stream = createReadStream(file);
            stream.once('error', (error) => hasher.destroy(error));
            callback(null, stream.pipe(hasher));
          },
        );
      }
    }
    await Promise.race([Promise.all(pending), failed]);
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    zip.addBuffer(Buffer.from(manifestText), manifestName, { compress: true, mtime: new Date(meta.createdAt), mode: 0o100644 });
    zip.end({ comment: `${commentPrefix}${sha256Text(manifestText)}`, forceZip64Format: false });
    await Promise.race([written, failed]);
  } catch (error) {
    (zip.outputStream as unknown as NodeJS.ReadableStream & { destroy(): void }).destroy();
    await written.catch(() => undefined);
    await fs.rm(target, { force: true });
    throw error;
  }
  const result = await output.result;
  return { bytes: result.bytes, sha256: result.sha256, files: manifest.drafts.reduce((sum, draft) => sum + draft.files.length, 0) };
}

export type VerifiedDraft = { id: string; draft: Draft; folder: string; files: number; bytes: number };

function refused(reason: string): StudioError {
  return new StudioError('CORRUPT', `This archive cannot be imported: ${reason} Nothing was imported.`);
}

async function readEntryText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.uncompressedSize > maxMetadataBytes) throw refused(`${entry.fileName} is implausibly large.`);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * The first thing wrong with a manifest, a draft or a receipt, as a field and a short reason ("drafts.0.id:
 * Invalid input"), never a library's whole report (a ZodError's message is a JSON dump).
 */
function firstIssue(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return issue ? `${issue.path.join('.') || 'the whole'}: ${issue.message}`.slice(0, 160) : 'not valid';
  }
  return error instanceof SyntaxError ? 'not valid JSON' : 'not valid';
}

/**
 * Verifies `archive` and extracts its drafts into `staging/<draftId>/`, or throws CORRUPT having
 * left `staging` for the caller to remove. Nothing outside `staging` is touched.
 */
export async function verifyArchive(archive: string, staging: string): Promise<{ manifest: Manifest; drafts: VerifiedDraft[] }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
  } catch {
    throw refused('it is not a zip file, or it is cut short (as when a copy or download stops early).');
  }
  try {
    let entries: yauzl.Entry[];
    try {
      entries = await listEntries(zip);
    } catch (error) {
      // yauzl's strict names refuse an entry that would land outside the archive's folder ("../").
      const escapes = error instanceof Error && /relative path|absolute path|invalid characters/i.test(error.message);
      throw refused(escapes ? 'it names a file outside its own folders, which is never done by this studio.' : 'its table of contents is damaged.');
    }
    const byName = new Map<string, yauzl.Entry>();
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      if (byName.has(entry.fileName)) throw refused(`it holds ${entry.fileName} twice.`);
      byName.set(entry.fileName, entry);
    }

    const manifestEntry = byName.get(manifestName);
    if (!manifestEntry) throw refused('it has no manifest: it was not made by Twin Studio.');
    const comment = zip.comment;
    if (!comment.startsWith(commentPrefix)) throw refused('it was not made by Twin Studio (no manifest hash in the zip comment).');
    let manifestText: string;
    try {
      manifestText = await readEntryText(zip, manifestEntry);
    } catch (error) {
      if (error instanceof StudioError) throw error;
      throw refused('its manifest cannot be read: it was damaged or changed.');
    }
    if (sha256Text(manifestText) !== comment.slice(commentPrefix.length).trim()) {
      throw refused('its manifest does not match the hash recorded with it: the archive was damaged or changed.');
    }
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(manifestText));
    } catch (error) {
      throw refused(`its manifest is not one this studio understands (${firstIssue(error)}).`);
    }

    // Exactly the files the manifest lists, no more and no fewer.
    const expected = new Map<string, { draftId: string; name: string; bytes: number; sha256: string; label: string }>();
    for (const draft of manifest.drafts) {
      for (const file of draft.files) {
        const name = entryName(draft.id, file.name);
        if (expected.has(name)) throw refused(`its manifest lists ${name} twice.`);
        // Named as a person reads it: "voice-….webm of Ada Lovelace".
        const label = `${file.name} of ${draft.displayName || draft.id}`;
        expected.set(name, { draftId: draft.id, name: file.name, bytes: file.bytes, sha256: file.sha256, label });
      }
    }
    if (new Set(manifest.drafts.map((draft) => draft.id)).size !== manifest.drafts.length) throw refused('it lists one draft twice.');
    for (const name of byName.keys()) {
      if (name !== manifestName && !expected.has(name)) throw refused(`it holds ${name}, which its manifest does not list.`);
    }
    for (const [name, file] of expected) {
      const entry = byName.get(name);
      if (!entry) throw refused(`${file.label} is missing.`);
      if (entry.uncompressedSize !== file.bytes) throw refused(`${file.label} has the wrong size: it was damaged or changed.`);
    }

    // Extract while hashing; compare before anything is parsed.
    await fs.mkdir(staging, { recursive: true });
    for (const [name, file] of expected) {
      const folder = path.join(staging, file.draftId);
      await fs.mkdir(folder, { recursive: true });
      const hasher = new HashingStream();
      try {
        const stream = await zip.openReadStreamPromise(byName.get(name)!);
        await pipeline(stream, hasher, createWriteStream(path.join(folder, file.name), { flags: 'wx', mode: 0o600 }));
      } catch {
        throw refused(`${file.label} cannot be read back: the archive is damaged.`);
      }
      const result = await hasher.result;
      if (result.sha256 !== file.sha256 || result.bytes !== file.bytes) {
        throw refused(`${file.label} does not match its SHA-256 in the manifest: it was damaged or changed.`);
      }
    }

    const drafts: VerifiedDraft[] = [];
    for (const item of manifest.drafts) {
      const folder = path.join(staging, item.id);
      drafts.push({
        id: item.id,
        draft: await verifyDraftFolder(folder, item),
        folder,
        files: item.files.length,
        bytes: item.files.reduce((sum, file) => sum + file.bytes, 0),
      });
    }
    return { manifest, drafts };
  } finally {
    zip.close();
  }
}

/** A staged draft must parse, carry its folder's id, and have every file its metadata names. */
async function verifyDraftFolder(folder: string, item: Manifest['drafts'][number]): Promise<Draft> {
  const label = item.displayName || item.id;
  let draft: Draft;
  try {
    const parsed = draftSchema.safeParse(JSON.parse(await fs.readFile(path.join(folder, 'draft.json'), 'utf8')));
    if (!parsed.success) throw parsed.error;
    draft = parsed.data;
  } catch (error) {
    throw refused(`the details of ${label} are not a valid draft (${firstIssue(error)}).`);
  }
  if (draft.id !== item.id) throw refused(`the details of ${label} belong to another draft.`);
  const present = new Set(item.files.map((file) => file.name));
  for (const name of filesOfDraft(draft)) {
    if (!present.has(name)) throw refused(`${label} names ${name}, which the archive does not hold.`);
  }
  if (allTakes(draft).some((take) => take.state === 'recording')) {
    throw refused(`${label} has a take that was still being recorded.`);
  }
  // An approval travels with its receipt, and the receipt's hashes must be those of the files here.
  if (draft.approval) {
    const hashes = new Map(item.files.map((file) => [file.name, file.sha256]));
    const receiptName = draft.approval.receiptFileName;
    if (!receiptName || hashes.get(receiptName) !== draft.approval.receiptSha256) {
      throw refused(`the consent receipt of ${label} does not match its approval.`);
    }
    let receipt;
    try {
      receipt = consentReceiptSchema.parse(JSON.parse(await fs.readFile(path.join(folder, receiptName), 'utf8')));
    } catch (error) {
      throw refused(`the consent receipt of ${label} cannot be read (${firstIssue(error)}).`);
    }
    const consentTake = draft.consent.take;
    if (!consentTake || hashes.get(consentTake.fileName) !== receipt.consentTake.sha256) {
      throw refused(`the consent take of ${label} is not the one its receipt names.`);
    }
    for (const file of receipt.files) {
      if (hashes.get(file.fileName) !== file.sha256) throw refused(`${file.fileName} of ${label} is not the file its consent receipt names.`);
    }
  }
  return draft;
}
