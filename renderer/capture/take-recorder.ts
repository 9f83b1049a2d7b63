/**
 * The recorder under every take (voice, video, consent; driven by use-take-recorder.ts):
 * MediaRecorder with a short timeslice, each chunk handed to a sink (the main process) in order as
 * soon as it exists, so a crash loses at most one chunk. Pause and resume, a clock that leaves the
 * pauses out, and a clean stop when the device goes away.
 */

/** Delivers chunk `seq` (from 0, in order) to wherever the take is kept. May be retried with the same seq. */
export type ChunkSink = (seq: number, bytes: Uint8Array<ArrayBuffer>) => Promise<void>;

export type RecorderState = 'idle' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export type RecorderOptions = {
  sink: ChunkSink;
  /** Container/codec choices, best first; the first the browser supports is used. */
  mimeTypes: readonly string[];
  /** ≤ 1000 ms: what a crash or an unplugged device can lose. */
  timesliceMs: number;
  audioBitsPerSecond?: number;
  videoBitsPerSecond?: number;
  /**
   * A key frame at least this often (MediaRecorder's videoKeyFrameIntervalDuration). Chromium's MP4
   * muxer only hands out data at key frames, every few seconds by default; a timeslice alone does not.
   */
  videoKeyFrameIntervalMs?: number;
  /** While paused, an empty chunk is sent this often so the main process knows the take is alive. */
  keepAliveMs?: number;
  /**
   * The device tracks whose end stops the take (an unplugged microphone or camera). Defaults to the
   * recorded stream's tracks; pass the originals when recording a processed copy of them.
   */
  deviceTracks?: MediaStreamTrack[];
  /** Retries of one chunk before the take is given up (the main process ignores repeats). */
  retries?: number;
  onStateChange?: (state: RecorderState) => void;
  /** The recorder stopped on its own: the device disappeared, or chunks could not be delivered. */
  onInterrupted?: (reason: string) => void;
};

export type RecordingResult = { durationMs: number; bytes: number; chunks: number; mimeType: string };

export function supportedMimeType(candidates: readonly string[]): string | null {
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

export class TakeRecorder {
  readonly mimeType: string;
  private readonly recorder: MediaRecorder;
  private state: RecorderState = 'idle';
  private seq = 0;
  private bytesSent = 0;
  private delivering: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private activeSince = 0;
  private accumulatedMs = 0;
  private keepAlive: number | null = null;
  private stopped: Promise<void> | null = null;
  private readonly endedListeners: (() => void)[] = [];

  constructor(
    private readonly stream: MediaStream,
    private readonly options: RecorderOptions,
  ) {
    const mimeType = supportedMimeType(options.mimeTypes);
    if (!mimeType) throw new Error(`This browser records none of ${options.mimeTypes.join(', ')}.`);
    this.mimeType = mimeType;
    this.recorder = new MediaRecorder(stream, {
      mimeType,
      audioBitsPerSecond: options.audioBitsPerSecond,
      videoBitsPerSecond: options.videoBitsPerSecond,
      ...(options.videoKeyFrameIntervalMs ? { videoKeyFrameIntervalDuration: options.videoKeyFrameIntervalMs } : {}),
    });
    this.recorder.addEventListener('dataavailable', (event) => this.enqueue(event.data));
    this.recorder.addEventListener('error', () => this.interrupt('The recorder reported an error; what was recorded so far is kept.'));
    for (const track of options.deviceTracks ?? stream.getTracks()) {
      const onEnded = () =>
        this.interrupt(`The ${track.kind === 'audio' ? 'microphone' : 'camera'} was disconnected. The take was stopped; what was recorded is kept.`);
      track.addEventListener('ended', onEnded);
      this.endedListeners.push(() => track.removeEventListener('ended', onEnded));
    }
  }

  get current(): RecorderState {
    return this.state;
  }

  /** Time recorded so far, pauses left out. */
  elapsedMs(now = performance.now()): number {
    return this.accumulatedMs + (this.state === 'recording' ? now - this.activeSince : 0);
  }

  /** Bytes the sink has accepted. */
  get bytes(): number {
    return this.bytesSent;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.recorder.start(Math.min(1000, this.options.timesliceMs));
    this.activeSince = performance.now();
    this.setState('recording');
  }

  pause(): void {
    if (this.state !== 'recording') return;
    this.recorder.pause();
    this.accumulatedMs += performance.now() - this.activeSince;
    this.setState('paused');
    const every = this.options.keepAliveMs ?? 3000;
    this.keepAlive = window.setInterval(() => this.enqueue(null), every);
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.clearKeepAlive();
    this.recorder.resume();
    this.activeSince = performance.now();
    this.setState('recording');
  }

  /** Stops, delivers the last chunk and resolves once the sink has everything (or rejects with why not). */
  async stop(): Promise<RecordingResult> {
    if (this.state === 'idle') throw new Error('The recorder never started.');
    if (!this.stopped) {
      if (this.state === 'recording') this.accumulatedMs += performance.now() - this.activeSince;
      this.clearKeepAlive();
      this.setState('stopping');
      this.stopped = new Promise<void>((resolve) => {
        if (this.recorder.state === 'inactive') return resolve();
        // The final dataavailable fires before stop; both are queued on the recorder's task source.
        this.recorder.addEventListener('stop', () => resolve(), { once: true });
        this.recorder.stop();
      });
    }
    await this.stopped;
    await this.delivering;
    for (const remove of this.endedListeners.splice(0)) remove();
    if (this.failure) {
      this.setState('failed');
      throw this.failure;
    }
    this.setState('stopped');
    return { durationMs: Math.round(this.accumulatedMs), bytes: this.bytesSent, chunks: this.seq, mimeType: this.mimeType };
  }

  /** Stops without caring about delivery (the take is being thrown away). */
  abandon(): void {
    this.clearKeepAlive();
    for (const remove of this.endedListeners.splice(0)) remove();
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    this.setState('stopped');
  }

  private enqueue(blob: Blob | null): void {
    if (this.failure) return;
    if (blob && blob.size === 0 && this.state !== 'stopping') return;
    const seq = this.seq++;
    this.delivering = this.delivering.then(async () => {
      if (this.failure) return;
      const bytes = blob ? new Uint8Array(await blob.arrayBuffer()) : new Uint8Array(0);
      await this.deliver(seq, bytes);
    });
  }

  private async deliver(seq: number, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const retries = this.options.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.sink(seq, bytes);
        this.bytesSent += bytes.byteLength;
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        const transient = code === 'NETWORK' || code === 'TIMEOUT' || code === 'INTERNAL';
        if (!transient || attempt >= retries) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.interrupt(`The take could not be saved: ${this.failure.message} What reached the disk before this is kept.`);
          return;
        }
        await new Promise((resolve) => window.setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  private interrupt(reason: string): void {
    if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'failed') return;
    this.options.onInterrupted?.(reason);
  }

  private clearKeepAlive(): void {
    if (this.keepAlive !== null) window.clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  private setState(state: RecorderState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
