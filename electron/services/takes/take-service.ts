/**
 * Takes of every kind (voice, video, consent) in the main process: a recording arrives chunk by
 * chunk through the one piece receiver and is appended to its file in the draft folder as it comes
 * (so a crash loses at most a chunk or two), then is repaired, probed and checked; an import streams
 * the same way but joins the draft only once its content is accepted. Takes cut short by a crash are
 * repaired at start-up and offered back as `recovered`. What differs between kinds is one entry of
 * take-kinds.ts and one checker.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../../../shared/audio-analysis';
import { type TakeKind, takeStreaming } from '../../../shared/contract/takes';
import type { CheckResult, Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type ExposureAnalysis, exposureCheckIds, exposureChecks } from '../../../shared/exposure';
import { type FaceRecord, faceCheckIds, faceTakeChecks } from '../../../shared/faces';
import { type MediaContainer, type MediaInfo, type MediaTrim, type VoiceMix, snapTrim } from '../../../shared/media';
import { voiceRules } from '../../../shared/requirements';
import { importRefusal, maxImportBytes } from '../../../shared/take-import';
import { type DraftStore, newId } from '../drafts/draft-store';
import { ChunkSink, sweepStaleChunks } from '../files/chunk-sink';
import type { Logger } from '../log';
import type { MediaEngine } from '../media/engine';
import { previewNames } from '../media/preview';
import { UndecodableMedia, UnreadableMedia } from '../media/probe';
import { type SourceChoice, dropKeptSoundOf, firstTrack, peaksPerSecond, scratchPrefix, tooLongForVoice } from '../media/voice-source';
import { LiveVoice } from './live-voice';
import { type CheckState, type TakeCheckOutcome, type TakeChecker, voiceTakeChecker } from './take-checker';
import { findTake, recordingExtension, takeKindTable, takeMimeType } from './take-kinds';

export type { TakeKind };
export type TakeSource = 'recorded' | 'imported';

export type TakeServiceOptions = {
  drafts: DraftStore;
  engine: MediaEngine;
  log: Logger;
  /** How each kind is judged; voice is built in, video and consent come from their features. */
  checkers?: Partial<Record<TakeKind, TakeChecker>>;
  /** Milliseconds clock, for staleness and the sync policy; tests pass a fake. */
  now?: () => number;
  /** How often chunks are forced to disk while a take is recorded (default: the piece receiver's policy). */
  syncEveryMs?: number;
};

/** What a finished recording brings that only the page could measure, live, while it was made. */
export type LiveMeasurements = { exposure?: ExposureAnalysis; faces?: FaceRecord };

type Session = {
  draftId: string;
  takeId: string;
  kind: TakeKind;
  source: TakeSource;
  originalName: string | null;
  /** The raw recording in the draft folder, or an import's staging file. */
  sink: ChunkSink;
  /** A voice recording's sound, measured as its pieces land (see live-voice.ts). */
  live: LiveVoice | null;
  /** The next piece the live measure expects: a piece sent again is written once and measured once. */
  liveSeq: number;
  /** Lets the media engine's quick worker go idle again; a recording keeps it loaded for its Stop. */
  releaseEngine: () => void;
};

const importPrefix = '.import-';

const exposureIds: readonly string[] = exposureCheckIds;
const faceIds: readonly string[] = faceCheckIds;

/** What a stored take is checked as, before any change a call makes to it. */
function checkedAs(take: Take): CheckState {
  return {
    durationMs: take.durationMs ?? 0,
    trim: take.trim,
    previous: take.checks,
    voiceSource: take.voiceSource ?? null,
    headerDurationMs: take.headerDurationMs ?? null,
  };
}

function unreadableCheck(message: string): CheckResult {
  return { id: 'readable', label: 'Readable', verdict: 'fail', reason: message, value: null };
}

export class TakeService {
  private readonly drafts: DraftStore;
  private readonly engine: MediaEngine;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly syncEveryMs: number | undefined;
  private readonly checkers: Partial<Record<TakeKind, TakeChecker>>;
  private readonly sessions = new Map<string, Session>();
  /** Peaks of the take drawn last, by file version and sound. */
  private drawn: { key: string; peaks: Uint8Array<ArrayBuffer> } | null = null;
  /** Repairs under way, so start-up recovery and a window's own recover call never repair one take twice. */
  private readonly repairs = new Map<string, Promise<Take>>();
  /** Imports being read and checked after their last piece, by take id: `discard` stops them. */
  private readonly accepting = new Map<string, AbortController>();
  /** Voice recordings measured as they arrived, by the file of the finished take, while it is saved. */
  private readonly liveByFile = new Map<string, LiveVoice>();

  constructor(options: TakeServiceOptions) {
    this.drafts = options.drafts;
    this.engine = options.engine;
    this.log = options.log;
    this.now = options.now ?? (() => Date.now());
    this.syncEveryMs = options.syncEveryMs;
    this.checkers = { voice: voiceTakeChecker, ...options.checkers };
  }

  // ---- recording and importing ----------------------------------------------------------------

  async begin(input: { draftId: string; kind: TakeKind; source: TakeSource; mimeType: string; originalName?: string; expectedBytes?: number }): Promise<Take> {
    const entry = takeKindTable[input.kind];
    const draft = await this.drafts.get(input.draftId);
    if (!this.checkers[input.kind]) throw new StudioError('NOT_AVAILABLE', `This studio cannot take ${input.kind} recordings.`);
    if (input.source === 'imported' && !entry.importable) throw new StudioError('BAD_REQUEST', `${capitalise(entry.noun)} can only be recorded, not imported.`);
    const maxBytes = input.source === 'imported' && input.kind !== 'consent' ? maxImportBytes(input.kind) : takeStreaming.maxTakeBytes;
    if (input.expectedBytes !== undefined && input.expectedBytes > maxBytes) {
      throw new StudioError(
        'MEDIA',
        `This file is ${formatBytes(input.expectedBytes)}: far larger than any ${voiceRules.maxSeconds}-second recording. Import a shorter or compressed recording.`,
      );
    }
    if (input.source === 'imported' && input.originalName && input.kind !== 'consent') {
      // The page checks the name before sending; a caller that did not is told the same, before any byte.
      const refusal = importRefusal(input.kind, input.originalName, input.expectedBytes ?? 1);
      if (refusal) throw new StudioError('MEDIA', refusal);
    }
    if (input.kind === 'consent' && (!draft.person.firstName.trim() || !draft.person.lastName.trim() || !draft.consent.code)) {
      throw new StudioError(
        'CONFLICT',
        'Enter the person’s first and last name and open the review first: the consent statement names them and carries the draft’s code.',
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
      input.source === 'recorded' ? this.drafts.mediaFile(draft.id, take.fileName) : path.join(this.drafts.folder(draft.id), `${importPrefix}${takeId}.part`);
    const sink = await ChunkSink.open(file, {
      what: entry.noun,
      maxBytes,
      expectedBytes: input.source === 'imported' ? input.expectedBytes : undefined,
      now: this.now,
      syncEveryMs: this.syncEveryMs,
    });
    if (input.source === 'recorded') {
      try {
        await this.drafts.update(draft.id, (current) => {
          // A take of a single kind left `recording` by an earlier run is replaced: its file goes below.
          const kept = entry.shelf.single ? entry.shelf.list(current).filter((item) => item.state === 'complete') : entry.shelf.list(current);
          const begun = entry.begun ? entry.begun(current) : current;
          return entry.shelf.put(begun, [...kept, take]);
        });
      } catch (error) {
        await sink.discard();
        throw error;
      }
    }
    // A voice recording is measured as it arrives, so that its checks are ready at Stop.
    const live = input.source === 'recorded' && input.kind === 'voice' ? new LiveVoice(this.log) : null;
    this.sessions.set(takeId, {
      draftId: draft.id,
      takeId,
      kind: input.kind,
      source: input.source,
      originalName: input.originalName ?? null,
      sink,
      live,
      liveSeq: 0,
      releaseEngine: input.source === 'recorded' ? this.engine.keepQuickReady() : () => undefined,
    });
    this.log.info('take started', { draftId: draft.id, takeId, kind: input.kind, source: input.source, mimeType: input.mimeType });
    return take;
  }

  async append(draftId: string, takeId: string, seq: number, bytes: Uint8Array): Promise<{ nextSeq: number; bytes: number }> {
    const session = this.session(draftId, takeId);
    const progress = await session.sink.append(seq, bytes);
    if (session.live && seq === session.liveSeq) {
      session.liveSeq++;
      session.live.push(bytes);
    }
    return progress;
  }

  /**
   * Ends a take and returns it judged: repaired (a recording gets a readable duration), probed and
   * checked by its kind's checker, with what the page measured live (`live.exposure`, the light of a
   * video take; `live.faces`, the faces seen second by second) kept as checks of its own. An import is accepted or refused by its content here.
   */
  async finish(draftId: string, takeId: string, recordedMs?: number, live: LiveMeasurements = {}): Promise<Take> {
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
    if (!found || session.sink.bytes === 0) session.live?.stop();
    if (!found) throw new StudioError('NOT_FOUND', 'This take was discarded while it was being saved.');
    if (session.sink.bytes === 0) {
      await this.removeTake(draftId, takeId);
      throw new StudioError('MEDIA', 'Nothing was recorded: no sound or picture arrived before the take ended.');
    }
    this.log.info('take finished', { draftId, takeId, kind: session.kind, bytes: session.sink.bytes, recordedMs });
    // The checker carries the take's earlier checks it cannot measure from the file (the light) over.
    // The faces are judged for a video (the avatar's footage); a consent take keeps them for "same person".
    const liveChecks = [...(live.exposure ? exposureChecks(live.exposure) : []), ...(live.faces && session.kind === 'video' ? faceTakeChecks(live.faces) : [])];
    const checks = [...found.take.checks.filter((item) => !exposureIds.includes(item.id) && !faceIds.includes(item.id)), ...liveChecks];
    const finalFile = this.drafts.mediaFile(draftId, found.take.fileName.replace(/\.rec\./, '.'));
    const liveVoice = session.live;
    if (liveVoice) this.liveByFile.set(finalFile, liveVoice);
    let saved: Take;
    try {
      saved = await this.repair(draftId, { ...found.take, checks, faces: live.faces ?? found.take.faces }, 'complete');
    } finally {
      if (this.liveByFile.get(finalFile) === liveVoice) this.liveByFile.delete(finalFile);
      // Its answer, if the checks asked for it, is kept; a repair that failed never asked.
      liveVoice?.stop();
    }
    // Checks measured as the take arrived are confirmed from the file on disk, after the review has them.
    if (liveVoice && (await liveVoice.finish()) && saved.state === 'complete') void this.confirmFromFile(draftId, saved);
    return saved;
  }

  /** Removes a take, or the upload of one in progress. Returns false when there was nothing to remove (already gone). */
  async discard(draftId: string, takeId: string): Promise<boolean> {
    const accepting = this.accepting.get(takeId);
    if (accepting) {
      // Its checks stop at their next step; the import then removes what it wrote and adds nothing.
      accepting.abort(new StudioError('CANCELLED', 'The import was cancelled: nothing was added.'));
      return true;
    }
    const session = this.sessions.get(takeId);
    if (session && session.draftId === draftId) {
      await this.dropSession(session);
      if (session.source === 'imported') {
        await fs.rm(session.sink.file, { force: true });
        return true;
      }
    }
    const removed = await this.removeTake(draftId, takeId);
    if (removed) this.log.info('take discarded', { draftId, takeId });
    return Boolean(removed);
  }

  async choose(draftId: string, takeId: string): Promise<string> {
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
      if (found.take.state === 'recording') throw new StudioError('CONFLICT', 'A take can be chosen once it has been saved.');
      if (!found.take.durationMs) throw new StudioError('MEDIA', 'This take could not be read, so it cannot be used.');
      return takeKindTable[found.kind].shelf.choose(draft, takeId);
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
      if (trim.startMs >= Math.min(trim.endMs, take.durationMs)) throw new StudioError('BAD_REQUEST', 'The trim range lies outside the take.');
      range = snapTrim(trim, take.durationMs);
    }
    const file = this.drafts.mediaFile(draftId, take.fileName);
    const { checks, voiceSource } = await this.check(found.kind, file, { ...checkedAs(take), trim: range });
    return this.updateTake(draftId, takeId, (current) => {
      // The file's own measure of a just-recorded take may have replaced its length meanwhile, by a few ms.
      const kept = range && current.durationMs ? snapTrim(range, current.durationMs) : range;
      return { ...current, trim: kept, checks, ...(voiceSource ? { voiceSource } : {}) };
    });
  }

  /**
   * The person's pick of the sound a voice take uses: another audio track of the file (and, for a
   * two-channel track, a mix; by default the one measured to keep the voice). The take is checked
   * again on it, and preparation uses it.
   */
  async chooseSound(draftId: string, takeId: string, choice: { track: number; mix?: VoiceMix | null }): Promise<Take> {
    const draft = await this.drafts.get(draftId);
    const found = findTake(draft, takeId);
    if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    const { take } = found;
    if (found.kind !== 'voice') throw new StudioError('BAD_REQUEST', 'Only a voice take has a sound track to choose.');
    if (take.state === 'recording' || !take.durationMs) throw new StudioError('CONFLICT', 'The sound can be chosen once the take has been saved and read.');
    const source: SourceChoice = { track: choice.track, mix: choice.mix ?? null, chosenBy: 'person', tracks: take.voiceSource?.tracks ?? [] };
    const file = this.drafts.mediaFile(draftId, take.fileName);
    const { checks, voiceSource } = await this.check(found.kind, file, { ...checkedAs(take), voiceSource: source });
    return this.updateTake(draftId, takeId, (current) => ({ ...current, checks, voiceSource: voiceSource ?? current.voiceSource }));
  }

  /**
   * A take's whole sound as peaks for its review, from the track and mix it uses (a voice file's
   * first track, which the page could decode itself, may be the wrong one; a video or consent take
   * uses its first track). Streamed like the checks; kept from the take's last whole analysis.
   * Errors: NOT_FOUND, CONFLICT while it is recorded, MEDIA when it has no sound.
   */
  async peaks(draftId: string, takeId: string): Promise<{ perSecond: number; peaks: Uint8Array<ArrayBuffer>; durationMs: number }> {
    const draft = await this.drafts.get(draftId);
    const found = findTake(draft, takeId);
    if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    const { take } = found;
    if (take.state === 'recording' || !take.durationMs) throw new StudioError('CONFLICT', 'The take can be drawn once it has been saved and read.');
    const file = this.drafts.mediaFile(draftId, take.fileName);
    const stat = await fs.stat(file);
    const source = take.voiceSource ?? (found.kind === 'voice' ? null : firstTrack);
    const key = `${file}:${stat.mtimeMs}:${source?.track ?? 0}:${source?.mix ?? ''}`;
    if (this.drawn?.key !== key) {
      const measured = await this.engine.analyseVoice(file, { scratchDir: path.dirname(file), source });
      this.drawn = { key, peaks: measured.peaks };
    }
    return { perSecond: peaksPerSecond, peaks: this.drawn.peaks, durationMs: take.durationMs };
  }

  /** A take recovered after a crash, accepted by the person: it becomes an ordinary complete take. */
  async keep(draftId: string, takeId: string): Promise<Take> {
    const kept = await this.updateTake(draftId, takeId, (take) => {
      if (take.state !== 'recovered') return take;
      if (!take.durationMs) throw new StudioError('MEDIA', 'This take could not be repaired; discard it.');
      return { ...take, state: 'complete' };
    });
    if (kept.state === 'complete') await this.accepted(draftId, kept);
    return kept;
  }

  // ---- recovery ------------------------------------------------------------------------------

  /** Repairs the draft's takes (of every kind) that stopped receiving chunks: their recorder is gone. */
  async recover(draftId: string): Promise<Take[]> {
    const draft = await this.drafts.get(draftId);
    const recovered: Take[] = [];
    for (const entry of Object.values(takeKindTable)) {
      for (const take of entry.shelf.list(draft)) {
        if (take.state !== 'recording') continue;
        const session = this.sessions.get(take.id);
        if (session && this.now() - session.sink.lastActivity < takeStreaming.staleAfterMs) continue;
        if (session) await this.dropSession(session);
        const repaired = await this.repair(draftId, take, 'recovered').catch((error: unknown) => {
          this.log.warn('could not recover a take', { draftId, takeId: take.id, error: String(error) });
          return null;
        });
        if (repaired) recovered.push(repaired);
      }
    }
    return recovered;
  }

  /** At start-up: every take still `recording` was cut short by the last run ending. */
  async recoverAll(): Promise<number> {
    let count = 0;
    const { drafts } = await this.drafts.list();
    for (const summary of drafts) {
      const live = new Set([...this.sessions.values()].map((session) => session.sink.file));
      await sweepStaleChunks(this.drafts.folder(summary.id), importPrefix, live);
      // Sound decoded for an analysis that a crash interrupted.
      await sweepStaleChunks(this.drafts.folder(summary.id), scratchPrefix);
      count += (await this.recover(summary.id).catch(() => [])).length;
    }
    if (count > 0) this.log.info('recovered interrupted takes', { count });
    return count;
  }

  /** Ends every take being received: recordings keep what reached the disk (recovered next start), imports are dropped. */
  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) {
      session.live?.stop();
      session.releaseEngine();
      if (session.source === 'imported') await session.sink.discard();
      else await session.sink.close().catch(() => undefined);
    }
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
    session.releaseEngine();
    await session.sink.close();
  }

  /** A session that ends other than by finish (discard, recovery) needs no measure of its sound. */
  private async dropSession(session: Session): Promise<void> {
    session.live?.stop();
    await this.closeSession(session);
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
    const size = await fs.stat(raw).then(
      (stat) => stat.size,
      () => 0,
    );
    if (size === 0) {
      await this.removeTake(draftId, take.id);
      throw new StudioError('MEDIA', 'Nothing of this take reached the disk, so there is nothing to recover.');
    }
    let info: MediaInfo;
    try {
      await this.engine.remux(raw, final);
      // A recording measured as it arrived has its length from that decode: the header's will do here.
      info = await this.engine.probe(final, this.liveByFile.has(final) ? { length: 'header' } : undefined);
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
    const checked = await this.check(take.kind, final, { ...checkedAs(take), durationMs: info.durationMs ?? 0 });
    const updated = await this.updateTake(draftId, take.id, (current) => ({
      ...current,
      // The faces seen while it was recorded arrive with the finish call, not in the stored take.
      ...(take.faces ? { faces: take.faces } : {}),
      fileName: finalName,
      mimeType: takeMimeType(current.kind, info, current.mimeType),
      state,
      durationMs: checked.durationMs ?? info.durationMs,
      bytes: info.bytes,
      checks: checked.checks,
      ...(checked.voiceSource ? { voiceSource: checked.voiceSource } : {}),
      ...(checked.faces ? { faces: checked.faces } : {}),
    }));
    if (final !== raw) await fs.rm(raw, { force: true });
    if (state === 'complete') await this.accepted(draftId, updated);
    this.log.info(state === 'recovered' ? 'take recovered' : 'take saved', {
      draftId,
      takeId: take.id,
      kind: take.kind,
      durationMs: info.durationMs,
      bytes: info.bytes,
    });
    return updated;
  }

  /** A take became complete (finished, or a recovered one kept): its kind records what that means. */
  private async accepted(draftId: string, take: Take): Promise<void> {
    const accepted = takeKindTable[take.kind].accepted;
    if (accepted) await this.drafts.update(draftId, (draft) => accepted(draft, take));
  }

  /**
   * An import is accepted by its content: a readable audio file in an accepted format. `discard`
   * while this runs stops it (CANCELLED), and nothing of the file is kept.
   */
  private async acceptImport(session: Session): Promise<Take> {
    const { draftId, takeId } = session;
    const { file } = session.sink;
    const entry = takeKindTable[session.kind];
    const controller = new AbortController();
    const { signal } = controller;
    this.accepting.set(takeId, controller);
    let final: string | null = null;
    try {
      if (session.sink.bytes === 0) throw new StudioError('MEDIA', 'This file is empty.');
      if (!session.sink.complete) throw new StudioError('MEDIA', 'The file arrived incomplete. Nothing was imported; try again.');
      let info: MediaInfo;
      try {
        // A video's picture must decode here too: a header may name a codec this engine lacks.
        info = await this.engine.probe(file, { decodePicture: entry.media === 'video', signal });
      } catch (error) {
        signal.throwIfAborted();
        if (error instanceof UndecodableMedia) throw error;
        const reason = error instanceof UnreadableMedia ? `: ${error.reason}` : '';
        throw new StudioError('MEDIA', `This file is not a recording the studio can read${reason}. Files accepted here: ${entry.importNames}.`);
      }
      const format = entry.importable?.(info) ?? null;
      if (!format) {
        const what = session.kind === 'voice' && !info.audio ? 'no sound' : info.container;
        throw new StudioError('MEDIA', `This file holds ${what}, which the service does not accept. Import ${entry.importNames}.`);
      }
      if (!info.durationMs) throw new StudioError('MEDIA', 'This file holds no complete recording: it may be damaged.');
      // A sound's length was measured by decoding it to nothing: a file too long is refused before anything holds it.
      const tooLong = entry.media === 'audio' && !info.video ? tooLongForVoice(info.durationMs, info.lengthAtLeast) : null;
      if (tooLong) throw tooLong;
      const fileName = `${session.kind}-${takeId}.${format}`;
      final = this.drafts.mediaFile(draftId, fileName);
      // Recorder-made WebM carries no duration: give it one, as for our own recordings. A QuickTime or
      // Matroska video moves into MP4, and sound in a container the service does not take (AIFF, CAF,
      // WMA, ADTS AAC…) into M4A, WAV or FLAC, without further loss.
      const rewritten = info.container === 'webm' || format !== info.container;
      // The new file's header is honest: the received one's claim is kept, to be set beside the measured length.
      const headerDurationMs = rewritten ? (info.headerDurationMs ?? null) : null;
      if (!rewritten) await fs.rename(file, final);
      else if (info.container === 'webm') await this.engine.remux(file, final);
      else {
        await this.engine.remux(file, final, format as MediaContainer);
        info = await this.engine.probe(final, { signal });
      }
      signal.throwIfAborted();
      const durationMs = info.durationMs ?? 0;
      const checked = await this.check(session.kind, final, { durationMs, trim: null, previous: [], voiceSource: null, headerDurationMs }, signal);
      const { checks, durationMs: measuredMs, voiceSource, faces } = checked;
      const take: Take = {
        id: takeId,
        kind: session.kind,
        source: 'imported',
        fileName,
        mimeType: takeMimeType(session.kind, info, 'application/octet-stream'),
        createdAt: new Date().toISOString(),
        state: 'complete',
        durationMs: measuredMs ?? durationMs,
        bytes: (await fs.stat(final)).size,
        trim: null,
        checks,
        originalName: session.originalName,
        ...(voiceSource ? { voiceSource } : {}),
        ...(faces ? { faces } : {}),
        ...(headerDurationMs !== null ? { headerDurationMs } : {}),
      };
      signal.throwIfAborted();
      await this.drafts.update(draftId, (draft) => entry.shelf.put(draft, [...entry.shelf.list(draft), take]));
      this.log.info('take imported', { draftId, takeId, container: info.container, durationMs: info.durationMs });
      final = null;
      return take;
    } catch (error) {
      if (signal.aborted) this.log.info('import cancelled', { draftId, takeId });
      throw signal.aborted && signal.reason instanceof StudioError ? signal.reason : error;
    } finally {
      this.accepting.delete(takeId);
      await fs.rm(file, { force: true });
      if (final) await fs.rm(final, { force: true });
    }
  }

  /** The checks of a take's file, or of its trimmed range, by its kind's checker. */
  private async check(kind: TakeKind, file: string, state: CheckState, signal?: AbortSignal): Promise<TakeCheckOutcome> {
    const checker = this.checkers[kind];
    if (!checker) throw new StudioError('NOT_AVAILABLE', `This studio cannot check ${kind} takes.`);
    const outcome = await checker({
      file,
      ...state,
      signal,
      analyseVoice: async (options) => {
        const whole = options.startMs === undefined && options.endMs === undefined && !options.source;
        const live = whole ? await this.liveByFile.get(file)?.finish() : null;
        const measured = live ?? (await this.engine.analyseVoice(file, { scratchDir: path.dirname(file), signal, ...options }));
        if (options.startMs === undefined && options.endMs === undefined) {
          const stat = await fs.stat(file);
          // Keyed as peaks() asks: by the sound asked for, or by the one measured when none was.
          const sound = options.source ?? measured.source;
          this.drawn = { key: `${file}:${stat.mtimeMs}:${sound.track}:${sound.mix ?? ''}`, peaks: measured.peaks };
        }
        return measured;
      },
    });
    return Array.isArray(outcome) ? { checks: outcome } : outcome;
  }

  /**
   * Measures a voice take checked at Stop from its sound as it arrived once more from its file, and
   * puts the file's checks, length and sound in place of those when anything differs (figures from
   * two decoders differ in the last digits; a length by a few ms), unless the take has changed
   * meanwhile (trimmed, another sound chosen, replaced). Failures are logged: the take keeps the
   * checks it has.
   */
  private async confirmFromFile(draftId: string, take: Take): Promise<void> {
    try {
      const file = this.drafts.mediaFile(draftId, take.fileName);
      const confirmed = await this.check('voice', file, { ...checkedAs(take), trim: null, voiceSource: null });
      // What the file says otherwise, by name (check ids, length, sound), for the log.
      const differs = [
        ...confirmed.checks
          .filter((check) => JSON.stringify(check) !== JSON.stringify(take.checks.find((item) => item.id === check.id)))
          .map((check) => check.id),
        ...take.checks.filter((check) => !confirmed.checks.some((item) => item.id === check.id)).map((check) => check.id),
        ...((confirmed.durationMs ?? take.durationMs) !== take.durationMs ? ['durationMs'] : []),
        ...(JSON.stringify(confirmed.voiceSource ?? null) !== JSON.stringify(take.voiceSource ?? null) ? ['voiceSource'] : []),
      ];
      // Of those, the checks whose verdict or words differ: what the person sees change.
      const shown = confirmed.checks
        .filter((check) => {
          const before = take.checks.find((item) => item.id === check.id);
          return before?.verdict !== check.verdict || before.reason !== check.reason;
        })
        .map((check) => check.id);
      this.log.info('checks confirmed from the file', { draftId, takeId: take.id, differs, shown });
      if (differs.length === 0) return;
      await this.updateTake(draftId, take.id, (current) => {
        const untouched = current.fileName === take.fileName && current.trim === null && JSON.stringify(current.checks) === JSON.stringify(take.checks);
        if (!untouched || current.voiceSource?.chosenBy === 'person') return current;
        return {
          ...current,
          checks: confirmed.checks,
          durationMs: confirmed.durationMs ?? current.durationMs,
          ...(confirmed.voiceSource ? { voiceSource: confirmed.voiceSource } : {}),
        };
      });
    } catch (error) {
      this.log.warn('could not confirm the checks from the file', {
        draftId,
        takeId: take.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Changes one take in its draft. A take its kind's shelf no longer holds afterwards was replaced
   * (a single kind keeps one complete take): its files go too.
   */
  private async updateTake(draftId: string, takeId: string, change: (take: Take) => Take): Promise<Take> {
    const result: { take?: Take; dropped: Take[] } = { dropped: [] };
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
      const updated = change(found.take);
      result.take = updated;
      const shelf = takeKindTable[found.kind].shelf;
      const next = shelf.put(
        draft,
        shelf.list(draft).map((take) => (take.id === takeId ? updated : take)),
      );
      const kept = new Set(shelf.list(next).map((take) => take.id));
      result.dropped = shelf.list(draft).filter((take) => !kept.has(take.id));
      return next;
    });
    if (!result.take) throw new StudioError('NOT_FOUND', 'This take no longer exists.');
    for (const take of result.dropped) await this.removeFiles(draftId, take);
    return result.take;
  }

  /** Removes a take from its draft and its files from disk; false when it was not there. */
  private async removeTake(draftId: string, takeId: string): Promise<boolean> {
    const removed: { take?: Take } = {};
    await this.drafts.update(draftId, (draft) => {
      const found = findTake(draft, takeId);
      if (!found) return draft;
      removed.take = found.take;
      const entry = takeKindTable[found.kind];
      const without = entry.shelf.put(
        draft,
        entry.shelf.list(draft).filter((take) => take.id !== takeId),
      );
      const unchosen = entry.shelf.chosen(draft) === takeId ? entry.shelf.choose(without, null) : without;
      return entry.removed ? entry.removed(unchosen, found.take) : unchosen;
    });
    if (!removed.take) return false;
    await this.removeFiles(draftId, removed.take);
    return true;
  }

  private async removeFiles(draftId: string, take: Take): Promise<void> {
    for (const name of new Set([take.fileName, take.fileName.replace(/\.rec\./, '.'), ...previewNames(take.id)])) {
      await fs.rm(this.drafts.mediaFile(draftId, name), { force: true });
      // Its decoded sound, kept for the next trim, goes with it.
      await dropKeptSoundOf(this.drafts.mediaFile(draftId, name));
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
