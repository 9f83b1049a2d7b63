/** The library on a real data folder: list, duplicate, delete to the trash with undo, hand-off to the system trash, usage. */
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { LibraryService, type LibraryServiceOptions } from '../../electron/services/library/library-service';
import { createLogger } from '../../electron/services/log';
import { consentStatement } from '../../shared/consent';
import type { Take } from '../../shared/drafts';

const quiet = createLogger('test', () => undefined);
let dataDir: string;
let drafts: DraftStore;
let library: LibraryService;
let clock: Date;
let changes: string[][];

async function open(extra: Partial<LibraryServiceOptions> = {}) {
  library?.close();
  library = new LibraryService({
    dataDir,
    drafts,
    log: quiet,
    studioVersion: 'test',
    onDraftsChanged: (ids) => changes.push(ids),
    onLibraryChanged: () => undefined,
    now: () => clock,
    ...extra,
  });
  await library.init();
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'library-'));
  drafts = new DraftStore({ dataDir, log: quiet });
  await drafts.init();
  clock = new Date('2025-03-01T10:00:00Z');
  changes = [];
  await open();
});

afterEach(() => library.close());

const take = (id: string, fileName: string, kind: Take['kind'], verdict: 'pass' | 'warn' | 'fail'): Take => ({
  id,
  kind,
  source: 'recorded',
  fileName,
  mimeType: 'video/webm',
  createdAt: clock.toISOString(),
  state: 'complete',
  durationMs: 70_000,
  bytes: 5,
  trim: null,
  checks: [{ id: 'level', label: 'Level', verdict, reason: verdict, value: null }],
  originalName: null,
});

async function draftWithMaterial(firstName: string) {
  const draft = await drafts.create({ firstName, lastName: 'Case', avatarVersion: 'v2' });
  const voice = take('t_voice0000001', 'voice-1.webm', 'voice', 'warn');
  const video = take('t_video0000001', 'video-1.webm', 'video', 'pass');
  const consent = take('t_consent00001', 'consent-1.webm', 'consent', 'pass');
  for (const item of [voice, video, consent]) await fs.writeFile(drafts.mediaFile(draft.id, item.fileName), 'media');
  return drafts.update(draft.id, (current) => ({
    ...current,
    voice: { takes: [voice], chosenTakeId: voice.id },
    camera: { ...current.camera, videoTakes: [video], chosenVideoTakeId: video.id },
    consent: {
      ...current.consent,
      code: 'ACD-EFG',
      statement: consentStatement(`${firstName} Case`, 'ACD-EFG'),
      take: consent,
      attestation: { operatorName: 'Op', date: '2025-03-01', attestedAt: clock.toISOString() },
    },
  }));
}

describe('library', () => {
  it('lists each draft with its thumbnail, steps, verdicts, consent and size', async () => {
    const draft = await draftWithMaterial('Ada');
    const { drafts: entries } = await library.list();
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      id: draft.id,
      displayName: 'Ada Case',
      thumbnail: { kind: 'video', fileName: 'video-1.webm' },
      verdicts: { pass: 2, warn: 1, fail: 0 },
      consent: 'complete',
      approval: 'none',
      submission: null,
    });
    expect(entry!.steps.map((step) => `${step.step}:${step.done}`)).toEqual(['person:false', 'voice:true', 'camera:true', 'review:false', 'submit:false']);
    expect(entry!.bytes).toBeGreaterThan(15);
  });

  it('duplicates a draft with its media but without its consent or approval', async () => {
    const draft = await draftWithMaterial('Ada');
    const copy = await library.duplicate(draft.id);
    expect(copy.id).not.toBe(draft.id);
    expect(copy.person).toEqual(draft.person);
    expect(copy.voice).toEqual(draft.voice);
    expect(copy.consent).toEqual({ code: null, statement: null, take: null, attestation: null });
    expect((await fs.readdir(drafts.folder(copy.id))).sort()).toEqual(['draft.json', 'video-1.webm', 'voice-1.webm']);
    expect(await fs.readFile(drafts.mediaFile(copy.id, 'voice-1.webm'), 'utf8')).toBe('media');
    expect((await library.list()).drafts).toHaveLength(2);
  });

  it('deletes to the studio trash and restores, with nothing lost', async () => {
    const draft = await draftWithMaterial('Ada');
    const before = await drafts.get(draft.id);
    const [entry] = await library.delete([draft.id]);
    expect(entry).toMatchObject({ draftId: draft.id, displayName: 'Ada Case', handOffAt: null });
    expect((await library.list()).drafts).toEqual([]);
    await expect(drafts.get(draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The media left the drafts folder with it.
    await expect(fs.access(drafts.folder(draft.id))).rejects.toThrow();
    expect(await fs.readdir(path.join(dataDir, 'trash', entry!.entryId))).toEqual(['Ada Case (Twin Studio draft)', 'entry.json']);

    expect(await library.restore(entry!.entryId)).toBe(draft.id);
    expect(await drafts.get(draft.id)).toEqual(before);
    expect(await library.trash.list()).toEqual([]);
    expect(changes.flat()).toEqual([draft.id, draft.id]);
  });

  it('without a system trash, keeps deleted drafts until the trash is emptied, then deletes them for good', async () => {
    const draft = await draftWithMaterial('Ada');
    await library.delete([draft.id]);
    clock = new Date(clock.getTime() + 24 * 3600 * 1000);
    await open();
    expect(library.trash.hasSystemTrash).toBe(false);
    expect(await library.trash.list()).toHaveLength(1);
    expect(await library.trash.empty()).toEqual({ removed: 1, to: 'deleted' });
    expect(await fs.readdir(path.join(dataDir, 'trash'))).toEqual([]);
  });

  it('with a system trash, hands a deleted draft over once its undo window has passed, also after a restart', async () => {
    const handed: string[] = [];
    const systemTrash = async (target: string) => {
      handed.push(path.basename(target));
      await fs.rm(target, { recursive: true });
    };
    await open({ systemTrash, undoWindowMs: 50 });
    const ada = await draftWithMaterial('Ada');
    const [entry] = await library.delete([ada.id]);
    expect(entry!.handOffAt).toBe(new Date(clock.getTime() + 50).toISOString());
    await expect.poll(() => handed, { timeout: 2000 }).toEqual(['Ada Case (Twin Studio draft)']);
    await expect.poll(() => library.trash.list()).toEqual([]);

    // One deleted just before the studio closed goes over at the next start.
    await open({ systemTrash, undoWindowMs: 60_000 });
    const bob = await draftWithMaterial('Bob');
    await library.delete([bob.id]);
    library.close();
    clock = new Date(clock.getTime() + 61_000);
    await open({ systemTrash, undoWindowMs: 60_000 });
    await expect.poll(() => handed, { timeout: 2000 }).toEqual(['Ada Case (Twin Studio draft)', 'Bob Case (Twin Studio draft)']);
  });

  it('keeps a draft in the studio trash when the system trash refuses it', async () => {
    await open({ systemTrash: async () => Promise.reject(new Error('no trash on this volume')), undoWindowMs: 10 });
    const draft = await draftWithMaterial('Ada');
    await library.delete([draft.id]);
    await expect.poll(async () => ((await library.trash.list())[0] ?? { handOffAt: 'missing' }).handOffAt, { timeout: 2000 }).toBeNull();
    await library.restore((await library.trash.list())[0]!.entryId);
    expect((await drafts.get(draft.id)).person.firstName).toBe('Ada');
  });

  it('reports where data lives and how much space each part takes', async () => {
    const draft = await draftWithMaterial('Ada');
    await library.export([draft.id]);
    const usage = await library.usage();
    expect(usage.dataDir).toBe(dataDir);
    expect(usage.draftsBytes).toBeGreaterThan(15);
    expect(usage.exportsBytes).toBeGreaterThan(100);
    expect(usage.totalBytes).toBe(usage.draftsBytes + usage.trashBytes + usage.exportsBytes + usage.receiptsBytes + usage.otherBytes);
    expect(usage.freeBytes).toBeGreaterThan(0);
  });
});
