/**
 * The hand-off archive on real files and two data folders: a round trip keeps every byte, and a
 * damaged, tampered, truncated or foreign archive is refused with nothing half imported.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { sha256File } from '../../electron/services/files/hash';
import { LibraryService } from '../../electron/services/library/library-service';
import { createLogger } from '../../electron/services/log';
import type { Draft, Take } from '../../shared/drafts';

type Side = { dataDir: string; drafts: DraftStore; library: LibraryService; changed: string[][] };

const quiet = createLogger('test', () => undefined);

async function side(): Promise<Side> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'archive-'));
  const changed: string[][] = [];
  const drafts = new DraftStore({ dataDir, log: quiet });
  await drafts.init();
  const library = new LibraryService({
    dataDir,
    drafts,
    log: quiet,
    studioVersion: 'test',
    onDraftsChanged: (ids) => changed.push(ids),
    onLibraryChanged: () => undefined,
  });
  await library.init();
  return { dataDir, drafts, library, changed };
}

function take(id: string, fileName: string): Take {
  return {
    id,
    kind: 'voice',
    source: 'recorded',
    fileName,
    mimeType: 'audio/webm',
    createdAt: new Date().toISOString(),
    state: 'complete',
    durationMs: 70_000,
    bytes: 0,
    trim: null,
    checks: [{ id: 'level', label: 'Level', verdict: 'warn', reason: 'a little quiet', value: -25 }],
    originalName: null,
  };
}

/** A draft with two takes of random bytes (incompressible, like real media) and a stray file that must not travel. */
async function makeDraft(store: DraftStore, firstName: string, bytes = 300_000): Promise<Draft> {
  const draft = await store.create({ firstName, lastName: 'Tester', externalClientId: `${firstName.toLowerCase()}-1` });
  const takes = [
    take(`t_${firstName.toLowerCase()}aaaaaaaa1`.slice(0, 14), 'voice-a.webm'),
    take(`t_${firstName.toLowerCase()}bbbbbbbb2`.slice(0, 14), 'voice-b.webm'),
  ];
  for (const item of takes) await fs.writeFile(store.mediaFile(draft.id, item.fileName), randomBytes(bytes));
  await fs.writeFile(path.join(store.folder(draft.id), '.voice-a.webm.tmp'), 'stray');
  return store.update(draft.id, (current) => ({ ...current, voice: { takes, chosenTakeId: takes[0]!.id } }));
}

async function folderListing(folder: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string) {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else out.push(`${prefix}${entry.name}`);
    }
  }
  await walk(folder, '');
  return out.sort();
}

type Rewrite = {
  /** Alters (or drops, with null) an entry's bytes. */
  change?: (name: string, bytes: Buffer) => Buffer | null;
  extra?: { name: string; bytes: Buffer }[];
  comment?: (old: string) => string;
  /** Rewrites the manifest's hashes and the comment to match: a careful tamperer. */
  consistent?: boolean;
};

/** Rebuilds an archive entry by entry with the given changes. */
async function rewrite(source: string, target: string, options: Rewrite) {
  const zip = await yauzl.openPromise(source, { lazyEntries: true, autoClose: false });
  const entries: { name: string; bytes: Buffer }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      void zip.openReadStreamPromise(entry).then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const bytes = options.change ? options.change(entry.fileName, Buffer.concat(chunks)) : Buffer.concat(chunks);
        if (bytes) entries.push({ name: entry.fileName, bytes });
        zip.readEntry();
      }, reject);
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
  let comment = zip.comment;
  zip.close();
  entries.push(...(options.extra ?? []));
  if (options.consistent) {
    const manifestEntry = entries.find((entry) => entry.name === 'manifest.json')!;
    const manifest = JSON.parse(manifestEntry.bytes.toString()) as { drafts: { id: string; files: { name: string; bytes: number; sha256: string }[] }[] };
    for (const draft of manifest.drafts) {
      draft.files = draft.files.filter((file) => entries.some((item) => item.name === `drafts/${draft.id}/${file.name}`));
      for (const file of draft.files) {
        const entry = entries.find((item) => item.name === `drafts/${draft.id}/${file.name}`)!;
        file.bytes = entry.bytes.length;
        file.sha256 = createHash('sha256').update(entry.bytes).digest('hex');
      }
    }
    manifestEntry.bytes = Buffer.from(JSON.stringify(manifest));
    comment = comment.replace(/[0-9a-f]{64}$/, createHash('sha256').update(manifestEntry.bytes).digest('hex'));
  }
  const out = new yazl.ZipFile();
  for (const entry of entries) out.addBuffer(entry.bytes, entry.name, { compress: false });
  out.end({ comment: options.comment ? options.comment(comment) : comment, forceZip64Format: false });
  const chunks: Buffer[] = [];
  for await (const chunk of out.outputStream) chunks.push(chunk as Buffer);
  await fs.writeFile(target, Buffer.concat(chunks));
}

let a: Side;
let b: Side;

beforeEach(async () => {
  a = await side();
  b = await side();
});

afterEach(() => {
  a.library.close();
  b.library.close();
});

async function exportFrom(from: Side, ids: string[]): Promise<string> {
  const result = await from.library.export(ids);
  expect(result.path).toBe(path.join(from.dataDir, 'exports', result.archiveName));
  expect((await sha256File(result.path)).sha256).toBe(result.sha256);
  return result.path;
}

async function expectNothingImported(into: Side) {
  expect((await into.drafts.list()).drafts).toEqual([]);
  expect(await folderListing(path.join(into.dataDir, 'drafts'))).toEqual([]);
  expect(await folderListing(path.join(into.dataDir, '.imports'))).toEqual([]);
}

describe('archive export and import', () => {
  it('carries several drafts to another data folder byte for byte, and only the files their metadata names', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    const bob = await makeDraft(a.drafts, 'Bob');
    const archive = await exportFrom(a, [ada.id, bob.id]);
    expect(path.basename(archive)).toMatch(/^twin-studio-2-drafts-\d{8}-\d{6}\.zip$/);

    const result = await b.library.importArchive(archive);
    expect(result.imported.map((item) => item.displayName).sort()).toEqual(['Ada Tester', 'Bob Tester']);
    expect(result.files).toBe(6);
    for (const draft of [ada, bob]) {
      expect(await b.drafts.get(draft.id)).toEqual(await a.drafts.get(draft.id));
      for (const name of ['voice-a.webm', 'voice-b.webm']) {
        expect((await sha256File(b.drafts.mediaFile(draft.id, name))).sha256).toBe((await sha256File(a.drafts.mediaFile(draft.id, name))).sha256);
      }
      expect(await fs.readdir(b.drafts.folder(draft.id))).not.toContain('.voice-a.webm.tmp');
    }
    expect(b.changed.flat().sort()).toEqual([ada.id, bob.id].sort());
    expect(await folderListing(path.join(b.dataDir, '.imports'))).toEqual([]);
  });

  it('streams an archive in from the renderer in pieces, in order', async () => {
    const ada = await makeDraft(a.drafts, 'Ada', 1_000_000);
    const archive = await fs.readFile(await exportFrom(a, [ada.id]));
    const importId = await b.library.importBegin('ada.zip', archive.length);
    const piece = 256 * 1024;
    for (let seq = 0, offset = 0; offset < archive.length; seq++, offset += piece) {
      await b.library.importAppend(importId, seq, archive.subarray(offset, offset + piece));
      if (seq === 1) await b.library.importAppend(importId, seq, archive.subarray(offset, offset + piece)); // a retried piece is ignored
    }
    await expect(b.library.importAppend(importId, 99, new Uint8Array(1))).rejects.toMatchObject({ code: 'CONFLICT' });
    const result = await b.library.importFinish(importId, false);
    expect(result.imported).toEqual([{ id: ada.id, displayName: 'Ada Tester', replaced: false }]);
  });

  it('refuses an archive with one flipped byte in a media file, importing nothing', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    const bob = await makeDraft(a.drafts, 'Bob');
    const archive = await exportFrom(a, [ada.id, bob.id]);
    const tampered = path.join(a.dataDir, 'tampered.zip');
    // The second draft's file is damaged, so the first would already be staged when the damage is found.
    await rewrite(archive, tampered, {
      change: (name, bytes) => {
        if (name === `drafts/${bob.id}/voice-b.webm`) bytes[1000] = bytes[1000]! ^ 0xff;
        return bytes;
      },
    });
    await expect(b.library.importArchive(tampered)).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringMatching(/voice-b\.webm of Bob Tester does not match its SHA-256 in the manifest.*Nothing was imported\./),
    });
    await expectNothingImported(b);
  });

  it('refuses an edited manifest, an extra file, a missing file, a truncated archive and a foreign zip', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    const archive = await exportFrom(a, [ada.id]);
    const cases: [string, (target: string) => Promise<void>, RegExp][] = [
      [
        'a manifest edited to match a changed file',
        (target) =>
          rewrite(archive, target, {
            change: (name, bytes) =>
              name === 'manifest.json' ? Buffer.from(bytes.toString().replace(/"sha256": "[0-9a-f]{8}/, '"sha256": "00000000')) : bytes,
          }),
        /manifest does not match the hash recorded with it/,
      ],
      [
        'an extra file',
        (target) => rewrite(archive, target, { extra: [{ name: `drafts/${ada.id}/evil.sh`, bytes: Buffer.from('#!/bin/sh') }] }),
        /evil\.sh, which its manifest does not list/,
      ],
      [
        'a missing file',
        (target) => rewrite(archive, target, { change: (name, bytes) => (name.endsWith('voice-b.webm') ? null : bytes) }),
        /voice-b\.webm of Ada Tester is missing/,
      ],
      [
        'a truncated archive',
        async (target) => {
          const bytes = await fs.readFile(archive);
          await fs.writeFile(target, bytes.subarray(0, Math.floor(bytes.length / 2)));
        },
        /not a zip file, or it is cut short/,
      ],
      ['a foreign zip', (target) => rewrite(archive, target, { comment: () => 'made by something else' }), /not made by Twin Studio/],
      [
        'metadata that is not a draft, with consistent hashes',
        (target) =>
          rewrite(archive, target, {
            change: (name, bytes) => (name.endsWith('draft.json') ? Buffer.from(bytes.toString().replace('"schemaVersion": 1', '"schemaVersion": 9')) : bytes),
            consistent: true,
          }),
        /the details of Ada Tester are not a valid draft/,
      ],
      [
        'metadata naming a file the archive lacks, with consistent hashes',
        (target) =>
          rewrite(archive, target, {
            change: (name, bytes) => (name.endsWith('voice-b.webm') ? null : bytes),
            consistent: true,
          }),
        /Ada Tester names voice-b\.webm, which the archive does not hold/,
      ],
      [
        'a path outside the draft folder',
        async (target) => {
          // yazl refuses to write such a name, so write a same-length one and patch it in both headers.
          await rewrite(archive, target, { extra: [{ name: `drafts/${ada.id}/zz/zz/escape.webm`, bytes: Buffer.from('x') }] });
          const bytes = await fs.readFile(target);
          await fs.writeFile(target, Buffer.from(bytes.toString('latin1').split('/zz/zz/').join('/../../'), 'latin1'));
        },
        /names a file outside its own folders/,
      ],
    ];
    for (const [label, make, message] of cases) {
      const target = path.join(a.dataDir, `case-${label.replace(/\W+/g, '-')}.zip`);
      await make(target);
      const error = await b.library.importArchive(target).then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error, label).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(message) });
      // Plain words only: no library's report, no JSON, no error class names.
      expect((error as Error).message, label).not.toMatch(/[{}[\]"]|Error\b|errno|yauzl|zod/i);
      await expectNothingImported(b);
    }
  });

  it('refuses a draft already here unless asked to replace it, and then the one here goes to the trash', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    const archive = await exportFrom(a, [ada.id]);
    await b.library.importArchive(archive);
    await b.drafts.updatePerson(ada.id, { description: 'changed here' });
    await expect(b.library.importArchive(archive)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Already in this studio: Ada Tester'),
    });
    expect((await b.drafts.get(ada.id)).person.description).toBe('changed here');

    const result = await b.library.importArchive(archive, { replace: true });
    expect(result.imported[0]?.replaced).toBe(true);
    expect((await b.drafts.get(ada.id)).person.description).toBe('');
    const [entry] = await b.library.trash.list();
    expect(entry?.draftId).toBe(ada.id);
  });

  it('finishes at the next start an import that was interrupted after verification', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    const bob = await makeDraft(a.drafts, 'Bob');
    const archive = await exportFrom(a, [ada.id, bob.id]);
    // Simulate a crash between two renames: verify into staging, write the journal, move one draft only.
    const { verifyArchive } = await import('../../electron/services/library/archive');
    const staging = path.join(b.dataDir, '.imports', 'i_crashed0000.staging');
    await verifyArchive(archive, staging);
    await fs.writeFile(
      path.join(b.dataDir, '.imports', 'i_crashed0000.journal.json'),
      JSON.stringify({ importId: 'i_crashed0000', staging, ids: [ada.id, bob.id], replace: false }),
    );
    await fs.rename(path.join(staging, ada.id), b.drafts.folder(ada.id));

    const library = new LibraryService({
      dataDir: b.dataDir,
      drafts: b.drafts,
      log: quiet,
      studioVersion: 'test',
      onDraftsChanged: () => undefined,
      onLibraryChanged: () => undefined,
    });
    await library.init();
    expect((await b.drafts.list()).drafts.map((draft) => draft.id).sort()).toEqual([ada.id, bob.id].sort());
    expect(await folderListing(path.join(b.dataDir, '.imports'))).toEqual([]);
    library.close();
  });

  it('refuses to export a draft whose take is still being recorded', async () => {
    const ada = await makeDraft(a.drafts, 'Ada');
    await a.drafts.update(ada.id, (draft) => ({
      ...draft,
      voice: { ...draft.voice, takes: draft.voice.takes.map((item) => ({ ...item, state: 'recording' as const })) },
    }));
    await expect(a.library.export([ada.id])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await folderListing(path.join(a.dataDir, 'exports'))).toEqual([]);
  });
});
