/**
 * The one recording hook, for a take of every kind (voice, video, consent): it begins the take in
 * the main process (`takes/begin`), records it with the TakeRecorder (each chunk to `takes/append`
 * the moment it exists, an empty keep-alive chunk while paused), pauses and resumes, stops itself
 * just before the kind's maximum, and finishes it (`takes/finish`, with the light measured live for
 * a video and the faces seen, second by second) or discards it. A device lost mid-take stops it and keeps what was recorded; leaving the
 * screen mid-take saves it. Each kind's screen wraps it with its own look and its own devices.
 *
 * Every take is one attempt object. What an attempt's asynchronous work does afterwards (a stop
 * saving the take, a start that failed cleaning up) reaches the screen only while that attempt is
 * still the current one: a slow stop can never overwrite the state of the take after it.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type TakeKind, takeStreaming } from '../../shared/contract/takes';
import type { Take } from '../../shared/drafts';
import { StudioError } from '../../shared/errors';
import { type ExposureAnalysis, summariseExposure } from '../../shared/exposure';
import { FaceRecorder } from '../../shared/faces';
import { messageOf, useStudio } from '../api/studio-context';
import { type AudioMonitor, PeakTrack } from './audio-monitor';
import { MeterStore } from './meter-store';
import { Store, useStore } from './store';
import { TakeRecorder, supportedMimeType } from './take-recorder';
import type { FaceFrameListener } from './use-face-check';

export type TakePhase = 'idle' | 'starting' | 'recording' | 'paused' | 'saving';

/** What a kind records, asked for when Record is pressed (a kind may open its devices then). */
export type TakeInput = {
  /** The tracks recorded into the take's file. */
  stream: MediaStream;
  /** The devices whose loss stops the take (default: the recorded tracks). Pass the originals when recording a processed copy. */
  deviceTracks?: MediaStreamTrack[];
  /** Container and codec choices, best first. */
  mimeTypes: readonly string[];
  audioBitsPerSecond?: number;
  videoBitsPerSecond?: number;
  videoKeyFrameIntervalMs?: number;
  /** The take's sound as it arrives: its waveform is drawn the moment it stops, before it is saved. */
  monitor?: AudioMonitor | null;
  /** The light measured live on the picture (video): kept with the take as its light checks. */
  onExposure?: (listener: (analysis: ExposureAnalysis) => void) => () => void;
  /** The faces found live in the picture (video, consent), against the guide of `version`: kept per second as the take's `faces`. */
  faces?: { version: 'v1' | 'v2'; onFaces(listener: FaceFrameListener): () => void };
  /** Tells of a device lost in a way its track does not report (gone from the device list): the take stops, keeping what it has. */
  onLost?: (listener: (reason: string) => void) => () => void;
  /** Called once when the take no longer needs the devices: stopped, discarded, or failed to start. */
  release?: () => void;
};

/** A take just stopped: its waveform is known before the main process has finished with it. */
export type FreshTake = { takeId: string; peaks: Float32Array; peaksPerSecond: number; durationMs: number };

type TakeState = {
  phase: TakePhase;
  /** The take being recorded or saved, once the main process has begun it. */
  takeId: string | null;
  mimeType: string | null;
  fresh: FreshTake | null;
  error: string | null;
  notice: string | null;
};

export type TakeControl = TakeState & {
  /** The take's length (pauses left out) and the bytes the main process has, redrawn at display rate. */
  meters: MeterStore;
  record(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops and saves the take; resolves to it once it is checked (null when it could not be saved). */
  stop(): Promise<Take | null>;
  discard(): Promise<void>;
};

export type TakeRecorderOptions = {
  draftId: string;
  kind: TakeKind;
  /** The kind's maximum: the take stops itself just before it. */
  maxSeconds: number;
  prepare(): TakeInput | Promise<TakeInput>;
  /** A take was saved and checked. */
  onSaved?(take: Take): void;
  /** A take stopped and is being saved: it can be shown at once. */
  onStopped?(fresh: FreshTake): void;
};

type Attempt = {
  input: TakeInput | null;
  takeId: string | null;
  recorder: TakeRecorder | null;
  peaks: PeakTrack | null;
  light: ExposureAnalysis[];
  faces: FaceRecorder | null;
  autoStop: number | null;
  /** Stopping or discarding: nothing else may act on this take. */
  ending: boolean;
  released: boolean;
  unsubscribe: (() => void)[];
};

/** The take stops itself this much before the maximum, so the saved file never exceeds it. */
const autoStopMarginMs = 300;
/** How often the clock and the size are redrawn. */
const displayIntervalMs = 100;
const peaksPerSecond = 100;

const idle: TakeState = { phase: 'idle', takeId: null, mimeType: null, fresh: null, error: null, notice: null };

function clearAutoStop(attempt: Attempt): void {
  if (attempt.autoStop !== null) window.clearTimeout(attempt.autoStop);
  attempt.autoStop = null;
}

/** Lets go of the take's devices and listeners, once. */
function release(attempt: Attempt): void {
  clearAutoStop(attempt);
  if (attempt.released) return;
  attempt.released = true;
  for (const off of attempt.unsubscribe.splice(0)) off();
  attempt.input?.release?.();
}

export function useTakeRecorder(options: TakeRecorderOptions): TakeControl {
  const studio = useStudio();
  const { draftId, kind, maxSeconds } = options;
  const [store] = useState(() => new Store<TakeState>(idle));
  const [meters] = useState(() => new MeterStore());
  const state = useStore(store);
  const current = useRef<Attempt | null>(null);
  // The kind's latest callbacks, for work that outlives the render it started in.
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  /** Changes what the screen shows, if `attempt` is still the take on screen. */
  const show = useCallback(
    (attempt: Attempt, change: Partial<TakeState>) => {
      if (current.current === attempt) store.set(change);
    },
    [store],
  );

  /** The take is over: the recorder is free for the next one. */
  const settle = useCallback(
    (attempt: Attempt, change: Partial<TakeState> = {}) => {
      if (current.current !== attempt) return;
      current.current = null;
      store.set({ ...change, phase: 'idle', takeId: null });
    },
    [store],
  );

  const end = useCallback(
    async (attempt: Attempt | null): Promise<Take | null> => {
      const { recorder, takeId } = attempt ?? {};
      if (!attempt || attempt.ending || !recorder || !takeId || current.current !== attempt) return null;
      attempt.ending = true;
      clearAutoStop(attempt);
      const fresh: FreshTake = { takeId, peaks: attempt.peaks?.all() ?? new Float32Array(0), peaksPerSecond, durationMs: recorder.elapsedMs() };
      store.set({ phase: 'saving', fresh });
      latest.current.onStopped?.(fresh);
      let recordedMs: number | undefined;
      let deliveryProblem: string | null = null;
      try {
        const result = await recorder.stop();
        recordedMs = result.durationMs;
        if (current.current === attempt) meters.set({ elapsedMs: result.durationMs, bytes: result.bytes });
      } catch (failure) {
        deliveryProblem = messageOf(failure);
      }
      release(attempt);
      try {
        // Even when a chunk could not be delivered, what reached the disk is repaired and kept.
        const exposure = summariseExposure(attempt.light) ?? undefined;
        const faces = attempt.faces?.record() ?? undefined;
        const take = await studio.call('takes/finish', { draftId, takeId, recordedMs, exposure, faces });
        if (deliveryProblem) show(attempt, { error: `${deliveryProblem} The part recorded before the problem was saved as a take.` });
        latest.current.onSaved?.(take);
        return take;
      } catch (failure) {
        show(attempt, { error: deliveryProblem ?? messageOf(failure) });
        return null;
      } finally {
        settle(attempt);
      }
    },
    [draftId, meters, settle, show, store, studio],
  );

  const armAutoStop = useCallback(
    (attempt: Attempt) => {
      clearAutoStop(attempt);
      const remaining = maxSeconds * 1000 - autoStopMarginMs - (attempt.recorder?.elapsedMs() ?? 0);
      attempt.autoStop = window.setTimeout(
        () => {
          attempt.autoStop = null;
          show(attempt, { notice: `The take reached the ${maxSeconds / 60}-minute maximum and stopped itself.` });
          void end(attempt);
        },
        Math.max(0, remaining),
      );
    },
    [end, maxSeconds, show],
  );

  const record = useCallback(async () => {
    // One take at a time: starting, recording, paused or still being saved.
    if (current.current) return;
    const attempt: Attempt = {
      input: null,
      takeId: null,
      recorder: null,
      peaks: null,
      light: [],
      faces: null,
      autoStop: null,
      ending: false,
      released: false,
      unsubscribe: [],
    };
    current.current = attempt;
    store.set({ phase: 'starting', takeId: null, fresh: null, error: null, notice: null });
    meters.set({ elapsedMs: 0, bytes: 0 });
    try {
      const input = await latest.current.prepare();
      attempt.input = input;
      if (current.current !== attempt) return release(attempt);
      const mimeType = supportedMimeType(input.mimeTypes);
      if (!mimeType) {
        const media = input.stream.getVideoTracks().length > 0 ? 'video' : 'audio';
        throw new StudioError('NOT_AVAILABLE', `This browser cannot record ${media} in a format the studio accepts.`);
      }
      const take = await studio.call('takes/begin', { draftId, kind, source: 'recorded', mimeType });
      attempt.takeId = take.id;
      // The screen went away (or the take was dropped) while the main process began it.
      if (current.current !== attempt) throw new Error('The take was left before it started.');
      // A device gone or chunks undeliverable: the take stops and keeps what reached the disk.
      const interrupt = (reason: string) => {
        show(attempt, { notice: reason });
        void end(attempt);
      };
      const recorder = new TakeRecorder(input.stream, {
        deviceTracks: input.deviceTracks,
        mimeTypes: [mimeType],
        timesliceMs: takeStreaming.chunkMs,
        audioBitsPerSecond: input.audioBitsPerSecond,
        videoBitsPerSecond: input.videoBitsPerSecond,
        videoKeyFrameIntervalMs: input.videoKeyFrameIntervalMs,
        keepAliveMs: takeStreaming.keepAliveMs,
        sink: async (seq, bytes) => {
          await studio.call('takes/append', { draftId, takeId: take.id, seq, bytes });
        },
        // The phase on screen is the recorder's own state, never a copy kept beside it.
        onStateChange: (next) => {
          if (next === 'recording' || next === 'paused') show(attempt, { phase: next });
        },
        onInterrupted: interrupt,
      });
      attempt.recorder = recorder;
      const { monitor, onExposure, onLost, faces } = input;
      if (monitor) {
        const peaks = new PeakTrack(monitor.sampleRate, peaksPerSecond);
        attempt.peaks = peaks;
        attempt.unsubscribe.push(monitor.onSamples((samples) => recorder.current === 'recording' && peaks.push(samples)));
      }
      if (onExposure) attempt.unsubscribe.push(onExposure((analysis) => recorder.current === 'recording' && attempt.light.push(analysis)));
      if (faces) {
        const kept = new FaceRecorder(faces.version);
        attempt.faces = kept;
        attempt.unsubscribe.push(
          faces.onFaces((frame, video) => recorder.current === 'recording' && kept.add(recorder.elapsedMs(), frame, video.width, video.height)),
        );
      }
      if (onLost) attempt.unsubscribe.push(onLost(interrupt));
      store.set({ takeId: take.id, mimeType: recorder.mimeType });
      recorder.start();
      armAutoStop(attempt);
    } catch (failure) {
      attempt.recorder?.abandon();
      release(attempt);
      // A take begun but never recorded leaves nothing behind.
      if (attempt.takeId) void studio.call('takes/discard', { draftId, takeId: attempt.takeId }).catch(() => undefined);
      settle(attempt, { error: messageOf(failure) });
    }
  }, [armAutoStop, draftId, end, kind, meters, settle, show, store, studio]);

  const pause = useCallback(() => {
    const attempt = current.current;
    if (!attempt?.recorder || attempt.ending || attempt.recorder.current !== 'recording') return;
    attempt.recorder.pause();
    clearAutoStop(attempt);
  }, []);

  const resume = useCallback(() => {
    const attempt = current.current;
    if (!attempt?.recorder || attempt.ending || attempt.recorder.current !== 'paused') return;
    attempt.recorder.resume();
    armAutoStop(attempt);
  }, [armAutoStop]);

  const stop = useCallback(() => end(current.current), [end]);

  const discard = useCallback(async () => {
    const attempt = current.current;
    const takeId = attempt?.takeId;
    if (!attempt?.recorder || !takeId || attempt.ending) return;
    attempt.ending = true;
    attempt.recorder.abandon();
    release(attempt);
    settle(attempt, { fresh: null });
    meters.set({ elapsedMs: 0, bytes: 0 });
    try {
      await studio.call('takes/discard', { draftId, takeId });
      // Said only while no newer take has begun.
      if (!current.current) store.set({ notice: 'The take was discarded.' });
    } catch (failure) {
      if (!current.current) store.set({ error: messageOf(failure) });
    }
  }, [draftId, meters, settle, store, studio]);

  // The clock and the size, at display rate, while a take is recorded.
  const counting = state.phase === 'recording' || state.phase === 'paused';
  useEffect(() => {
    if (!counting) return;
    const timer = window.setInterval(() => {
      const recorder = current.current?.recorder;
      if (recorder && !current.current?.ending) meters.set({ elapsedMs: recorder.elapsedMs(), bytes: recorder.bytes });
    }, displayIntervalMs);
    return () => window.clearInterval(timer);
  }, [counting, meters]);

  // Leaving the screen mid-take keeps the take: it is stopped and saved, then the devices are let go.
  // A take still starting sees it is no longer current and drops itself; one already ending finishes alone.
  useEffect(
    () => () => {
      const attempt = current.current;
      current.current = null;
      if (!attempt) return;
      clearAutoStop(attempt);
      const { recorder, takeId } = attempt;
      if (!recorder || !takeId || attempt.ending) return;
      attempt.ending = true;
      const exposure = summariseExposure(attempt.light) ?? undefined;
      const faces = attempt.faces?.record() ?? undefined;
      void (async () => {
        const recordedMs = await recorder.stop().then(
          (result) => result.durationMs,
          () => undefined,
        );
        release(attempt);
        await studio.call('takes/finish', { draftId, takeId, recordedMs, exposure, faces }).catch(() => undefined);
      })();
    },
    [draftId, studio],
  );

  return { ...state, meters, record, pause, resume, stop, discard };
}
