/**
 * Submissions on disk: `drafts/<id>/submission.json`, written atomically after every step, so the
 * record on disk is always the last thing known to have happened. It holds the upload's resume state
 * (multipart parts) beside what the renderer sees.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Submission, submissionFileSchema, submissionSchema } from '../../../shared/contract/submission';
import { draftIdSchema } from '../../../shared/ids';
import type { DraftStore } from '../drafts/draft-store';
import { writeFileAtomic } from '../files/atomic-write';
import type { Logger } from '../log';

const uploadStateSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('single') }),
  z.object({
    mode: z.literal('multipart'),
    key: z.string(),
    uploadId: z.string(),
    partSize: z.number().int().positive(),
    parts: z.array(z.object({ partNumber: z.number().int().positive(), etag: z.string(), size: z.number().int().nonnegative() })),
  }),
]);

export const submissionRecordSchema = submissionSchema.extend({
  files: z.array(submissionFileSchema.extend({ upload: uploadStateSchema.nullable().default(null) })).default([]),
});
export type SubmissionRecord = z.infer<typeof submissionRecordSchema>;
export type SubmissionRecordFile = SubmissionRecord['files'][number];

const fileName = 'submission.json';
const historyLength = 30;

/** What the renderer sees: the record without the upload's resume state. */
export function toView(record: SubmissionRecord): Submission {
  return { ...record, files: record.files.map(({ upload: _upload, ...file }) => file) };
}

export class SubmissionStore {
  constructor(
    private readonly drafts: DraftStore,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(draftId: string): string {
    return path.join(this.drafts.folder(draftId), fileName);
  }

  async get(draftId: string): Promise<SubmissionRecord | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file(draftId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return submissionRecordSchema.parse(JSON.parse(text));
    } catch {
      // Never silently dropped: a damaged record is kept aside and the draft can be submitted again,
      // and the tag lookup still finds a twin an earlier attempt created.
      const aside = `${this.file(draftId)}.corrupt-${Date.now()}`;
      await fs.rename(this.file(draftId), aside).catch(() => undefined);
      this.log.warn('submission record unreadable, set aside', { draftId, aside });
      return null;
    }
  }

  /** Writes the record (durably) before anything that depends on it happens. */
  async put(record: SubmissionRecord): Promise<SubmissionRecord> {
    const next = submissionRecordSchema.parse({ ...record, updatedAt: this.now().toISOString(), history: record.history.slice(-historyLength) });
    await writeFileAtomic(this.file(record.draftId), `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  async remove(draftId: string): Promise<void> {
    await fs.rm(this.file(draftId), { force: true });
  }

  /** Every draft that has a submission record. */
  async all(): Promise<SubmissionRecord[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.drafts.root);
    } catch {
      return [];
    }
    const records: SubmissionRecord[] = [];
    for (const entry of entries) {
      if (!draftIdSchema.safeParse(entry).success) continue;
      const record = await this.get(entry).catch(() => null);
      if (record) records.push(record);
    }
    return records;
  }
}
