/** The drafts on disk: one folder per person with draft.json (written atomically) and media beside it. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Draft, type DraftProblem, type DraftSummary, type PersonDraft, displayName, draftSchema, personDraftSchema } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { draftIdSchema, mediaFileNameSchema } from '../../../shared/ids';
import { draftFacts } from '../../../shared/draft-status';
import { missingBeforeApproval } from '../../../shared/progress';
import type { Logger } from '../log';
import { fileSystemError, writeFileAtomic } from '../files/atomic-write';
import { dataFolder } from '../files/data-folders';

const metadataFile = 'draft.json';

export type DraftStoreOptions = {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  onChange?: (ids: string[]) => void;
};

export function newId(prefix: 'd' | 't'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}

export class DraftStore {
  readonly root: string;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly onChange: (ids: string[]) => void;
  /** One queue per draft, so that concurrent updates (chunks, form edits) never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: DraftStoreOptions) {
    this.root = dataFolder(options.dataDir, 'drafts');
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.onChange = options.onChange ?? (() => undefined);
  }

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
  }

  /** The folder of a draft; the id is validated so no renderer-supplied string can become a path. */
  folder(id: string): string {
    const parsed = draftIdSchema.safeParse(id);
    if (!parsed.success) throw new StudioError('BAD_REQUEST', `"${id}" is not a draft id.`);
    return path.join(this.root, parsed.data);
  }

  /** The path of a media file in a draft, by plain file name only. */
  mediaFile(id: string, fileName: string): string {
    const parsed = mediaFileNameSchema.safeParse(fileName);
    if (!parsed.success) throw new StudioError('BAD_REQUEST', `"${fileName}" is not a media file name.`);
    return path.join(this.folder(id), parsed.data);
  }

  async list(): Promise<{ drafts: DraftSummary[]; problems: DraftProblem[] }> {
    await this.init();
    const entries = await fs.readdir(this.root, { withFileTypes: true });
    const drafts: DraftSummary[] = [];
    const problems: DraftProblem[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !draftIdSchema.safeParse(entry.name).success) continue;
      const result = await this.readOrSetAside(entry.name);
      if ('draft' in result) drafts.push(summarise(result.draft));
      else problems.push(result.problem);
    }
    drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return { drafts, problems };
  }

  async create(person: Partial<PersonDraft> = {}): Promise<Draft> {
    const id = newId('d');
    const stamp = this.now().toISOString();
    const draft = draftSchema.parse({
      id,
      createdAt: stamp,
      updatedAt: stamp,
      person: personDraftSchema.parse(person),
    });
    try {
      await fs.mkdir(this.folder(id), { recursive: true });
    } catch (error) {
      throw fileSystemError(error, 'create the draft folder');
    }
    await this.write(draft);
    this.log.info('created draft', { id });
    this.onChange([id]);
    return draft;
  }

  async get(id: string): Promise<Draft> {
    const result = await this.readOrSetAside(draftIdSchema.parse(id));
    if ('draft' in result) return result.draft;
    if (result.problem.keptAs === '') throw new StudioError('NOT_FOUND', 'This draft no longer exists.');
    throw new StudioError('CORRUPT', result.problem.message);
  }

  /** Read-modify-write under the draft's queue; the mutation returns the new draft. */
  async update(id: string, mutate: (draft: Draft) => Draft | Promise<Draft>): Promise<Draft> {
    return this.serialise(id, async () => {
      const current = await this.get(id);
      const next = draftSchema.parse({ ...(await mutate(current)), id, updatedAt: this.now().toISOString() });
      await this.write(next);
      this.onChange([id]);
      return next;
    });
  }

  async updatePerson(id: string, patch: Partial<PersonDraft>): Promise<Draft> {
    return this.update(id, (draft) => ({ ...draft, person: personDraftSchema.parse({ ...draft.person, ...patch }) }));
  }

  async delete(id: string): Promise<void> {
    const folder = this.folder(id);
    await this.serialise(id, async () => {
      try {
        await fs.access(folder);
      } catch {
        throw new StudioError('NOT_FOUND', 'This draft no longer exists.');
      }
      try {
        await fs.rm(folder, { recursive: true, force: true });
      } catch (error) {
        throw fileSystemError(error, 'delete the draft');
      }
    });
    this.log.info('deleted draft', { id });
    this.onChange([id]);
  }

  /**
   * Moves a complete draft folder made elsewhere on the same disk (an import's staging, a copy, the
   * trash) into place as draft `id`, under the draft's queue: it appears whole or not at all.
   * Throws CONFLICT when a draft with that id is already here.
   */
  async adopt(id: string, from: string): Promise<void> {
    const target = this.folder(id);
    await this.serialise(id, async () => {
      if (
        await fs.access(target).then(
          () => true,
          () => false,
        )
      )
        throw new StudioError('CONFLICT', 'A draft with this id is already in the studio.');
      try {
        await fs.rename(from, target);
      } catch (error) {
        throw fileSystemError(error, 'move the draft into place');
      }
    });
    this.onChange([id]);
  }

  /**
   * Moves draft `id`'s folder out to `to` (the trash, or back to an import's staging when an import
   * is undone), under the draft's queue, after any work on it has finished.
   * Throws NOT_FOUND when there is no such draft.
   */
  async moveOut(id: string, to: string): Promise<void> {
    const folder = this.folder(id);
    await this.serialise(id, async () => {
      try {
        await fs.rename(folder, to);
      } catch (error) {
        throw fileSystemError(error, 'move the draft');
      }
    });
    this.onChange([id]);
  }

  /** Runs work on a draft after every earlier piece of work on it has finished. */
  serialise<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return next;
  }

  private async write(draft: Draft): Promise<void> {
    await writeFileAtomic(path.join(this.folder(draft.id), metadataFile), `${JSON.stringify(draft, null, 2)}\n`);
  }

  private async readOrSetAside(id: string): Promise<{ draft: Draft } | { problem: DraftProblem }> {
    const folder = this.folder(id);
    const file = path.join(folder, metadataFile);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileSystemError(error, 'read the draft');
      const kept = await fs.readdir(folder).catch(() => null);
      if (kept === null) return { problem: { id, message: 'This draft no longer exists.', keptAs: '' } };
      const aside = kept.find((name) => name.startsWith(`${metadataFile}.corrupt-`));
      return {
        problem: {
          id,
          message: aside
            ? 'This draft’s details could not be read and were set aside; its media files are untouched.'
            : 'This draft folder has no details file; its media files are untouched.',
          keptAs: aside ? path.join(folder, aside) : folder,
        },
      };
    }
    const parsed = safeParseDraft(text, id);
    if (parsed.success) return { draft: parsed.draft };
    const keptAs = `${file}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(file, keptAs);
    this.log.warn('draft metadata unreadable, set aside', { id, reason: parsed.reason });
    return {
      problem: {
        id,
        message: `This draft’s details could not be read (${parsed.reason}) and were set aside; its media files are untouched.`,
        keptAs,
      },
    };
  }
}

function safeParseDraft(text: string, id: string): { success: true; draft: Draft } | { success: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { success: false, reason: 'not valid JSON' };
  }
  const parsed = draftSchema.safeParse(json);
  if (!parsed.success) return { success: false, reason: `invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  if (parsed.data.id !== id) return { success: false, reason: 'its id does not match its folder' };
  return { success: true, draft: parsed.data };
}

export function summarise(draft: Draft): DraftSummary {
  return {
    id: draft.id,
    displayName: displayName(draft.person),
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    avatarVersion: draft.person.avatarVersion,
    missing: missingBeforeApproval(draft),
    facts: draftFacts(draft),
  };
}
