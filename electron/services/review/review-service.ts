/**
 * The consent record and the approval in the main process: the per-draft code, the operator's
 * attestation, preparing and hashing the exact files to submit, and the approval, which the rules
 * of shared/approval.ts gate and which writes the consent receipt the user keeps. The consent take
 * is recorded, recovered and checked by the takes service like any take (kind `consent`).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  approvalBlockers,
  approvalState,
  approvalWarnings,
  currentPrepared,
  likenessMismatches,
  likenessOf,
  materialKey,
  sourceOf,
  submissionRolesOf,
} from '../../../shared/approval';
import {
  type ApprovedFile,
  type ConsentReceipt,
  type PreparedRecord,
  type SubmissionRole,
  consentCodeFrom,
  consentReceiptSchema,
  consentStatement,
  fullName,
  receiptFileName,
} from '../../../shared/consent';
import type { ReviewState } from '../../../shared/contract/review';
import type { Draft } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import type { MediaInfo } from '../../../shared/media';
import { consentRules } from '../../../shared/requirements';
import type { DraftStore } from '../drafts/draft-store';
import { fileSystemError, writeFileAtomic } from '../files/atomic-write';
import { sha256File, sha256Text } from '../files/hash';
import type { Logger } from '../log';
import { dataFolder } from '../files/data-folders';

/** Makes the upload file of one role from the draft's current choice (the media engine's handlers). */
export type Preparer = (
  draftId: string,
  role: SubmissionRole,
  jobId: string | undefined,
) => Promise<{ fileName: string; mimeType: string; info: MediaInfo; summary: string }>;

export type ReviewServiceOptions = {
  dataDir: string;
  drafts: DraftStore;
  prepare: Preparer;
  log: Logger;
  studioVersion: string;
  now?: () => Date;
  randomBytes?: (count: number) => Uint8Array;
};

export class ReviewService {
  private readonly options: ReviewServiceOptions;
  private readonly drafts: DraftStore;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly random: (count: number) => Uint8Array;
  /** Hashes of prepared files by path, size and modification time, so the review does not re-read them. */
  private readonly hashes = new Map<string, string>();

  constructor(options: ReviewServiceOptions) {
    this.options = options;
    this.drafts = options.drafts;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.random = options.randomBytes ?? ((count) => randomBytes(count));
  }

  get receiptsFolder(): string {
    return dataFolder(this.options.dataDir, 'receipts');
  }

  // ---- the review ------------------------------------------------------------------------------

  /** The draft with its consent code (made the first time), and everything the review shows and gates on. */
  async state(draftId: string): Promise<ReviewState> {
    return this.describe(await this.ensureCode(draftId));
  }

  async ensureCode(draftId: string): Promise<Draft> {
    const draft = await this.drafts.get(draftId);
    if (draft.consent.code) return draft;
    return this.drafts.update(draftId, (current) =>
      current.consent.code ? current : { ...current, consent: { ...current.consent, code: consentCodeFrom(this.random(consentRules.codeLength * 2)) } },
    );
  }

  private async describe(draft: Draft): Promise<ReviewState> {
    const roles = submissionRolesOf(draft);
    const files: ReviewState['files'] = [];
    const blockers = approvalBlockers(draft);
    for (const role of roles) {
      const current = currentPrepared(draft, role);
      const record = current ?? draft.prepared.find((item) => item.role === role) ?? null;
      const intact = current ? await this.intact(draft.id, current) : null;
      if (intact === false) {
        blockers.push({
          id: `prepared:${role}:changed`,
          area: 'prepared',
          message: `The prepared ${role} file changed on disk after it was reviewed: prepare the files again.`,
        });
      }
      files.push({ role, state: current ? 'prepared' : record ? 'stale' : 'missing', record, intact });
    }
    const name = fullName(draft.person);
    const code = draft.consent.code;
    let approval = approvalState(draft);
    if (approval === 'approved' && files.some((file) => file.intact === false)) approval = 'stale';
    return {
      draft,
      statement: code && draft.person.firstName.trim() && draft.person.lastName.trim() ? consentStatement(name, code) : null,
      code,
      roles,
      files,
      blockers,
      warnings: approvalWarnings(draft),
      approval,
      canApprove: blockers.length === 0 && approval !== 'approved',
      likeness: likenessOf(draft),
    };
  }

  private async intact(draftId: string, record: PreparedRecord): Promise<boolean> {
    const file = this.drafts.mediaFile(draftId, record.fileName);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat) return false;
    const key = `${file}:${stat.size}:${stat.mtimeMs}`;
    let hash = this.hashes.get(key);
    if (!hash) {
      hash = (await sha256File(file)).sha256;
      this.hashes.set(key, hash);
    }
    return hash === record.sha256;
  }

  /** Prepares every file the draft would submit from its current choices and records what came out. */
  async prepare(draftId: string, jobId?: string): Promise<ReviewState> {
    const draft = await this.drafts.get(draftId);
    const roles = submissionRolesOf(draft);
    const records: PreparedRecord[] = [];
    for (const role of roles) {
      const source = sourceOf(draft, role);
      if (!source) throw new StudioError('CONFLICT', `Choose a ${role === 'photo' ? 'photo' : `${role} take`} before preparing the files.`);
      const prepared = await this.options.prepare(draftId, role, jobId);
      const { sha256 } = await sha256File(this.drafts.mediaFile(draftId, prepared.fileName));
      records.push({
        role,
        fileName: prepared.fileName,
        sourceId: source.id,
        sourceTrim: source.trim,
        mimeType: prepared.mimeType,
        info: prepared.info,
        summary: prepared.summary,
        sha256,
        preparedAt: this.now().toISOString(),
      });
    }
    const updated = await this.drafts.update(draftId, (current) => {
      for (const record of records) {
        const source = sourceOf(current, record.role);
        if (source?.id !== record.sourceId)
          throw new StudioError('CONFLICT', 'The chosen take changed while the files were being prepared; prepare them again.');
      }
      return { ...current, prepared: records };
    });
    this.log.info('prepared the files to submit', { draftId, roles });
    return this.describe(updated);
  }

  /**
   * Approves the draft and writes the consent receipt. `likenessOverride`: the reviewer's reason for
   * approving although the consent take and the material look like different people; without it such
   * a draft is refused (CONFLICT). The receipt records the comparisons and the reason.
   */
  async approve(
    draftId: string,
    approvedBy: string,
    acknowledged: string[],
    likenessOverride?: string,
  ): Promise<{ state: ReviewState; receipt: ConsentReceipt }> {
    const draft = await this.drafts.get(draftId);
    const state = await this.describe(draft);
    if (state.blockers.length > 0) {
      const consentMissing = state.blockers.some((blocker) => blocker.area === 'consent');
      throw new StudioError(
        consentMissing ? 'CONSENT_REQUIRED' : 'CONFLICT',
        `This draft cannot be approved yet. ${state.blockers.map((blocker) => blocker.message).join(' ')}`,
      );
    }
    const unacknowledged = state.warnings.filter((warning) => !acknowledged.includes(warning.key));
    if (unacknowledged.length > 0) {
      throw new StudioError(
        'CONFLICT',
        `Acknowledge every warning before approving: ${unacknowledged.map((warning) => `${warning.source}, ${warning.label}`).join('; ')}.`,
      );
    }

    const mismatches = likenessMismatches(draft);
    const overrideReason = likenessOverride?.trim() || null;
    if (mismatches.length > 0 && !overrideReason) {
      const detail = mismatches.map((item) => `${item.label}: ${item.headline.toLowerCase()} (similarity ${item.similarity.toFixed(2)})`).join('; ');
      throw new StudioError('CONFLICT', `${detail}. Record the consent again with the same person, or give a reason to approve anyway.`);
    }

    const files: ApprovedFile[] = [];
    for (const role of state.roles) {
      const record = currentPrepared(draft, role)!;
      const { sha256, bytes } = await sha256File(this.drafts.mediaFile(draftId, record.fileName));
      if (sha256 !== record.sha256) throw new StudioError('CONFLICT', `The prepared ${role} file changed since it was reviewed: prepare the files again.`);
      files.push({ role, fileName: record.fileName, mimeType: record.mimeType, bytes, sha256 });
    }
    const take = draft.consent.take!;
    const takeHash = await sha256File(this.drafts.mediaFile(draftId, take.fileName));
    const attestation = draft.consent.attestation!;
    const approvedAt = this.now().toISOString();
    const receipt: ConsentReceipt = consentReceiptSchema.parse({
      kind: 'twin-studio-consent-receipt',
      version: 1,
      draftId,
      person: { fullName: fullName(draft.person), externalClientId: draft.person.externalClientId },
      statement: draft.consent.statement,
      code: draft.consent.code,
      consentRecordedAt: take.createdAt,
      operator: { name: attestation.operatorName, date: attestation.date, attestedAt: attestation.attestedAt },
      approvedAt,
      approvedBy: approvedBy.trim(),
      acknowledgedWarnings: state.warnings.map(({ key, label, reason }) => ({ key, label, reason })),
      hashAlgorithm: 'SHA-256',
      consentTake: { fileName: take.fileName, mimeType: take.mimeType, bytes: takeHash.bytes, durationMs: take.durationMs, sha256: takeHash.sha256 },
      files,
      studioVersion: this.options.studioVersion,
      likeness: { comparisons: state.likeness, override: mismatches.length > 0 ? overrideReason : null },
    });
    const text = `${JSON.stringify(receipt, null, 2)}\n`;
    // The receipt is on disk before the approval names it, so an approval never points at nothing.
    await writeFileAtomic(path.join(this.drafts.folder(draftId), receiptFileName), text);
    const key = materialKey(draft);
    const updated = await this.drafts.update(draftId, (current) => {
      if (materialKey(current) !== key) throw new StudioError('CONFLICT', 'The draft changed while it was being approved; review it again.');
      return {
        ...current,
        approval: {
          approvedAt,
          approvedBy: approvedBy.trim(),
          acknowledgedWarnings: state.warnings.map((warning) => warning.key),
          files,
          consentTakeSha256: takeHash.sha256,
          receiptFileName,
          receiptSha256: sha256Text(text),
          materialKey: key,
        },
      };
    });
    // A copy the user keeps even after the draft is deleted.
    await fs.mkdir(this.receiptsFolder, { recursive: true });
    const copyName = `${
      fullName(draft.person)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'draft'
    }-${receipt.code}-${approvedAt.replace(/[:.]/g, '-')}.json`;
    await writeFileAtomic(path.join(this.receiptsFolder, copyName), text).catch((error: unknown) =>
      this.log.warn('could not keep a copy of the consent receipt', { draftId, error: String(error) }),
    );
    this.log.info('draft approved', { draftId, files: files.length, warnings: state.warnings.length });
    return { state: await this.describe(updated), receipt };
  }

  async withdraw(draftId: string): Promise<ReviewState> {
    const updated = await this.drafts.update(draftId, (current) => ({ ...current, approval: null }));
    this.log.info('approval withdrawn', { draftId });
    return this.describe(updated);
  }

  async receipt(draftId: string): Promise<{ fileName: string; text: string; receipt: ConsentReceipt }> {
    const draft = await this.drafts.get(draftId);
    const name = draft.approval?.receiptFileName;
    if (!name) throw new StudioError('NOT_FOUND', 'This draft has not been approved, so it has no consent receipt yet.');
    let text: string;
    try {
      text = await fs.readFile(path.join(this.drafts.folder(draftId), name), 'utf8');
    } catch (error) {
      throw fileSystemError(error, 'read the consent receipt');
    }
    if (sha256Text(text) !== draft.approval?.receiptSha256) throw new StudioError('CORRUPT', 'The consent receipt on disk is not the one written on approval.');
    return { fileName: name, text, receipt: consentReceiptSchema.parse(JSON.parse(text)) };
  }

  /** An approval whose material changed (a new take chosen, a field edited) no longer stands. */
  async onDraftsChanged(ids: string[]): Promise<void> {
    for (const id of ids) {
      const draft = await this.drafts.get(id).catch(() => null);
      if (!draft || approvalState(draft) !== 'stale') continue;
      await this.drafts
        .update(id, (current) => (approvalState(current) === 'stale' ? { ...current, approval: null } : current))
        .then(() => this.log.info('approval withdrawn: the draft changed after it was approved', { draftId: id }))
        .catch((error: unknown) => this.log.warn('could not withdraw a stale approval', { draftId: id, error: String(error) }));
    }
  }

  // ---- the consent record ------------------------------------------------------------------------

  async attest(draftId: string, operatorName: string, date: string): Promise<Draft> {
    const draft = await this.drafts.update(draftId, (current) => {
      if (!current.consent.take) throw new StudioError('CONFLICT', 'Record the consent statement first; the operator attests what they saw and heard.');
      return {
        ...current,
        consent: { ...current.consent, attestation: { operatorName: operatorName.trim(), date, attestedAt: this.now().toISOString() } },
      };
    });
    this.log.info('consent attested', { draftId });
    return draft;
  }
}
