/**
 * The media engine: ffmpeg.wasm in worker threads behind probe/decode/remux/prepare calls on files
 * on disk. Quick calls (probe, decode, remux) and preparations run in separate workers, so probing
 * a new take never waits behind a two-minute video encode. Each lane runs one job at a time. A
 * preparation that re-encodes a picture does that step on the multi-threaded core (its own worker,
 * started when first needed), everything else on the single-thread core.
 */
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import type { Crop, MediaContainer, MediaInfo, MediaTrim, PreparedFile, VoiceSource } from '../../../shared/media';
import type { VoiceFormat } from '../../../shared/requirements';
import type { Logger } from '../log';
import { encodeWorkerNice } from '../thread-priority';
import { type FrameSampleOptions, type SampledFrame, sampleFrames } from './frame-sampler';
import { type JobContext } from './job';
import { preparePhotoFile } from './photo-preparation';
import { type TrackPreviewOptions, makePreviewFile, makeTrackPreviewFile } from './preview';
import { type ProbeOptions, probeFile } from './probe';
import { remuxFile } from './remux';
import { type FFmpegRunner, WasmRunner, multiThreadCore } from './runner';
import { prepareVideoFile } from './video-preparation';
import { prepareVoiceFile } from './voice-preparation';
import { type VoiceAnalysisOptions, type VoiceFileAnalysis, analyseVoiceFile, dropKeptSound } from './voice-source';

export type { MediaInfo, PreparedFile } from '../../../shared/media';

export type EngineProgress = {
  jobId: string;
  kind: string;
  label: string;
  /** 0..1 from ffmpeg's `time=` lines against the expected output duration; null while unknown. */
  ratio: number | null;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  message: string | null;
};

/** Lets a caller name the job (to cancel it, to match its progress events) and label it for people. */
export type JobOptions = { jobId?: string; label?: string };
/** `source`: the track and channel mix to prepare (the take's voiceSource); null keeps the file's default sound. */
export type VoicePrepareOptions = JobOptions & { trim?: MediaTrim | null; format?: VoiceFormat; source?: Pick<VoiceSource, 'track' | 'mix'> | null };
export type { VoiceAnalysisOptions, VoiceFileAnalysis } from './voice-source';
export type { FrameSampleOptions, SampledFrame } from './frame-sampler';
export type VideoPrepareOptions = JobOptions & { trim?: MediaTrim | null; height?: number | null };
/** `atMs` takes the still from a video take at that moment. */
export type PhotoPrepareOptions = JobOptions & { crop?: Crop | null; width?: number | null; atMs?: number | null };

export interface MediaEngine {
  /** Container (by content), duration, size, codecs; StudioError('MEDIA') for corrupt or unsupported files. */
  probe(file: string, options?: ProbeOptions): Promise<MediaInfo>;
  /**
   * A voice file measured: decoded length, the track and channel mix that carry the voice (or the
   * ones given), and the analysis of that sound over an optional range; streamed through a scratch
   * file, so memory stays flat. StudioError('MEDIA') for no sound or a file too long to take.
   */
  analyseVoice(file: string, options?: VoiceAnalysisOptions): Promise<VoiceFileAnalysis>;
  /**
   * A video's frames, upright and small, a few a second, for checks that look at the picture (see
   * frame-sampler.ts for the frame's shape and the errors). Each segment (two minutes of video) is
   * its own quick job, so probes of other files go between them; frames wait on disk, not in memory.
   */
  sampleFrames(file: string, options?: FrameSampleOptions): AsyncGenerator<SampledFrame>;
  /**
   * Stream copy into the same container (repairs MediaRecorder WebM: duration, cues, e.g. after a
   * crash), or into `to` (a QuickTime or Matroska video into MP4; see remuxFile).
   */
  remux(input: string, output: string, to?: MediaContainer): Promise<void>;
  prepareVoice(input: string, output: string, options: VoicePrepareOptions, signal?: AbortSignal): Promise<PreparedFile>;
  prepareVideo(input: string, output: string, options: VideoPrepareOptions, signal?: AbortSignal): Promise<PreparedFile>;
  preparePhoto(input: string, output: string, options: PhotoPrepareOptions, signal?: AbortSignal): Promise<PreparedFile>;
  /**
   * A copy of a take the browser can play (see preview.ts), with progress and cancel like a
   * preparation; the original is left as it is.
   */
  preview(input: string, output: string, options: JobOptions, signal?: AbortSignal): Promise<PreparedFile>;
  /**
   * A few seconds of one audio track as Opus in WebM (see makeTrackPreviewFile): a quick job, so the
   * person can hear each track of a file before choosing one.
   */
  previewTrack(input: string, output: string, options: TrackPreviewOptions): Promise<MediaInfo>;
  /**
   * Cancels a queued or running preparation; false when no such job is active. A job id cancelled
   * between two jobs of one task (the review prepares its files one after another under one id) is
   * remembered for a minute, and the next job under it stops before it starts.
   */
  cancel(jobId: string): boolean;
  /** Loads the core ahead of the first job (optional: jobs load it on demand). */
  warm(): Promise<void>;
  /**
   * Loads the quick lane's worker (repair, probe, checks) and keeps it loaded until the returned
   * release is called: a recording holds it, so that Stop never waits for a worker to load.
   */
  keepQuickReady(): () => void;
  close(): Promise<void>;
}

export type MediaEngineOptions = {
  log: Logger;
  /** Reserved for scratch files; outputs are written beside their final name and renamed. */
  workDir?: string;
  /** Limit for one job (a probe, or a whole preparation); the worker is replaced when it is exceeded. */
  jobTimeoutMs?: number;
  onProgress?: (progress: EngineProgress) => void;
  /**
   * Runners for the two lanes, and the one that re-encodes pictures for the preparation lane
   * (`encode`; the preparation runner when absent); tests and the benchmark may pass their own.
   */
  runners?: { quick: ClosableRunner; prepare: ClosableRunner; encode?: ClosableRunner };
  /** Where measuring a sound's length stops, ms (default: probe's defaultSoundLimitMs); tests set a short one. */
  soundLimitMs?: number;
};

type ClosableRunner = FFmpegRunner & { close?(): Promise<void> };

/**
 * The studio's runners: the single-thread core for quick calls and preparations, and the
 * multi-threaded core for re-encoding pictures where threads are available (else the single one),
 * below the others for the CPU (thread-priority.ts encodeWorkerNice).
 */
export function studioRunners(log: Logger): { quick: WasmRunner; prepare: WasmRunner; encode: WasmRunner } {
  const prepare = new WasmRunner(log.child('prepare'));
  const multi = multiThreadCore();
  if (!multi) log.info('re-encoding on one thread: the multi-threaded core cannot run here');
  const encode = multi ? new WasmRunner(log.child('encode'), { core: multi, nice: encodeWorkerNice }) : prepare;
  return { quick: new WasmRunner(log.child('quick')), prepare, encode };
}

/** A safety net, not a schedule: re-encoding a 5-minute 1080p WebM would take about 14 minutes here. */
export const defaultJobTimeoutMs = 30 * 60 * 1000;

/** One job at a time per lane; a job cancelled while it waits leaves the queue at once. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly runner: FFmpegRunner & { close?(): Promise<void> }) {}

  enqueue<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    let started = false;
    const run = this.tail.then(() => {
      signal.throwIfAborted();
      started = true;
      return task();
    });
    // The next job waits for this one to finish or be skipped, never for less.
    this.tail = run.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      // Only a waiting job is answered at once; a running one settles when its worker is gone
      // and its partial output removed.
      const onAbort = () => {
        if (!started) reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

type ActiveJob = { controller: AbortController; progress: EngineProgress };

function progressThrottle(emit: (ratio: number) => void): (ratio: number) => void {
  let last = -1;
  let lastAt = 0;
  return (ratio) => {
    const now = performance.now();
    if (ratio < 1 && ratio - last < 0.01 && now - lastAt < 500) return;
    last = ratio;
    lastAt = now;
    emit(ratio);
  };
}

export function createMediaEngine(options: MediaEngineOptions): MediaEngine {
  const log = options.log;
  const timeoutMs = options.jobTimeoutMs ?? defaultJobTimeoutMs;
  const given = options.runners ?? studioRunners(log);
  const runners = { ...given, encode: given.encode ?? given.prepare };
  const quick = new Lane(runners.quick);
  const prepare = new Lane(runners.prepare);
  const active = new Map<string, ActiveJob>();
  // Every job still unwinding, quick calls included, so close() can wait for their partial outputs
  // to be removed before the process exits.
  const running = new Set<{ controller: AbortController; settled: Promise<unknown> }>();
  let closed = false;

  function tracked<T>(controller: AbortController, work: Promise<T>): Promise<T> {
    const entry = { controller, settled: work.catch(() => undefined) };
    running.add(entry);
    void entry.settled.finally(() => running.delete(entry));
    return work;
  }

  /** Job ids cancelled while none of their jobs ran, with when (see `cancel`). */
  const cancelledBetween = new Map<string, number>();

  const report = (progress: EngineProgress) => {
    try {
      options.onProgress?.({ ...progress });
    } catch (error) {
      log.warn('progress listener failed', error);
    }
  };

  /** Links the caller's signal and the time limit into one, and names why it fired. */
  function jobSignal(what: string, external?: AbortSignal): { controller: AbortController; dispose: () => void } {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new StudioError('TIMEOUT', `${what} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`));
    }, timeoutMs);
    timer.unref?.();
    const onExternal = () => controller.abort(new StudioError('CANCELLED', `${what} was cancelled.`));
    if (external?.aborted) onExternal();
    external?.addEventListener('abort', onExternal, { once: true });
    return {
      controller,
      dispose: () => {
        clearTimeout(timer);
        external?.removeEventListener('abort', onExternal);
      },
    };
  }

  /** Quick calls: no progress events, but the same time limit. */
  async function quickCall<T>(what: string, work: (job: JobContext) => Promise<T>, external?: AbortSignal): Promise<T> {
    if (closed) throw new StudioError('NOT_AVAILABLE', 'The media engine is closed.');
    const { controller, dispose } = jobSignal(what, external);
    try {
      return await tracked(
        controller,
        quick.enqueue(controller.signal, () => work({ runner: runners.quick, log, signal: controller.signal })),
      );
    } catch (error) {
      // As for a preparation: an abort surfaces as whatever the runner rejected with.
      if (controller.signal.aborted && controller.signal.reason instanceof StudioError) throw controller.signal.reason;
      throw error;
    } finally {
      dispose();
    }
  }

  async function preparation<T extends PreparedFile>(
    kind: string,
    defaultLabel: string,
    jobOptions: JobOptions,
    external: AbortSignal | undefined,
    work: (job: JobContext) => Promise<T>,
  ): Promise<PreparedFile> {
    if (closed) throw new StudioError('NOT_AVAILABLE', 'The media engine is closed.');
    const jobId = jobOptions.jobId ?? `j_${randomBytes(8).toString('hex')}`;
    if (active.has(jobId)) throw new StudioError('CONFLICT', 'A job with this id is already running.');
    if (cancelledBetween.delete(jobId)) throw new StudioError('CANCELLED', `${jobOptions.label ?? defaultLabel} was cancelled.`);
    const label = jobOptions.label ?? defaultLabel;
    const { controller, dispose } = jobSignal(label, external);
    const progress: EngineProgress = { jobId, kind, label, ratio: null, state: 'queued', message: null };
    active.set(jobId, { controller, progress });
    report(progress);
    const started = performance.now();
    try {
      const result = await tracked(
        controller,
        prepare.enqueue(controller.signal, () => {
          Object.assign(progress, { state: 'running', ratio: 0 });
          report(progress);
          const onRatio = progressThrottle((ratio) => {
            progress.ratio = Math.min(1, Math.max(0, ratio));
            report(progress);
          });
          return work({ runner: runners.prepare, encoder: runners.encode, log: log.child(kind), signal: controller.signal, onRatio });
        }),
      );
      Object.assign(progress, { state: 'done', ratio: 1, message: result.summary });
      report(progress);
      log.info('job done', { jobId, kind, ms: Math.round(performance.now() - started) });
      const { file, mimeType, info, summary, loudnessLufs, audioBitrate } = result;
      return { file, mimeType, info, summary, loudnessLufs, audioBitrate };
    } catch (error) {
      // An abort surfaces as whatever the runner rejected with; the signal knows the real reason.
      const failure = controller.signal.aborted && controller.signal.reason instanceof StudioError ? controller.signal.reason : error;
      const studioError = failure instanceof StudioError ? failure : new StudioError('INTERNAL', `${label} failed unexpectedly: ${String(failure)}`);
      if (!(failure instanceof StudioError)) log.error('job crashed', failure);
      Object.assign(progress, { state: studioError.code === 'CANCELLED' ? 'cancelled' : 'failed', message: studioError.message });
      report(progress);
      throw studioError;
    } finally {
      dispose();
      active.delete(jobId);
    }
  }

  return {
    probe: (file, probeOptions) =>
      quickCall(
        'Reading the file',
        (job) => probeFile(job.runner, file, { signal: job.signal }, { soundLimitMs: options.soundLimitMs, ...probeOptions }),
        probeOptions?.signal,
      ),
    analyseVoice: (file, voiceOptions = {}) =>
      quickCall(
        'Measuring the sound',
        (job) => analyseVoiceFile(job, file, { scratchDir: options.workDir, soundLimitMs: options.soundLimitMs, ...voiceOptions }),
        voiceOptions.signal,
      ),
    sampleFrames: (file, sampleOptions = {}) => sampleFrames(quickCall, file, { scratchDir: options.workDir, ...sampleOptions }),
    remux: (input, output, to) => quickCall('Repairing the recording', (job) => remuxFile(job, input, output, to)),
    prepareVoice: (input, output, voiceOptions, signal) =>
      preparation('prepareVoice', 'Preparing the voice file', voiceOptions, signal, (job) => prepareVoiceFile(job, input, output, voiceOptions)),
    prepareVideo: (input, output, videoOptions, signal) =>
      preparation('prepareVideo', 'Preparing the video', videoOptions, signal, (job) => prepareVideoFile(job, input, output, videoOptions)),
    preparePhoto: (input, output, photoOptions, signal) =>
      preparation('preparePhoto', 'Preparing the photo', photoOptions, signal, (job) => preparePhotoFile(job, input, output, photoOptions)),
    preview: (input, output, previewOptions, signal) =>
      preparation('preview', 'Making a preview', previewOptions, signal, async (job) => {
        const made = await makePreviewFile(job, input, output);
        return {
          file: output,
          mimeType: made.info.video ? 'video/mp4' : 'audio/webm',
          info: made.info,
          summary: made.summary,
          loudnessLufs: null,
          audioBitrate: null,
        };
      }),
    previewTrack: async (input, output, trackOptions) =>
      (await quickCall('Making a preview of the sound track', (job) => makeTrackPreviewFile(job, input, output, trackOptions))).info,
    cancel: (jobId) => {
      const job = active.get(jobId);
      if (!job) {
        const now = Date.now();
        for (const [id, at] of cancelledBetween) if (now - at > 60_000) cancelledBetween.delete(id);
        cancelledBetween.set(jobId, now);
        return false;
      }
      job.controller.abort(new StudioError('CANCELLED', `${job.progress.label} was cancelled.`));
      return true;
    },
    keepQuickReady: () => (runners.quick instanceof WasmRunner ? runners.quick.hold() : () => undefined),
    warm: async () => {
      const distinct = new Set([runners.quick, runners.prepare, runners.encode]);
      await Promise.all([...distinct].map((runner) => (runner instanceof WasmRunner ? runner.warm() : undefined)));
    },
    close: async () => {
      closed = true;
      for (const job of running) job.controller.abort(new StudioError('CANCELLED', 'The studio is closing.'));
      await Promise.all([...new Set([runners.quick, runners.prepare, runners.encode])].map((runner) => runner.close?.()));
      // Each cancelled job removes its partial output as it unwinds; wait for that before returning.
      await Promise.all([...running].map((job) => job.settled));
      await dropKeptSound();
    },
  };
}
