/**
 * Takes in the main process: a recording arrives chunk by chunk and is appended to its file in the
 * draft folder as it comes (so a crash loses at most a chunk), then is repaired, probed and checked;
 * an import streams the same way but joins the draft only once its content is accepted. Takes cut
 * short by a crash are repaired at start-up and offered back as `recovered`.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../../shared/audio-analysis';
import { type TakeKind, takeStreaming } from '../../../shared/contract/takes';
import type { CheckResult, Draft, Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import type { MediaInfo, MediaTrim } from '../../../shared/media';
import { voiceRules } from '../../../shared/requirements';
import { type DraftStore, newId } from '../drafts/draft-store';
import { fileSystemError } from '../files/atomic-write';
import type { Logger } from '../log';
import type { MediaEngine } from '../media/engine';
import { voiceFormatOfContainer } from '../media/voice-formats';
import { type TakeChecker, voiceTakeChecker } from './take-checker';

export type { TakeKind };
export type TakeSource = 'recorded' | 'imported';

export type TakeServiceOptions = {
  drafts: DraftStore;
  engine: MediaEngine;
  log: Logger;
  /** How each kind is judged; voice is built in, video comes from the camera service. */
  checkers?: Partial<Record<TakeKind, TakeChecker>>;
  /** Milliseconds clock, for staleness and periodic fsync; tests pass a fake. */
  now?: () => number;
  /** How often chunks are forced to disk while a take is recorded. */
  syncEveryMs?: number;
};

type Session = {
  draftId: string;
  takeId: string;
  kind: TakeKind;
  source: TakeSource;
  mimeType: string;
  originalName: string | null;
  /** The file being written: the raw recording in the draft folder, or an import's staging file. */
  file: string;
  handle: FileHandle;
  nextSeq: number;
  bytes: number;
  lastActivity: number;
  lastSync: number;
  /** Appends run one after another, in arrival order. */
  queue: Promise<unknown>;
  closed: boolean;
};

/** PCM of the take analysed last, so moving the trim does not decode the file again. */
type PcmCache = { file: string; mtimeMs: number; samples: Float32Array; sampleRate: number };

/** Analysis runs at the file's own rate up to this: enough for clipping, half the memory of 96 kHz. */
const maxAnalysisRate = 48000;

const importPrefix = '.import-';

/** Containers a recorder hands us, by the MIME type it announces. */
function recordingExtension(mimeType: string): 'webm' | 'mp4' | 'ogg' {
  const type = mimeType.toLowerCase();
  if (type.includes('mp4')) return 'mp4';
  if (type.includes('ogg')) return 'ogg';
  return 'webm';
}

const containerMime: Record<string, string> = {
  webm: 'audio/webm',
  mp4: 'audio/mp4',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
};

function takesOf(draft: Draft, kind: TakeKind): Take[] {
  switch (kind) {
    case 'voice':
      return draft.voice.takes;
    case 'video':
      return draft.camera.videoTakes;
  }
}

/** The draft with `kind`'s takes replaced, and its chosen take too when `chosen` is given. */
function withTakes(draft: Draft, kind: TakeKind, takes: Take[], chosen?: string | null): Draft {
  switch (kind) {
    case 'voice':
      return { ...draft, voice: { takes, chosenTakeId: chosen === undefined ? draft.voice.chosenTakeId : chosen } };
    case 'video':
      return {
        ...draft,
        camera: { ...draft.camera, videoTakes: takes, chosenVideoTakeId: chosen === undefined ? draft.camera.chosenVideoTakeId : chosen },
      };
  }
}

function chosenOf(draft: Draft, kind: TakeKind): string | null {
  return kind === 'voice' ? draft.voice.chosenTakeId : draft.camera.chosenVideoTakeId;
}

function findTake(draft: Draft, takeId: string): { kind: TakeKind; take: Take } | null {
  const voice = draft.voice.takes.find((item) => item.id === takeId);
  if (voice) return { kind: 'voice', take: voice };
  const video = draft.camera.videoTakes.find((item) => item.id === takeId);
  return video ? { kind: 'video', take: video } : null;
}

/** Containers an import of each kind may be, by content; the file keeps the container's extension. */
const importable: Record<TakeKind, (info: MediaInfo) => string | null> = {
  voice: (info) => (info.audio ? voiceFormatOfContainer(info.container) : null),
  video: (info) => (info.video && (info.container === 'mp4' || info.container === 'webm' || info.container === 'mov') ? info.container : null),
};

const importNames: Record<TakeKind, string> = {
  voice: voiceRules.formats.join(', '),
  video: 'mp4, webm, mov',
};

function unreadableCheck(message: string): CheckResult {
  return { id: 'readable', label: 'Readable', verdict: 'fail', reason: message, value: null };
}

export class TakeService {
  private readonly drafts: DraftStore;
  private readonly engine: MediaEngine;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly syncEveryMs: number;
  private readonly checkers: Partial<Record<TakeKind, TakeChecker>>;
  private readonly sessions = new Map<string, Session>();
  private pcm: PcmCache | null = null;
  /** Repairs under way, so start-up recovery and a window's own recover call never repair one take twice. */
  private readonly repairs = new Map<string, Promise<Take>>();

  constructor(options: TakeServiceOptions) {
    this.drafts = options.drafts;
    this.engine = options.engine;
    this.log = options.log;
    this.now = options.now ?? (() => Date.now());
    this.syncEveryMs = options.syncEveryMs ?? 2000;
    this.checkers = { voice: voiceTakeChecker, ...options.checkers };
  }

  // ---- recording and importing ----------------------------------------------------------------

  async begin(input: {
    draftId: string;
    kind: TakeKind;
    source: TakeSource;
    mimeType: string;
    originalName?: string;
    expectedBytes?: number;
  }): Promise<Take> {
    const draft = await this.drafts.get(input.draftId);
    if (!this.checkers[input.kind]) throw new StudioError('NOT_AVAILABLE', `This studio cannot take ${input.kind} recordings.`);
    if (input.expectedBytes !== undefined && input.expectedBytes > takeStreaming.maxTakeBytes) {
      throw new StudioError(
        'MEDIA',
        `This file is ${formatBytes(input.expectedBytes)}: far larger than any ${voiceRules.maxSeconds}-second recording. Import a shorter or compressed recording.`,
      );
    }
    const takeId = newId('t');
    const take: Take = {
      id: takeId,
      kind: input.kind,
      source: input.source,
      // An import's name is settled by its content in acceptImport; until then it only has a placeholder.
      fileName: `${input.kind}-${takeId}.rec.${input.source === 'recorded' ? recordingExtension(input.mimeType) : 'webm'}`,
      mimeType: input.mimeType,
      createdAt: new Date().toISOString(),
      state: 'recording',
      durationMs: null,
      bytes: 0,
      trim: null,
      checks: [],
      originalName: input.originalName ?? null,
    };
    const file =
      input.source === 'recorded'
        ? this.drafts.mediaFile(draft.id, take.fileName)
        : path.join(this.drafts.folder(draft.id), `${importPrefix}${takeId}.part`);
    let handle: FileHandle;
    try {
      handle = await fs.open(file, 'wx', 0o600);
    } catch (error) {
      throw fileSystemError(error, 'start a file for the take');
    }
    if (input.source === 'recorded') {
      try {
        await this.drafts.update(draft.id, (current) => withTakes(current, input.kind, [...takesOf(current, input.kind), take]));
      } catch (error) {
        await handle.close();
        await fs.rm(file, { force: true });
        throw error;
      }
    }
    const stamp = this.now();
    this.sessions.set(takeId, {
      draftId: draft.id,
      takeId,
      kind: input.kind,
      source: input.source,
      mimeType: input.mimeType,
      originalName: input.originalName ?? null,
      file,
      handle,
      nextSeq: 0,
      bytes: 0,
      lastActivity: stamp,
      lastSync: stamp,
      queue: Promise.resolve(),
      closed: false,
    });
    this.log.info('take started', { draftId: draft.id, takeId, source: input.source, mimeType: input.mimeType });
    return take;
  }

  async append(draftId: string, takeId: string, seq: number, bytes: Uint8Array): Promise<{ nextSeq: number; bytes: number }> {
    const session = this.session(draftId, takeId);
    const work = session.queue.then(async () => {
      if (session.closed) throw new StudioError('CONFLICT', 'This take has already ended.');
      session.lastActivity = this.now();
      // A retry of a chunk that did arrive (its answer got lost): already on disk, nothing to do.
      if (seq < session.nextSeq) return { nextSeq: session.nextSeq, bytes: session.bytes };
      if (seq > session.nextSeq) {
        throw new StudioError('CONFLICT', `Piece ${seq} of the take arrived before piece ${session.nextSeq}: part of the recording went missing.`);
      }
      if (session.bytes + bytes.byteLength > takeStreaming.maxTakeBytes) {
        throw new StudioError('MEDIA', `The take has grown beyond ${formatBytes(takeStreaming.maxTakeBytes)}; it was stopped there.`);
      }
      try {
        let written = 0;
        while (written < bytes.byteLength) {
          const result = await session.handle.write(bytes, written, bytes.byteLength - written, session.bytes + written);
          written += result.bytesWritten;
        }
        if (this.now() - session.lastSync >= this.syncEveryMs) {
          await session.handle.datasync();
          session.lastSync = this.now();
        }
      } catch (error) {
        throw fileSystemError(error, 'save the recording');
      }
      session.nextSeq++;
      session.bytes += bytes.byteLength;
      return { nextSeq: session.nextSeq, bytes: session.bytes };
    });
    session.queue = work.catch(() => undefined);
    return work;
  }

  async finish(draftId: string, takeId: string, recordedMs?: number): Promise<Take> {
    const session = this.sessions.get(takeId);
    if (!session || session.draftId !== draftId) {
      // No session in this process: the take was interrupted (or already finished).
      const draft = await this.drafts.get(draftId);
      const found = findTake(draft, takeId);
      if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
      if (found.take.state !== 'recording') return found.take;
      return this.repair(draftId, found.take, 'recovered');
    }
    await this.closeSession(session);
    if (session.source === 'imported') return this.acceptImport(session);
    const draft = await this.drafts.get(draftId);
    const found = findTake(draft, takeId);
    if (!found) throw new StudioError('NOT_FOUND', 'This take was discarded while it was being saved.');
    if (session.bytes === 0) {
      await this.removeTake(draftId, takeId);
      throw new StudioError('MEDIA', 'Nothing was recorded: the microphone delivered no sound before the take ended.');
    }
    this.log.info('take finished', { draftId, takeId, bytes: session.bytes, recordedMs });
    return this.repair(draftId, found.take, 'complete');
  }

  async discard(draftId: string, takeId: string): Promise<void> {
    const session = this.sessions.get(takeId);
    if (session && session.draftId === draftId) {
      await this.closeSession(session);
      if (session.source === 'imported') {
        await fs.rm(session.file, { force: true });
        return;
      }
    }
    const removed = await this.removeTake(draftId, takeId);
    if (!removed) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    this.log.info('take discarded', { draftId, takeId });
  }

  async choose(draftId: string, takeId: string): Promise<string> {
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
      if (found.take.state === 'recording') throw new StudioError('CONFLICT', 'A take can be chosen once it has been saved.');
      if (!found.take.durationMs) throw new StudioError('MEDIA', 'This take could not be read, so it cannot be used.');
      return withTakes(draft, found.kind, takesOf(draft, found.kind), takeId);
    });
    return takeId;
  }

  async trim(draftId: string, takeId: string, trim: MediaTrim | null): Promise<Take> {
    const draft = await this.drafts.get(draftId);
    const found = findTake(draft, takeId);
    if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    const { take } = found;
    if (take.state === 'recording' || !take.durationMs) throw new StudioError('CONFLICT', 'This take cannot be trimmed until it has been saved and read.');
    let range: MediaTrim | null = null;
    if (trim) {
      // A region dragged to the very end may overshoot the duration by a frame: clamp, do not refuse.
      const endMs = Math.min(trim.endMs, take.durationMs);
      if (trim.startMs >= endMs) throw new StudioError('BAD_REQUEST', 'The trim range lies outside the take.');
      range = trim.startMs === 0 && endMs === take.durationMs ? null : { startMs: trim.startMs, endMs };
    }
    const file = this.drafts.mediaFile(draftId, take.fileName);
    const checks = await this.check(found.kind, file, take.durationMs, range, take.checks);
    return this.updateTake(draftId, takeId, (current) => ({ ...current, trim: range, checks }));
  }

  async keep(draftId: string, takeId: string): Promise<Take> {
    return this.updateTake(draftId, takeId, (take) => {
      if (take.state !== 'recovered') return take;
      if (!take.durationMs) throw new StudioError('MEDIA', 'This take could not be repaired; discard it.');
      return { ...take, state: 'complete' };
    });
  }

  // ---- recovery ------------------------------------------------------------------------------

  /** Repairs the draft's takes that stopped receiving chunks: their recorder is gone. */
  async recover(draftId: string): Promise<Take[]> {
    const draft = await this.drafts.get(draftId);
    const recovered: Take[] = [];
    for (const take of [...draft.voice.takes, ...draft.camera.videoTakes]) {
      if (take.state !== 'recording') continue;
      const session = this.sessions.get(take.id);
      if (session && this.now() - session.lastActivity < takeStreaming.staleAfterMs) continue;
      if (session) await this.closeSession(session);
      const repaired = await this.repair(draftId, take, 'recovered').catch((error: unknown) => {
        this.log.warn('could not recover a take', { draftId, takeId: take.id, error: String(error) });
        return null;
      });
      if (repaired) recovered.push(repaired);
    }
    return recovered;
  }

  /** At start-up: every take still `recording` was cut short by the last run ending. */
  async recoverAll(): Promise<number> {
    let count = 0;
    const { drafts } = await this.drafts.list();
    for (const summary of drafts) {
      await this.removeStaleImports(summary.id);
      count += (await this.recover(summary.id).catch(() => [])).length;
    }
    if (count > 0) this.log.info('recovered interrupted takes', { count });
    return count;
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await this.closeSession(session).catch(() => undefined);
    this.sessions.clear();
    this.pcm = null;
  }

  // ---- internals -----------------------------------------------------------------------------

  private session(draftId: string, takeId: string): Session {
    const session = this.sessions.get(takeId);
    if (!session || session.draftId !== draftId) {
      throw new StudioError('CONFLICT', 'This take is not being recorded any more (the studio may have restarted). What was saved so far is kept.');
    }
    return session;
  }

  private async closeSession(session: Session): Promise<void> {
    this.sessions.delete(session.takeId);
    await session.queue;
    if (session.closed) return;
    session.closed = true;
    try {
      await session.handle.sync();
    } finally {
      await session.handle.close();
    }
  }

  private async removeStaleImports(draftId: string): Promise<void> {
    const folder = this.drafts.folder(draftId);
    const names = await fs.readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(importPrefix) && !this.sessions.has(name.slice(importPrefix.length).replace(/\.part$/, ''))) {
        await fs.rm(path.join(folder, name), { force: true });
      }
    }
  }

  private repair(draftId: string, take: Take, state: 'complete' | 'recovered'): Promise<Take> {
    const running = this.repairs.get(take.id);
    if (running) return running;
    const work = this.repairNow(draftId, take, state).finally(() => this.repairs.delete(take.id));
    this.repairs.set(take.id, work);
    return work;
  }

  /** Remux the raw recording into its final file (a readable duration), then probe and check it. */
  private async repairNow(draftId: string, take: Take, state: 'complete' | 'recovered'): Promise<Take> {
    const raw = this.drafts.mediaFile(draftId, take.fileName);
    const finalName = take.fileName.replace(/\.rec\./, '.');
    const final = this.drafts.mediaFile(draftId, finalName);
    const size = await fs.stat(raw).then((stat) => stat.size, () => 0);
    if (size === 0) {
      await this.removeTake(draftId, take.id);
      throw new StudioError('MEDIA', 'Nothing of this take reached the disk, so there is nothing to recover.');
    }
    let info: MediaInfo;
    try {
      await this.engine.remux(raw, final);
      info = await this.engine.probe(final);
    } catch (error) {
      const message = error instanceof StudioError ? error.message : String(error);
      this.log.warn('could not repair a take', { draftId, takeId: take.id, message });
      return this.updateTake(draftId, take.id, (current) => ({
        ...current,
        state: 'recovered',
        bytes: size,
        checks: [unreadableCheck(`The recording could not be repaired: ${message}`)],
      }));
    }
    const kind = take.kind === 'video' ? 'video' : 'voice';
    const checks = await this.check(kind, final, info.durationMs ?? 0, take.trim, take.checks);
    const updated = await this.updateTake(draftId, take.id, (current) => ({
      ...current,
      fileName: finalName,
      mimeType: (current.kind === 'video' ? containerMime[info.container]?.replace('audio/', 'video/') : containerMime[info.container]) ?? current.mimeType,
      state,
      durationMs: info.durationMs,
      bytes: info.bytes,
      checks,
    }));
    if (final !== raw) await fs.rm(raw, { force: true });
    this.log.info(state === 'recovered' ? 'take recovered' : 'take saved', { draftId, takeId: take.id, durationMs: info.durationMs, bytes: info.bytes });
    return updated;
  }

  /** An import is accepted by its content: a readable audio file in an accepted format. */
  private async acceptImport(session: Session): Promise<Take> {
    const { draftId, takeId, file } = session;
    try {
      if (session.bytes === 0) throw new StudioError('MEDIA', 'This file is empty.');
      let info: MediaInfo;
      try {
        info = await this.engine.probe(file);
      } catch (error) {
        throw new StudioError(
          'MEDIA',
          `This file is not a recording the studio can read${error instanceof StudioError ? ` (${error.message.replace(/\.$/, '')})` : ''}. Import ${importNames[session.kind]}.`,
        );
      }
      const format = importable[session.kind](info);
      if (!format) {
        const what = session.kind === 'voice' && !info.audio ? 'no sound' : info.container;
        throw new StudioError('MEDIA', `This file holds ${what}, which the service does not accept. Import ${importNames[session.kind]}.`);
      }
      const durationMs = info.durationMs;
      if (!durationMs) throw new StudioError('MEDIA', 'This file holds no complete recording: it may be damaged.');
      const fileName = `${session.kind}-${takeId}.${format}`;
      const final = this.drafts.mediaFile(draftId, fileName);
      // Recorder-made WebM carries no duration: give it one, as for our own recordings.
      if (info.container === 'webm') await this.engine.remux(file, final);
      else await fs.rename(file, final);
      const checks = await this.check(session.kind, final, durationMs, null, []).catch(async (error: unknown) => {
        await fs.rm(final, { force: true });
        throw error;
      });
      const take: Take = {
        id: takeId,
        kind: session.kind,
        source: 'imported',
        fileName,
        mimeType: (session.kind === 'video' ? containerMime[info.container]?.replace('audio/', 'video/') : containerMime[info.container]) ?? 'application/octet-stream',
        createdAt: new Date().toISOString(),
        state: 'complete',
        durationMs,
        bytes: (await fs.stat(final)).size,
        trim: null,
        checks,
        originalName: session.originalName,
      };
      await this.drafts.update(draftId, (draft) => withTakes(draft, session.kind, [...takesOf(draft, session.kind), take]));
      this.log.info('take imported', { draftId, takeId, container: info.container, durationMs: info.durationMs });
      return take;
    } finally {
      await fs.rm(file, { force: true });
    }
  }

  /** The checks of a take's file, or of its trimmed range, by its kind's checker. */
  private async check(kind: TakeKind, file: string, durationMs: number, trim: MediaTrim | null, previous: readonly CheckResult[]): Promise<CheckResult[]> {
    const checker = this.checkers[kind];
    if (!checker) throw new StudioError('NOT_AVAILABLE', `This studio cannot check ${kind} takes.`);
    return checker({ file, durationMs, trim, previous, decode: () => this.decode(file) });
  }

  private async decode(file: string): Promise<{ samples: Float32Array; sampleRate: number }> {
    const stat = await fs.stat(file);
    if (this.pcm && this.pcm.file === file && this.pcm.mtimeMs === stat.mtimeMs) return this.pcm;
    const info = await this.engine.probe(file);
    const sampleRate = Math.min(maxAnalysisRate, info.audio?.sampleRate || maxAnalysisRate);
    const decoded = await this.engine.decodePcm(file, { sampleRate });
    if (decoded.samples.length === 0) throw new StudioError('MEDIA', 'This recording holds no sound.');
    this.pcm = { file, mtimeMs: stat.mtimeMs, samples: decoded.samples, sampleRate: decoded.sampleRate };
    return this.pcm;
  }

  private async updateTake(draftId: string, takeId: string, change: (take: Take) => Take): Promise<Take> {
    const result: { take?: Take } = {};
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
      const updated = change(found.take);
      result.take = updated;
      return withTakes(draft, found.kind, takesOf(draft, found.kind).map((take) => (take.id === takeId ? updated : take)));
    });
    if (!result.take) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    return result.take;
  }

  /** Removes a take from its draft and its files from disk; false when it was not there. */
  private async removeTake(draftId: string, takeId: string): Promise<boolean> {
    const removed: { take?: Take } = {};
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) return draft;
      removed.take = found.take;
      const chosen = chosenOf(draft, found.kind) === takeId ? null : undefined;
      return withTakes(draft, found.kind, takesOf(draft, found.kind).filter((take) => take.id !== takeId), chosen);
    });
    if (!removed.take) return false;
    const fileName = removed.take.fileName;
    for (const name of new Set([fileName, fileName.replace(/\.rec\./, '.')])) {
      await fs.rm(this.drafts.mediaFile(draftId, name), { force: true });
    }
    if (this.pcm?.file.includes(takeId)) this.pcm = null;
    return true;
  }
}
