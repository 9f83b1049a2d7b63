/**
 * The submission queue: approved drafts run one after another in the background through validate →
 * prepare → upload → create → follow, each step recorded on disk before the next begins. The create
 * request is recorded before it is sent; when its outcome is unknown (no answer, a crash) the studio
 * looks for the twin before it ever sends again, so one draft never makes two twins; and it adopts
 * only a twin it can prove is this draft's (its draft tag, or where the service shows no tags its
 * client id, names and creation time), else it asks the person, so it never takes another's.
 */
import { promises as fs } from 'node:fs';
import { approvalState, submissionRolesOf } from '../../../shared/approval';
import type { z } from 'zod';
import type { jobProgressSchema } from '../../../shared/contract/system';
import { type Submission, type SubmissionStep, type TwinCandidate, draftTagKey } from '../../../shared/contract/submission';
import type { Draft } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type Companion, type CreateTwinRequest, carriesTags, companionCreatedAtMs } from '../../../shared/napster';
import { twinRequestRules } from '../../../shared/requirements';
import { twinPersonSchema } from '../../../shared/twin';
import type { DraftStore } from '../drafts/draft-store';
import type { Logger } from '../log';
import type { NapsterClient } from '../napster/client';
import { NapsterError } from '../napster/errors';
import { sha256File } from '../files/hash';
import type { StorageService } from '../storage/storage-service';
import { type SubmissionRecord, type SubmissionRecordFile, type SubmissionStore, toView } from './submission-store';
import { isFailedStatus, isReadyStatus } from '../../../shared/napster';
import type { TwinUpdate, TwinWatcher } from './twin-watcher';
import { sleepUnlessAborted } from '../abortable-sleep';

export type SubmissionDeps = {
  drafts: DraftStore;
  store: SubmissionStore;
  storage: Pick<StorageService, 'target' | 'uploader' | 'checkPublic'>;
  client: Pick<NapsterClient, 'createTwin' | 'listTwins' | 'getCompanion'>;
  apiKey: { configured(): Promise<boolean> };
  watcher: TwinWatcher;
  log: Logger;
  /** Every change of a submission, for the renderer. */
  emit: (submission: Submission) => void;
  /** Upload progress as a job, like the media engine's. */
  emitJob?: (progress: JobProgress) => void;
  sandbox?: boolean;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pauses before each look for a twin whose create had no answer: the request may still be in flight. */
  reconcileDelaysMs?: number[];
  /** Create requests per run when each one's outcome stays unknown. */
  maxCreateAttempts?: number;
  /**
   * Test seam for crash injection at the two moments that matter: every file uploaded but no twin
   * requested yet, and the service's answer to the create received but not yet stored.
   */
  checkpoint?: (draftId: string, point: 'uploaded' | 'create-answered') => Promise<void> | void;
};

type JobProgress = z.infer<typeof jobProgressSchema>;
type JobProgressState = JobProgress['state'];

const roleLabels = { voice: 'voice', video: 'video', photo: 'photo' } as const;

function sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepUnlessAborted(ms, signal, () => new StudioError('CANCELLED', 'Cancelled.'));
}

/** Thrown by a step to stop the run with the record already saved as it should stay. */
class Stopped extends Error {}

/** Who a create request named. */
type SentAs = { firstName: string; lastName: string; externalClientId: string };

/**
 * What a look for the twin of an unanswered create found: a twin proven by its tag (and how), twins for
 * the person to choose from, or no tag proof, with the twins that match who the request named and
 * when (`matching`) and the same-named others that might still be it (`candidates`).
 */
type Lookup =
  | { kind: 'found'; twin: Companion; proof: string }
  | { kind: 'choose'; candidates: TwinCandidate[] }
  | { kind: 'none'; matching: Companion[]; candidates: TwinCandidate[] };

/** Listed twins fetched one by one to read their client id and creation time, per look at most. */
const maxDetailFetches = 10;

/** Names compare as a person would read them: case, accents' encoding and outer spaces aside. */
function sameName(a: string | null | undefined, b: string): boolean {
  return (a ?? '').normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}

function candidateOf(twin: Companion, reasons: string[]): TwinCandidate {
  const created = companionCreatedAtMs(twin);
  return {
    id: twin.id,
    firstName: twin.firstName ?? null,
    lastName: twin.lastName ?? null,
    externalClientId: twin.externalClientId ?? null,
    status: twin.status ?? null,
    createdAt: created === null ? null : new Date(created).toISOString(),
    reasons,
  };
}

export class SubmissionQueue {
  private readonly order: string[] = [];
  private running: { draftId: string; controller: AbortController } | null = null;
  private idle: Promise<void> = Promise.resolve();
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** One write at a time per draft: progress and status updates never interleave with a step's write. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SubmissionDeps) {
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? sleepAbortable;
    this.unsubscribe = deps.watcher.subscribe((update) => void this.onTwinUpdate(update));
  }

  /** Picks up what the last run left: queued and running submissions run again, created twins are followed. */
  async init(): Promise<void> {
    const records = await this.deps.store.all();
    const pending = records.filter((record) => record.state === 'queued' || record.state === 'running');
    pending.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    for (const record of pending) {
      if (record.state === 'running') {
        await this.save(record, { state: 'queued' }, record.step, 'The studio stopped during this step; continuing where it left off.');
      }
      this.order.push(record.draftId);
    }
    for (const record of records) {
      if (record.state === 'following' && record.twin) this.deps.watcher.watch(record.twin.id, { lastStatus: record.twin.status });
    }
    this.kick();
  }

  async get(draftId: string): Promise<Submission | null> {
    const record = await this.deps.store.get(draftId);
    return record ? toView(record) : null;
  }

  async list(): Promise<Submission[]> {
    const records = await this.deps.store.all();
    const rank = (record: SubmissionRecord) => {
      const queued = this.order.indexOf(record.draftId);
      if (this.running?.draftId === record.draftId) return -1;
      if (queued >= 0) return queued;
      return record.state === 'following' ? 10_000 : 20_000;
    };
    return records.sort((a, b) => rank(a) - rank(b) || b.updatedAt.localeCompare(a.updatedAt)).map(toView);
  }

  /** Queues an approved draft. Refuses at once, with the reason, what cannot succeed. */
  async start(draftId: string): Promise<Submission> {
    return this.locked(draftId, async () => {
      const existing = await this.deps.store.get(draftId);
      if (existing && (existing.state === 'queued' || existing.state === 'running' || existing.state === 'following')) return toView(existing);
      if (existing?.state === 'done') {
        throw new StudioError('CONFLICT', `This draft already has a twin (${existing.twin?.id ?? 'on the service'}). Make a new draft for another twin.`);
      }
      const draft = await this.deps.drafts.get(draftId);
      this.checkDraft(draft);
      if (!(await this.deps.apiKey.configured())) {
        throw new StudioError('UNAUTHORIZED', 'No API key is set. Add the key from the Napster dashboard under Settings → API key, then submit.');
      }
      await this.deps.storage.target();
      const record = existing ? this.reopen(existing, draft) : this.fresh(draft);
      const saved = await this.write(record, 'validate', existing ? 'Queued again.' : 'Queued.');
      if (!this.order.includes(draftId)) this.order.push(draftId);
      this.kick();
      return toView(saved);
    });
  }

  async retry(draftId: string): Promise<Submission> {
    const existing = await this.deps.store.get(draftId);
    if (!existing) throw new StudioError('NOT_FOUND', 'This draft has not been submitted yet.');
    if (existing.state !== 'failed' && existing.state !== 'cancelled' && existing.state !== 'needs-choice') return toView(existing);
    return this.start(draftId);
  }

  /**
   * The person's answer to `needs-choice`: `twinId`, one of the candidates, is this draft's twin and is
   * followed; null means none is, so a new twin is requested and those candidates are never adopted.
   * Errors: CONFLICT (nothing to choose), BAD_REQUEST (not a candidate), and the service's errors
   * fetching the chosen twin (NOT_FOUND when it is gone).
   */
  async choose(draftId: string, twinId: string | null): Promise<Submission> {
    const saved = await this.locked(draftId, async () => {
      const record = await this.deps.store.get(draftId);
      if (!record || record.state !== 'needs-choice') throw new StudioError('CONFLICT', 'This submission is not waiting for a choice of twin.');
      if (twinId === null) {
        const rejected = record.candidates.map((candidate) => candidate.id);
        const next = await this.save(
          record,
          {
            state: 'queued',
            candidates: [],
            previousTwinIds: [...new Set([...record.previousTwinIds, ...rejected])],
            create: { ...record.create, state: 'not-sent' },
            error: null,
          },
          'create',
          'You said none of the listed twins is this draft’s: requesting a new twin.',
        );
        if (!this.order.includes(draftId)) this.order.push(draftId);
        return next;
      }
      if (!record.candidates.some((candidate) => candidate.id === twinId)) {
        throw new StudioError('BAD_REQUEST', 'That twin is not one of those listed for this draft. Choose one of the listed twins.');
      }
      const twin = await this.deps.client.getCompanion(twinId);
      return this.adopt(record, twin, `You chose twin ${twin.id} as this draft’s twin.`);
    });
    if (saved.state === 'following' && saved.twin) this.deps.watcher.watch(saved.twin.id, { lastStatus: saved.twin.status });
    this.kick();
    return toView(saved);
  }

  /**
   * The way on after `CompanionV2NotEnabled`: the draft becomes a v1 twin made from one of its photos
   * (the person chose it; a still from the video is made by camera/photoFromVideo). Everything else
   * stays, uploads included; the approval no longer matches, so the draft is approved again first.
   * Errors: CONFLICT (its submission is under way or done), BAD_REQUEST (already v1), NOT_FOUND (no such photo).
   */
  async switchToV1(draftId: string, photoId: string): Promise<Draft> {
    return this.locked(draftId, async () => {
      const record = await this.deps.store.get(draftId);
      if (record && record.state !== 'failed' && record.state !== 'cancelled') {
        throw new StudioError('CONFLICT', 'This draft’s submission is under way or finished, so its twin’s model cannot change now.');
      }
      const draft = await this.deps.drafts.update(draftId, (current) => {
        if (current.person.avatarVersion !== 'v2') throw new StudioError('BAD_REQUEST', 'This draft already makes a v1 twin.');
        if (!current.camera.photos.some((photo) => photo.id === photoId)) throw new StudioError('NOT_FOUND', 'This photo no longer exists.');
        return { ...current, person: { ...current.person, avatarVersion: 'v1' }, camera: { ...current.camera, chosenPhotoId: photoId } };
      });
      this.deps.log.info('switched to v1 after v2 was refused', { draftId, photoId });
      if (record) {
        await this.save(
          record,
          {},
          record.step,
          'Switched to v1, made from the chosen photo. Prepare the files and approve again on the Review step, then submit again.',
        );
      }
      return draft;
    });
  }

  async cancel(draftId: string): Promise<Submission> {
    return this.locked(draftId, async () => {
      const record = await this.deps.store.get(draftId);
      if (!record) throw new StudioError('NOT_FOUND', 'This draft has not been submitted.');
      if (record.create.state !== 'not-sent' || record.state === 'following' || record.state === 'done') {
        throw new StudioError(
          'CONFLICT',
          'The twin has already been requested from the service, so the submission cannot be taken back here. Follow it on the Twins screen.',
        );
      }
      if (record.state !== 'queued' && record.state !== 'running') return toView(record);
      const index = this.order.indexOf(draftId);
      if (index >= 0) this.order.splice(index, 1);
      if (this.running?.draftId === draftId) this.running.controller.abort();
      return toView(
        await this.save(record, { state: 'cancelled', error: null }, record.step, 'Cancelled. Uploaded files are kept; submitting again continues from there.'),
      );
    });
  }

  /** Stops the queue (the record on disk says where each draft was; the next launch continues). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.unsubscribe();
    this.running?.controller.abort();
    await this.idle.catch(() => undefined);
  }

  private checkDraft(draft: Draft): void {
    const state = approvalState(draft);
    if (state === 'none') throw new StudioError('CONFLICT', 'This draft is not approved yet. Approve it on the Review step first.');
    if (state === 'stale') throw new StudioError('CONFLICT', 'The draft changed after it was approved. Review and approve it again first.');
    const person = twinPersonSchema.safeParse(draft.person);
    if (!person.success)
      throw new StudioError('BAD_REQUEST', `The person's details are incomplete: ${person.error.issues[0]?.message ?? 'check the Person step'}.`);
    const roles = submissionRolesOf(draft);
    const files = draft.approval?.files ?? [];
    const missing = roles.filter((role) => !files.some((file) => file.role === role));
    if (missing.length)
      throw new StudioError('CONFLICT', `The approval holds no prepared ${missing.join(' or ')} file. Prepare the files and approve again on the Review step.`);
    const userTags = Object.keys(draft.person.tags).filter((key) => key !== draftTagKey);
    if (userTags.length >= twinRequestRules.maxTags) {
      throw new StudioError(
        'BAD_REQUEST',
        `A twin takes at most ${twinRequestRules.maxTags} tags and the studio adds one of its own (the draft id): remove a tag on the Person step.`,
      );
    }
  }

  private fresh(draft: Draft): SubmissionRecord {
    const stamp = this.now().toISOString();
    return {
      draftId: draft.id,
      state: 'queued',
      step: 'validate',
      queuedAt: stamp,
      updatedAt: stamp,
      files: this.filesOf(draft),
      create: { state: 'not-sent', attempts: 0, lastSentAt: null, firstSentAt: null, sentAs: null, existingBefore: null },
      twin: null,
      previousTwinIds: [],
      candidates: [],
      error: null,
      history: [],
      sandbox: Boolean(this.deps.sandbox),
    };
  }

  /** A failed or cancelled submission again: uploads already verified are kept (same content, same key). */
  private reopen(record: SubmissionRecord, draft: Draft): SubmissionRecord {
    const files = this.filesOf(draft).map((file) => {
      const before = record.files.find((old) => old.role === file.role && old.sha256 === file.sha256);
      return before ?? file;
    });
    // A twin the service failed is left behind; the next create asks for a new one.
    const twinFailed = record.twin !== null && (isFailedStatus(record.twin.status) || record.error?.step === 'follow');
    return {
      ...record,
      state: 'queued',
      step: 'validate',
      queuedAt: this.now().toISOString(),
      files,
      error: null,
      candidates: [],
      create: twinFailed ? { state: 'not-sent', attempts: 0, lastSentAt: null, firstSentAt: null, sentAs: null, existingBefore: null } : record.create,
      previousTwinIds: twinFailed && record.twin ? [...record.previousTwinIds, record.twin.id] : record.previousTwinIds,
      twin: twinFailed ? null : record.twin,
    };
  }

  private filesOf(draft: Draft): SubmissionRecordFile[] {
    const roles = submissionRolesOf(draft);
    return (draft.approval?.files ?? [])
      .filter((file) => roles.includes(file.role))
      .map((file) => ({
        role: file.role,
        fileName: file.fileName,
        contentType: file.mimeType,
        bytes: file.bytes,
        sha256: file.sha256,
        sentBytes: 0,
        publicUrl: null,
        uploadedAt: null,
        verifiedAt: null,
        upload: null,
      }));
  }

  private kick(): void {
    if (this.closed || this.running || this.order.length === 0) return;
    const draftId = this.order.shift()!;
    const controller = new AbortController();
    this.running = { draftId, controller };
    this.idle = this.run(draftId, controller.signal)
      .catch((error: unknown) => this.deps.log.error('submission run crashed', { draftId, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.running = null;
        this.kick();
      });
  }

  private async run(draftId: string, signal: AbortSignal): Promise<void> {
    let record = await this.deps.store.get(draftId);
    if (!record || record.state !== 'queued') return;
    record = await this.save(record, { state: 'running' }, record.step, null);
    const log = this.deps.log.child(draftId);
    try {
      record = await this.validate(record);
      record = await this.prepare(record);
      record = await this.upload(record, signal);
      record = await this.create(record, signal);
      if (record.state === 'following' && record.twin) this.deps.watcher.watch(record.twin.id, { lastStatus: record.twin.status });
    } catch (error) {
      if (error instanceof Stopped) return;
      const latest = (await this.deps.store.get(draftId)) ?? record;
      if (latest.state === 'cancelled') return;
      if (signal.aborted && this.closed) {
        // Quitting: the record stays `running` and the next launch continues from its step.
        log.info('stopped by quitting; will continue on the next launch', { step: latest.step });
        return;
      }
      const failure =
        error instanceof StudioError
          ? error
          : new StudioError('INTERNAL', `Something went wrong (${error instanceof Error ? error.message : String(error)}). The details are in the log.`);
      log.warn('submission stopped', { step: latest.step, code: failure.code, message: failure.message });
      // A rate limit says when to come back: the studio does, unless the person acts first.
      const wait = failure.code === 'RATE_LIMITED' ? failure.retryAfterSeconds : undefined;
      if (wait !== undefined) {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            void this.retry(draftId).catch(() => undefined);
          },
          Math.ceil(wait * 1000) + 250,
        );
        timer.unref();
        this.timers.add(timer);
      }
      await this.save(
        latest,
        {
          state: 'failed',
          error: {
            code: failure.code,
            message: failure.message,
            step: latest.step,
            at: this.now().toISOString(),
            ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
            ...(failure.fields ? { fields: failure.fields } : {}),
            ...(failure instanceof NapsterError && failure.serviceCode ? { serviceCode: failure.serviceCode } : {}),
          },
        },
        latest.step,
        wait !== undefined ? `${failure.message} The studio tries again by itself then.` : failure.message,
      );
    }
  }

  private async validate(record: SubmissionRecord): Promise<SubmissionRecord> {
    if (record.step !== 'validate') return record;
    const draft = await this.deps.drafts.get(record.draftId);
    this.checkDraft(draft);
    return this.save(record, { files: this.reopen(record, draft).files }, 'prepare', 'Checked: approved, complete, and within the service’s rules.');
  }

  /** The files the review prepared and approved, checked again by hash: what was approved is what is sent. */
  private async prepare(record: SubmissionRecord): Promise<SubmissionRecord> {
    if (record.step !== 'prepare') return record;
    for (const file of record.files) {
      const path = this.deps.drafts.mediaFile(record.draftId, file.fileName);
      const stat = await fs.stat(path).catch(() => null);
      if (!stat) {
        throw new StudioError(
          'NOT_FOUND',
          `The prepared ${roleLabels[file.role]} file is gone from the draft folder. Prepare the files and approve again on the Review step.`,
        );
      }
      if (stat.size !== file.bytes || (await sha256File(path)).sha256 !== file.sha256) {
        throw new StudioError(
          'CONFLICT',
          `The prepared ${roleLabels[file.role]} file changed after the draft was approved. Prepare the files and approve again on the Review step.`,
        );
      }
    }
    const count = record.files.length;
    return this.save(record, {}, 'upload', count === 1 ? 'The approved file is intact.' : `The ${count} approved files are intact.`);
  }

  private async upload(record: SubmissionRecord, signal: AbortSignal): Promise<SubmissionRecord> {
    if (record.step !== 'upload') return record;
    const target = await this.deps.storage.target();
    const total = record.files.reduce((sum, file) => sum + file.bytes, 0);
    const jobId = `j_up${record.draftId.slice(2, 30)}`;
    const job = (state: JobProgressState, ratio: number | null, message: string | null) =>
      this.deps.emitJob?.({ jobId, kind: 'upload', label: 'Uploading media', ratio, state, message });
    let current = record;
    for (let index = 0; index < current.files.length; index++) {
      const file = current.files[index]!;
      if (file.verifiedAt) continue;
      const done = () => current.files.filter((other, at) => at !== index && other.verifiedAt).reduce((sum, other) => sum + other.bytes, 0);
      let lastEmit = 0;
      const result = await this.deps.storage.uploader.upload(
        {
          file: this.deps.drafts.mediaFile(current.draftId, file.fileName),
          size: file.bytes,
          sha256: file.sha256,
          contentType: file.contentType,
          fileName: file.fileName,
        },
        target,
        {
          signal,
          state: file.upload,
          saveState: async (state) => {
            current = await this.updateFile(current, index, { upload: state });
          },
          onProgress: (sent) => {
            const at = Date.now();
            if (at - lastEmit < 250 && sent < file.bytes) return;
            lastEmit = at;
            current = { ...current, files: current.files.map((other, position) => (position === index ? { ...other, sentBytes: sent } : other)) };
            this.deps.emit(toView(current));
            job('running', total ? (done() + sent) / total : null, `${roleLabels[file.role]} file`);
          },
        },
      );
      current = await this.updateFile(current, index, {
        publicUrl: result.publicUrl,
        uploadedAt: this.now().toISOString(),
        sentBytes: file.bytes,
        upload: null,
      });
      // Exactly as the service will fetch it, hours from now: anonymously, over HTTPS.
      await this.deps.storage.checkPublic(result.publicUrl, file.bytes, file.contentType, signal);
      current = await this.updateFile(current, index, { verifiedAt: this.now().toISOString() });
      current = await this.save(
        current,
        {},
        'upload',
        `${roleLabels[file.role]} file ${result.skipped ? 'was already uploaded' : 'uploaded'} and publicly readable.`,
      );
    }
    job('done', 1, null);
    current = await this.save(current, {}, 'create', 'Every file is uploaded and publicly readable.');
    await this.deps.checkpoint?.(current.draftId, 'uploaded');
    return current;
  }

  private async create(record: SubmissionRecord, signal: AbortSignal): Promise<SubmissionRecord> {
    if (record.step !== 'create') return record;
    let current = record;
    const maxAttempts = this.deps.maxCreateAttempts ?? 3;
    for (let attemptsThisRun = 0; ;) {
      if (current.create.state === 'sending' || current.create.state === 'uncertain') {
        // A request went out and its answer was never stored: the twin may exist. Look before sending again.
        const look = await this.findTwin(current, signal);
        if (look.kind === 'found') return this.adopt(current, look.twin, `Found the twin the earlier request created (${look.proof}); not requesting another.`);
        if (look.kind === 'choose') {
          await this.save(
            current,
            { state: 'needs-choice', candidates: look.candidates, error: null },
            'create',
            'The service did not answer the twin request, and its list of twins cannot prove which twin (if any) that request made. Choose this draft’s twin below, or request a new one.',
          );
          throw new Stopped();
        }
        current = await this.save(
          current,
          { create: { ...current.create, state: 'not-sent' } },
          'create',
          'No twin from the earlier request exists; requesting it again.',
        );
      }
      if (attemptsThisRun >= maxAttempts) {
        throw new StudioError(
          'NETWORK',
          'The service did not answer the twin request. Nothing was created twice: submit again to look for the twin and, if there is none, request it again.',
        );
      }
      attemptsThisRun += 1;
      const draft = await this.deps.drafts.get(current.draftId);
      // The draft may have changed (and lost its approval) while the files were uploading.
      this.checkDraft(draft);
      const request = this.requestOf(draft, current);
      const sentAs = { firstName: request.firstName, lastName: request.lastName, externalClientId: request.externalClientId };
      // Before the first request: the twins of this name that already exist cannot be what it makes.
      const existingBefore = current.create.firstSentAt === null ? await this.sameNamedTwinIds(sentAs, signal) : current.create.existingBefore;
      const sentAt = this.now().toISOString();
      // Recorded before it is sent: a crash from here on is followed by a look for the twin.
      current = await this.save(
        current,
        {
          create: {
            state: 'sending',
            attempts: current.create.attempts + 1,
            lastSentAt: sentAt,
            firstSentAt: current.create.firstSentAt ?? sentAt,
            sentAs,
            existingBefore,
          },
        },
        'create',
        'Requesting the twin.',
      );
      let companion: Companion;
      try {
        companion = await this.deps.client.createTwin(request, { signal });
      } catch (error) {
        if (
          error instanceof NapsterError &&
          (error.kind === 'outcome-unknown' || error.kind === 'server' || error.kind === 'timeout' || error.kind === 'cancelled')
        ) {
          current = await this.save(
            current,
            { create: { ...current.create, state: 'uncertain' } },
            'create',
            'No clear answer from the service; looking for the twin before asking again.',
          );
          if (error.kind === 'cancelled') throw error;
          continue;
        }
        // The service answered with a refusal: nothing was created. When this was the first request, none
        // is in flight either, so the next one is a first request again (with its own time and listing).
        const first = current.create.firstSentAt === current.create.lastSentAt;
        await this.save(
          current,
          { create: { ...current.create, state: 'not-sent', ...(first ? { firstSentAt: null, existingBefore: null } : {}) } },
          'create',
          null,
        );
        throw error;
      }
      await this.deps.checkpoint?.(current.draftId, 'create-answered');
      return this.adopt(current, companion, `Twin ${companion.id} requested.`);
    }
  }

  /** The create request: the media are those of the draft's roles, so a v2 made from a photo sends `pictureUrl` and no `videoUrl`. */
  private requestOf(draft: Draft, record: SubmissionRecord): CreateTwinRequest {
    const person = twinPersonSchema.parse(draft.person);
    const roles = submissionRolesOf(draft);
    const url = (role: 'voice' | 'video' | 'photo') =>
      roles.includes(role) ? (record.files.find((file) => file.role === role)?.publicUrl ?? undefined) : undefined;
    return {
      firstName: person.firstName,
      lastName: person.lastName,
      description: person.description,
      gender: person.gender,
      ethnicity: person.ethnicity,
      externalClientId: person.externalClientId,
      version: person.avatarVersion,
      voiceUrl: url('voice'),
      pictureUrl: url('photo'),
      videoUrl: url('video'),
      tags: { ...person.tags, [draftTagKey]: draft.id },
    };
  }

  /**
   * The twin an earlier, unanswered request for this draft made, if it can be proven; looked for a few
   * times, as the request may still be in flight. Proof is the draft tag with this draft's id. A twin
   * listed without tags (a service that does not echo them, nor perhaps filter by them) counts only
   * when its client id and first and last name are those the request sent and, when the service says
   * when it was made, not before the first request left (nor listed before it left), and it must be
   * the only such twin after the last look. Never a twin this draft gave up, nor one another draft of
   * this studio holds. Several matching, or none but some of the same name: `choose`, for the person.
   */
  private async findTwin(record: SubmissionRecord, signal: AbortSignal): Promise<Lookup> {
    const delays = this.deps.reconcileDelaysMs ?? [1_000, 4_000, 10_000];
    const excluded = new Set([...record.previousTwinIds, ...(await this.twinsOfOtherDrafts(record.draftId))]);
    const sentAs = record.create.sentAs ?? (await this.personOf(record.draftId));
    const sentAtText = record.create.firstSentAt ?? record.create.lastSentAt;
    const before = { at: sentAtText ? Date.parse(sentAtText) : Number.NaN, ids: new Set(record.create.existingBefore ?? []) };
    const details = new Map<string, Companion>();
    let last: Extract<Lookup, { kind: 'none' }> = { kind: 'none', matching: [], candidates: [] };
    for (const delay of [0, ...delays]) {
      if (delay) await this.sleep(delay, signal);
      const look = await this.lookOnce(record.draftId, sentAs, before, excluded, details, signal);
      if (look.kind !== 'none') return look;
      last = look;
    }
    // Matching who and when is weaker than a tag: it is decided only after the last look, so that a
    // twin someone else made meanwhile is not taken while this request's own is still on its way.
    if (last.matching.length === 1) {
      const twin = last.matching[0]!;
      return {
        kind: 'found',
        twin,
        proof: companionCreatedAtMs(twin) !== null ? 'same client id and name, made after the request was sent' : 'same client id and name',
      };
    }
    if (last.matching.length > 1) {
      const several = last.matching.map((twin) =>
        candidateOf(twin, ['Its client id and name match, but so do another twin’s: the service does not say which one this request made.']),
      );
      return { kind: 'choose', candidates: [...several, ...last.candidates] };
    }
    // Twins of the same name that cannot be proven this draft's: the person decides, the studio neither adopts nor asks again.
    return last.candidates.length > 0 ? { kind: 'choose', candidates: last.candidates } : last;
  }

  private async lookOnce(
    draftId: string,
    sentAs: SentAs | null,
    before: { at: number; ids: Set<string> },
    excluded: Set<string>,
    details: Map<string, Companion>,
    signal: AbortSignal,
  ): Promise<Lookup> {
    const page = await this.deps.client.listTwins({ tags: { [draftTagKey]: draftId }, pageSize: 100 }, { signal });
    const tagged = page.items.find((item) => !excluded.has(item.id) && item.tags?.[draftTagKey] === draftId);
    if (tagged) return { kind: 'found', twin: tagged, proof: 'by its draft tag' };
    // Every twin listed carries tags and none is this draft's: the service filters and shows them.
    if (!page.items.some((item) => !carriesTags(item)) || !sentAs) return { kind: 'none', matching: [], candidates: [] };
    // The service shows no tags, so it may not have filtered by them either: look by name as well.
    const byName = await this.deps.client.listTwins(this.byNameQuery(sentAs), { signal });
    const seen = new Set<string>();
    const sameNamed = [...page.items, ...byName.items].filter((item) => {
      if (seen.has(item.id) || excluded.has(item.id) || carriesTags(item)) return false;
      seen.add(item.id);
      return sameName(item.firstName, sentAs.firstName) && sameName(item.lastName, sentAs.lastName);
    });
    const proven: Companion[] = [];
    const candidates: TwinCandidate[] = [];
    for (const item of sameNamed.slice(0, maxDetailFetches)) {
      // The listing leaves out the client id and the creation time; the twin itself may say them.
      let twin = details.get(item.id);
      if (!twin) {
        twin = await this.deps.client.getCompanion(item.id, { signal });
        details.set(item.id, twin);
      }
      if (twin.tags?.[draftTagKey] === draftId) return { kind: 'found', twin, proof: 'by its draft tag' };
      // Tagged, but not with this draft: another's (every twin the studio makes carries its draft tag).
      if (carriesTags(twin)) continue;
      const reasons: string[] = [];
      if (!sameName(twin.firstName, sentAs.firstName) || !sameName(twin.lastName, sentAs.lastName)) {
        reasons.push(`Its name is ${twin.firstName ?? '?'} ${twin.lastName ?? '?'}, not ${sentAs.firstName} ${sentAs.lastName}.`);
      }
      if (!twin.externalClientId) reasons.push('The service does not say its client id.');
      else if (twin.externalClientId !== sentAs.externalClientId) reasons.push(`Its client id is ${twin.externalClientId}, not ${sentAs.externalClientId}.`);
      const created = companionCreatedAtMs(twin);
      // Strict: a clock that differs between this computer and the service makes the studio ask, never guess.
      if (created !== null && Number.isFinite(before.at) && created < before.at) reasons.push('It was made before this draft’s request was sent.');
      if (before.ids.has(twin.id)) reasons.push('It was already listed before this draft’s request was sent.');
      if (reasons.length === 0) proven.push(twin);
      else candidates.push(candidateOf(twin, reasons));
    }
    return { kind: 'none', matching: proven, candidates };
  }

  /** Twins of a name, looked up by last name (the broader search) and compared in full here. */
  private byNameQuery(sentAs: SentAs) {
    return { search: sentAs.lastName.trim(), pageSize: 100 };
  }

  /**
   * The ids of the twins of this name the service lists now, or null when the listing fails: the
   * request is not held up for it (the creation time, when the service gives one, still guards).
   */
  private async sameNamedTwinIds(sentAs: SentAs, signal: AbortSignal): Promise<string[] | null> {
    try {
      const page = await this.deps.client.listTwins(this.byNameQuery(sentAs), { signal });
      return page.items.filter((item) => sameName(item.firstName, sentAs.firstName) && sameName(item.lastName, sentAs.lastName)).map((item) => item.id);
    } catch (error) {
      if (signal.aborted) throw error;
      this.deps.log.warn('could not list the twins of this name before the request', { error: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  /** Twins other drafts of this studio hold (or held): never this draft's. */
  private async twinsOfOtherDrafts(draftId: string): Promise<string[]> {
    const records = await this.deps.store.all();
    return records.filter((other) => other.draftId !== draftId).flatMap((other) => [...(other.twin ? [other.twin.id] : []), ...other.previousTwinIds]);
  }

  /** Who the request named, for records written before the studio noted it: the draft's person now. */
  private async personOf(draftId: string): Promise<SentAs | null> {
    const draft = await this.deps.drafts.get(draftId).catch(() => null);
    const person = draft ? twinPersonSchema.safeParse(draft.person) : null;
    return person?.success ? { firstName: person.data.firstName, lastName: person.data.lastName, externalClientId: person.data.externalClientId } : null;
  }

  private async adopt(record: SubmissionRecord, companion: Companion, message: string): Promise<SubmissionRecord> {
    const status = companion.status ?? null;
    const ready = isReadyStatus(status);
    return this.save(
      record,
      {
        state: ready ? 'done' : 'following',
        create: { ...record.create, state: 'created' },
        twin: { id: companion.id, status, checkedAt: this.now().toISOString(), readyAt: ready ? this.now().toISOString() : null },
        candidates: [],
        error: null,
      },
      ready ? 'done' : 'follow',
      message,
    );
  }

  private async onTwinUpdate(update: TwinUpdate): Promise<void> {
    const records = await this.deps.store.all();
    const record = records.find((candidate) => candidate.twin?.id === update.id && candidate.state === 'following');
    if (!record) return;
    await this.locked(record.draftId, async () => {
      const latest = await this.deps.store.get(record.draftId);
      if (!latest?.twin || latest.twin.id !== update.id || latest.state !== 'following') return;
      const twin = { ...latest.twin, status: update.status, checkedAt: this.now().toISOString() };
      if (update.ready) {
        await this.save(
          latest,
          { state: 'done', twin: { ...twin, readyAt: this.now().toISOString() } },
          'done',
          `The twin is ${update.status}: it can be attached to an agent.`,
        );
      } else if (update.failed) {
        const message = update.gone
          ? 'The twin is gone from the service (deleted in the dashboard?). Submit again to request a new one.'
          : `The service could not make the twin (status ${update.status}). Check the material, then submit again to request a new twin.`;
        await this.save(
          latest,
          { state: 'failed', twin, error: { code: 'SERVICE', message, step: 'follow', at: this.now().toISOString() } },
          'follow',
          message,
        );
      } else if (update.changed) {
        await this.save(latest, { twin }, 'follow', `Status: ${update.status ?? 'unknown'}.`);
      }
    });
  }

  private async updateFile(record: SubmissionRecord, index: number, patch: Partial<SubmissionRecordFile>): Promise<SubmissionRecord> {
    const files = record.files.map((file, position) => (position === index ? { ...file, ...patch } : file));
    return this.write({ ...record, files }, record.step, null);
  }

  /** Applies a change, moves to `step`, notes `message` in the history, writes it, and tells the renderer. */
  private async save(record: SubmissionRecord, patch: Partial<SubmissionRecord>, step: SubmissionStep, message: string | null): Promise<SubmissionRecord> {
    // A cancel from the screen wins over a step finishing at the same moment.
    const onDisk = await this.deps.store.get(record.draftId);
    if (onDisk?.state === 'cancelled' && patch.state !== 'queued' && record.state !== 'cancelled' && patch.state !== 'cancelled') throw new Stopped();
    return this.write({ ...record, ...patch }, step, message);
  }

  private async write(record: SubmissionRecord, step: SubmissionStep, message: string | null): Promise<SubmissionRecord> {
    const history = message ? [...record.history, { at: this.now().toISOString(), step, message }] : record.history;
    const saved = await this.deps.store.put({ ...record, step, history });
    this.deps.emit(toView(saved));
    return saved;
  }

  private locked<T>(draftId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(draftId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(draftId, settled);
    void settled.then(() => {
      if (this.locks.get(draftId) === settled) this.locks.delete(draftId);
    });
    return next;
  }
}
