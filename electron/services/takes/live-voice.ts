/**
 * A voice recording measured while it is recorded, so its checks are ready at Stop: each piece that
 * lands in the take's file is also handed to a worker thread (live-voice-worker.ts), which decodes
 * its sound and measures it as a stream. At Stop only the last piece is left to measure. The file
 * on disk stays the truth: the takes service confirms these figures from it afterwards.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';
import type { TrackMeasurement } from '../media/sound-measure';
import { type VoiceFileAnalysis, describeVoice } from '../media/voice-source';
import { workerEntry } from '../worker-entry';

export type LiveVoiceRequest = { type: 'bytes'; bytes: Uint8Array } | { type: 'finish' };
export type LiveVoiceReply =
  | { type: 'done'; channels: 1 | 2; sampleRate: number; corruptPackets: number; measurement: TrackMeasurement }
  | { type: 'unsupported'; reason: string }
  | { type: 'failed'; message: string };

/** Far longer than the last piece takes to measure, even on a starved machine; past it the file is measured instead. */
const finishTimeoutMs = 30_000;

export class LiveVoice {
  private worker: Worker | null;
  private outcome: Promise<VoiceFileAnalysis | null> | null = null;
  private settle: ((reply: LiveVoiceReply | null) => void) | null = null;

  constructor(private readonly log: Logger) {
    const entry = workerEntry('live-voice-worker.cjs', () => fileURLToPath(new URL('./live-voice-worker.ts', import.meta.url)));
    const worker = new Worker(entry.file, { eval: entry.eval });
    this.worker = worker;
    worker.on('message', (reply: LiveVoiceReply) => this.settle?.(reply));
    worker.on('error', (error) => {
      this.log.warn('the live sound measure stopped', { message: error.message });
      this.settle?.({ type: 'failed', message: error.message });
      this.worker = null;
    });
    worker.unref();
  }

  /** A piece of the recording, in order, once it is on disk. */
  push(bytes: Uint8Array): void {
    this.worker?.postMessage({ type: 'bytes', bytes } satisfies LiveVoiceRequest);
  }

  /**
   * The recording's voice as measured so far, once the pieces sent are all measured; null when it
   * could not be measured as it came (not Opus, a piece unreadable, the thread gone): the caller
   * measures the file. The thread ends either way.
   */
  finish(): Promise<VoiceFileAnalysis | null> {
    this.outcome ??= this.measure();
    return this.outcome;
  }

  /** Ends the thread without an answer (a take discarded, the studio closing). */
  stop(): void {
    this.settle?.(null);
    void this.worker?.terminate();
    this.worker = null;
  }

  private async measure(): Promise<VoiceFileAnalysis | null> {
    const worker = this.worker;
    if (!worker) return null;
    const reply = await new Promise<LiveVoiceReply | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), finishTimeoutMs);
      this.settle = (value) => {
        clearTimeout(timer);
        this.settle = null;
        resolve(value);
      };
      worker.postMessage({ type: 'finish' } satisfies LiveVoiceRequest);
    });
    this.stop();
    if (!reply || reply.type !== 'done') {
      this.log.info('the recording is measured from its file', { why: reply ? (reply.type === 'failed' ? reply.message : reply.reason) : 'no answer in time' });
      return null;
    }
    const { measurement, sampleRate, channels } = reply;
    const track = { index: 0, codec: 'opus', sampleRate, channels, title: null };
    return describeVoice([track], [{ track, ...measurement }], null, {
      durationMs: Math.round((measurement.frames / sampleRate) * 1000),
      // A recording carries no duration in its header until it is repaired; the file's check compares them.
      headerDurationMs: null,
    });
  }
}
