/** The drafts on disk: atomic metadata, ids only, corrupt files reported and kept. */
import { mkdtempSync, promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileSystemError } from '../../electron/services/files/atomic-write';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';

let dataDir: string;
let store: DraftStore;
let changes: string[][];

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'draft-store-'));
  changes = [];
  store = new DraftStore({ dataDir, log: createLogger('test', () => undefined), onChange: (ids) => changes.push(ids) });
  await store.init();
});

describe('DraftStore', () => {
  it('creates, lists, updates and deletes a draft', async () => {
    const draft = await store.create({ firstName: 'Ada' });
    expect(draft.id).toMatch(/^d_[a-f0-9]{20}$/);
    expect((await store.list()).drafts.map((summary) => summary.displayName)).toEqual(['Ada']);
    const updated = await store.updatePerson(draft.id, { lastName: 'Lovelace' });
    expect(updated.person).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect((await store.get(draft.id)).person.lastName).toBe('Lovelace');
    await store.delete(draft.id);
    expect((await store.list()).drafts).toEqual([]);
    await expect(store.get(draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(changes).toHaveLength(3);
  });

  it('writes metadata atomically, leaving no temp files', async () => {
    const draft = await store.create();
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.updatePerson(draft.id, { description: `v${index}` })));
    const files = readdirSync(path.join(dataDir, 'drafts', draft.id));
    expect(files).toEqual(['draft.json']);
    JSON.parse(await fs.readFile(path.join(dataDir, 'drafts', draft.id, 'draft.json'), 'utf8'));
  });

  it('serialises concurrent changes to one draft so none is lost', async () => {
    const draft = await store.create();
    await Promise.all([
      store.updatePerson(draft.id, { firstName: 'Grace' }),
      store.updatePerson(draft.id, { lastName: 'Hopper' }),
      store.updatePerson(draft.id, { externalClientId: 'emp-7' }),
    ]);
    expect((await store.get(draft.id)).person).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', externalClientId: 'emp-7' });
  });

  it('reports a corrupt draft, keeps its file aside and its media untouched', async () => {
    const good = await store.create({ firstName: 'Good' });
    const bad = await store.create({ firstName: 'Bad' });
    const folder = path.join(dataDir, 'drafts', bad.id);
    await fs.writeFile(path.join(folder, 'draft.json'), '{"id": "truncated');
    await fs.writeFile(path.join(folder, 'voice-1.webm'), 'media');
    const first = await store.list();
    expect(first.drafts.map((draft) => draft.id)).toEqual([good.id]);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatchObject({ id: bad.id, message: expect.stringContaining('not valid JSON') });
    const kept = readdirSync(folder);
    expect(kept).toContain('voice-1.webm');
    expect(kept.some((name) => name.startsWith('draft.json.corrupt-'))).toBe(true);
    // Still reported on the next start, not silently dropped.
    expect((await store.list()).problems.map((problem) => problem.id)).toEqual([bad.id]);
    await expect(store.get(bad.id)).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('accepts ids and plain file names only, never paths', async () => {
    expect(() => store.folder('../../etc')).toThrow(/not a draft id/);
    expect(() => store.folder('d_0123456789/../../x')).toThrow();
    const draft = await store.create();
    expect(() => store.mediaFile(draft.id, '../draft.json')).toThrow(/not a media file name/);
    expect(() => store.mediaFile(draft.id, 'voice/../../x.webm')).toThrow();
    expect(store.mediaFile(draft.id, 'voice-1.webm')).toBe(path.join(dataDir, 'drafts', draft.id, 'voice-1.webm'));
  });

  it('turns a full disk into a message a person can act on', () => {
    const error = fileSystemError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'save draft.json');
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toMatch(/disk is full.*nothing was lost/i);
  });
});
