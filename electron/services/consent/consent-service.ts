/**
 * The consent record and the approval in the main process: the per-draft code, the consent take
 * (streamed to disk chunk by chunk like any take, then repaired, probed and checked), the operator's
 * attestation, preparing and hashing the exact files to submit, and the approval, which the rules of
 * shared/approval.ts gate and which writes the consent receipt the user keeps.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { analyseAudio, formatBytes } from '../../../shared/audio-analysis';
import {
  approvalBlockers,
  approvalState,
  approvalWarnings,
  consentDurationCheck,
  currentPrepared,
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
import type { ReviewState } from '../../../shared/contract/consent';
import { takeStreaming } from '../../../shared/contract/takes';
import type { CheckResult, Draft, Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import type { MediaInfo } from '../../../shared/media';
import { audioQuality, consentRules } from '../../../shared/requirements';
import { type DraftStore, newId } from '../drafts/draft-store';
import { fileSystemError, writeFileAtomic } from '../files/atomic-write';
import { sha256File, sha256Text } from '../library/hash';
import type { Logger } from '../log';
import type { MediaEngine } from '../media/engine';

/** Makes the upload file of one role from the draft's current choice (the media engine's handlers). */
export type Preparer = (
  draftId: string,
  role: SubmissionRole,
  jobId: string | undefined,
) => Promise<{ fileName: string; mimeType: string; info: MediaInfo; summary: string }>;

export type ConsentServiceOptions = {
  dataDir: string;
  drafts: DraftStore;
  engine: Pick<MediaEngine, 'remux' | 'probe' | 'decodePcm'>;
  prepare: Preparer;
  log: Logger;
  studioVersion: string;
  now?: () => Date;
  randomBytes?: (count: number) => Uint8Array;
};

type Session = {
  draftId: string;
  takeId: string;
  mimeType: string;
  statement: string;
  code: string;
  createdAt: string;
  raw: string;
  handle: FileHandle;
  nextSeq: number;
  bytes: number;
  queue: Promise<unknown>;
};

const containerMime: Record<string, string> = { webm: 'video/webm', matroska: 'video/webm', mp4: 'video/mp4', ogg: 'audio/ogg' };

function recordingExtension(mimeType: string): 'webm' | 'mp4' | 'ogg' {
  const type = mimeType.toLowerCase();
  if (type.includes('mp4')) return 'mp4';
  if (type.includes('ogg')) return 'ogg';
  return 'webm';
}

export class ConsentService {
  private readonly options: ConsentServiceOptions;
  private readonly drafts: DraftStore;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly random: (count: number) => Uint8Array;
  private readonly sessions = new Map<string, Session>();
  /** Hashes of prepared files by path, size and modification time, so the review does not re-read them. */
  private readonly hashes = new Map<string, string>();

  constructor(options: ConsentServiceOptions) {
    this.options = options;
    this.drafts = options.drafts;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.random = options.randomBytes ?? ((count) => randomBytes(count));
  }

  get receiptsFolder(): string {
    return path.join(this.options.dataDir, 'receipts');
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
        blockers.push({ id: `prepared:${role}:changed`, area: 'prepared', message: `The prepared ${role} file changed on disk after it was reviewed: prepare the files again.` });
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
        if (source?.id !== record.sourceId) throw new StudioError('CONFLICT', 'The chosen take changed while the files were being prepared; prepare them again.');
      }
      return { ...current, prepared: records };
    });
    this.log.info('prepared the files to submit', { draftId, roles });
    return this.describe(updated);
  }

  async approve(draftId: string, approvedBy: string, acknowledged: string[]): Promise<{ state: ReviewState; receipt: ConsentReceipt }> {
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
    const copyName = `${fullName(draft.person).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'draft'}-${receipt.code}-${approvedAt.replace(/[:.]/g, '-')}.json`;
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

  /**
   * Whether the approved files are still byte for byte what was approved: for the submission queue,
   * which must upload exactly these files.
   */
  async verifyApprovedFiles(draftId: string): Promise<{ ok: boolean; changed: string[] }> {
    const draft = await this.drafts.get(draftId);
    if (!draft.approval || approvalState(draft) !== 'approved') return { ok: false, changed: [] };
    const changed: string[] = [];
    for (const file of draft.approval.files) {
      const actual = await sha256File(this.drafts.mediaFile(draftId, file.fileName)).catch(() => null);
      if (actual?.sha256 !== file.sha256) changed.push(file.fileName);
    }
    return { ok: changed.length === 0, changed };
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

  async beginTake(draftId: string, mimeType: string): Promise<{ takeId: string; statement: string; code: string }> {
    const draft = await this.ensureCode(draftId);
    const name = fullName(draft.person);
    if (!draft.person.firstName.trim() || !draft.person.lastName.trim()) {
      throw new StudioError('CONFLICT', 'Enter the person’s first and last name first: the consent statement names them.');
    }
    const code = draft.consent.code!;
    const takeId = newId('t');
    const raw = this.drafts.mediaFile(draftId, `consent-${takeId}.rec.${recordingExtension(mimeType)}`);
    let handle: FileHandle;
    try {
      handle = await fs.open(raw, 'wx', 0o600);
    } catch (error) {
      throw fileSystemError(error, 'start a file for the consent take');
    }
    const statement = consentStatement(name, code);
    this.sessions.set(takeId, {
      draftId,
      takeId,
      mimeType,
      statement,
      code,
      createdAt: this.now().toISOString(),
      raw,
      handle,
      nextSeq: 0,
      bytes: 0,
      queue: Promise.resolve(),
    });
    this.log.info('consent take started', { draftId, takeId, mimeType });
    return { takeId, statement, code };
  }

  appendTake(draftId: string, takeId: string, seq: number, bytes: Uint8Array): Promise<{ nextSeq: number; bytes: number }> {
    const session = this.session(draftId, takeId);
    const work = session.queue.then(async () => {
      if (seq < session.nextSeq) return { nextSeq: session.nextSeq, bytes: session.bytes };
      if (seq > session.nextSeq) throw new StudioError('CONFLICT', `Piece ${seq} of the consent take arrived before piece ${session.nextSeq}.`);
      if (session.bytes + bytes.byteLength > takeStreaming.maxTakeBytes) {
        throw new StudioError('MEDIA', `The consent take has grown beyond ${formatBytes(takeStreaming.maxTakeBytes)}.`);
      }
      try {
        let written = 0;
        while (written < bytes.byteLength) {
          const result = await session.handle.write(bytes, written, bytes.byteLength - written, session.bytes + written);
          written += result.bytesWritten;
        }
      } catch (error) {
        throw fileSystemError(error, 'save the consent take');
      }
      session.nextSeq++;
      session.bytes += bytes.byteLength;
      return { nextSeq: session.nextSeq, bytes: session.bytes };
    });
    session.queue = work.catch(() => undefined);
    return work;
  }

  async finishTake(draftId: string, takeId: string): Promise<Take> {
    const session = this.session(draftId, takeId);
    this.sessions.delete(takeId);
    await session.queue;
    await session.handle.sync().catch(() => undefined);
    await session.handle.close();
    const finalName = `consent-${takeId}.${recordingExtension(session.mimeType)}`;
    const final = this.drafts.mediaFile(draftId, finalName);
    try {
      if (session.bytes === 0) throw new StudioError('MEDIA', 'Nothing was recorded: no sound or picture arrived before the take ended.');
      let info: MediaInfo;
      try {
        await this.options.engine.remux(session.raw, final);
        info = await this.options.engine.probe(final);
      } catch (error) {
        throw new StudioError('MEDIA', `The consent take could not be read${error instanceof StudioError ? ` (${error.message.replace(/\.$/, '')})` : ''}. Record it again.`);
      }
      const checks = [consentDurationCheck(info.durationMs ?? 0), await this.soundCheck(final, info)];
      const take: Take = {
        id: takeId,
        kind: 'consent',
        source: 'recorded',
        fileName: finalName,
        mimeType: (info.video ? containerMime[info.container] : undefined) ?? session.mimeType.split(';')[0] ?? 'video/webm',
        createdAt: session.createdAt,
        state: 'complete',
        durationMs: info.durationMs,
        bytes: info.bytes,
        trim: null,
        checks,
        originalName: null,
      };
      let previous: string | null = null;
      await this.drafts.update(draftId, (current) => {
        previous = current.consent.take?.fileName ?? null;
        // A new take is a new act of consent: the operator attests it again.
        return { ...current, consent: { ...current.consent, take, statement: session.statement, attestation: null } };
      });
      if (previous && previous !== finalName) await fs.rm(this.drafts.mediaFile(draftId, previous), { force: true });
      this.log.info('consent take saved', { draftId, takeId, durationMs: info.durationMs, verdicts: checks.map((check) => check.verdict) });
      return take;
    } catch (error) {
      await fs.rm(final, { force: true });
      throw error;
    } finally {
      await fs.rm(session.raw, { force: true });
    }
  }

  /** Drops the consent take (and one being recorded); the attestation goes with it. */
  async discardTake(draftId: string): Promise<boolean> {
    for (const session of [...this.sessions.values()].filter((item) => item.draftId === draftId)) {
      this.sessions.delete(session.takeId);
      await session.queue;
      await session.handle.close().catch(() => undefined);
      await fs.rm(session.raw, { force: true });
    }
    let removed: string | null = null;
    await this.drafts.update(draftId, (current) => {
      removed = current.consent.take?.fileName ?? null;
      return { ...current, consent: { ...current.consent, take: null, statement: null, attestation: null } };
    });
    if (removed) await fs.rm(this.drafts.mediaFile(draftId, removed), { force: true });
    return removed !== null;
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await session.handle.close().catch(() => undefined);
    this.sessions.clear();
  }

  private session(draftId: string, takeId: string): Session {
    const session = this.sessions.get(takeId);
    if (!session || session.draftId !== draftId) {
      throw new StudioError('CONFLICT', 'This consent take is not being recorded any more (the studio may have restarted). Record it again.');
    }
    return session;
  }

  /** Someone must be heard: a silent take cannot hold the statement. */
  private async soundCheck(file: string, info: MediaInfo): Promise<CheckResult> {
    const fail = (reason: string): CheckResult => ({ id: 'speech', label: 'Speech', verdict: 'fail', reason, value: null });
    if (!info.audio) return fail('The take has no sound: the statement must be heard.');
    try {
      const { samples, sampleRate } = await this.options.engine.decodePcm(file, { sampleRate: 16000 });
      const analysis = analyseAudio(samples, sampleRate);
      if (analysis.speechRmsDbfs < audioQuality.silentRmsDbfs) return { ...fail('Nothing audible was recorded.'), value: analysis.speechRmsDbfs };
      return { id: 'speech', label: 'Speech', verdict: 'pass', reason: 'Speech is audible.', value: analysis.speechRmsDbfs };
    } catch (error) {
      return fail(`The sound could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
}
