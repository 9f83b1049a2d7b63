/**
 * The one receiver of bytes sent in numbered pieces: recordings (voice, video and consent takes),
 * photos and every import arrive through it. Pieces are appended in order at their offset; a piece
 * sent again (its answer was lost) is ignored; a gap is refused; the file is capped; and what has
 * arrived reaches the disk on one policy, so a crash loses at most a couple of seconds whatever kind
 * of file was arriving.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../../shared/audio-analysis';
import { StudioError } from '../../../shared/errors';
import { fileSystemError } from './atomic-write';

/** Arrived pieces are forced to disk at least this often (ms): the most a power cut can lose. */
export const chunkSyncEveryMs = 2_000;

export type ChunkSinkOptions = {
  /** What arrives, for messages: "the take", "the picture", "the archive". */
  what: string;
  /** No file may grow beyond this (bytes). */
  maxBytes: number;
  /** Exactly this many bytes are announced (an import or a photo); a recording leaves it out. */
  expectedBytes?: number;
  /** Milliseconds clock, for the sync policy and staleness; tests pass a fake. */
  now?: () => number;
  syncEveryMs?: number;
};

export type ChunkProgress = { nextSeq: number; bytes: number };

export class ChunkSink {
  private nextSeq = 0;
  private received = 0;
  private lastSync: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** When the last piece arrived (the `now` clock): a sink silent for long has lost its sender. */
  lastActivity: number;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly options: ChunkSinkOptions,
  ) {
    this.lastActivity = this.lastSync = this.now();
  }

  /**
   * Creates `file` (which must not exist: two senders never share a file) with owner-only access.
   * Throws a StudioError (MEDIA when the announced size is over the cap; DISK_FULL, IO or NOT_FOUND
   * from the file system), with a message for a person.
   */
  static async open(file: string, options: ChunkSinkOptions): Promise<ChunkSink> {
    if (options.expectedBytes !== undefined && options.expectedBytes > options.maxBytes) {
      throw new StudioError(
        'MEDIA',
        `This file is ${formatBytes(options.expectedBytes)}: more than the ${formatBytes(options.maxBytes)} ${options.what} may have.`,
      );
    }
    let handle: FileHandle;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      handle = await fs.open(file, 'wx', 0o600);
    } catch (error) {
      throw fileSystemError(error, `start a file for ${options.what}`);
    }
    return new ChunkSink(file, handle, options);
  }

  get bytes(): number {
    return this.received;
  }

  /** True once every announced byte has arrived (always true when nothing was announced). */
  get complete(): boolean {
    return this.options.expectedBytes === undefined || this.received === this.options.expectedBytes;
  }

  /**
   * Appends piece `seq` (0, 1, 2…). Pieces are handled one at a time in arrival order. Resolves with
   * how far the file has got. Throws CONFLICT for a piece after a gap or after close, MEDIA when
   * the file would outgrow its cap or its announced size, IO/DISK_FULL when the disk fails.
   */
  append(seq: number, bytes: Uint8Array): Promise<ChunkProgress> {
    const work = this.queue.then(async (): Promise<ChunkProgress> => {
      if (this.closed) throw new StudioError('CONFLICT', `${capitalise(this.options.what)} has already ended.`);
      this.lastActivity = this.now();
      if (seq < this.nextSeq) return this.progress();
      if (seq > this.nextSeq) {
        throw new StudioError('CONFLICT', `Piece ${seq} of ${this.options.what} arrived before piece ${this.nextSeq}: part of it went missing.`);
      }
      const limit = Math.min(this.options.maxBytes, this.options.expectedBytes ?? Number.POSITIVE_INFINITY);
      if (this.received + bytes.byteLength > limit) {
        throw new StudioError(
          'MEDIA',
          this.options.expectedBytes !== undefined && limit === this.options.expectedBytes
            ? `More of ${this.options.what} arrived than was announced.`
            : `${capitalise(this.options.what)} has grown beyond ${formatBytes(this.options.maxBytes)}; it was stopped there.`,
        );
      }
      try {
        let written = 0;
        while (written < bytes.byteLength) {
          const result = await this.handle.write(bytes, written, bytes.byteLength - written, this.received + written);
          written += result.bytesWritten;
        }
        if (this.now() - this.lastSync >= (this.options.syncEveryMs ?? chunkSyncEveryMs)) {
          await this.handle.datasync();
          this.lastSync = this.now();
        }
      } catch (error) {
        throw fileSystemError(error, `save ${this.options.what}`);
      }
      this.nextSeq++;
      this.received += bytes.byteLength;
      return this.progress();
    });
    this.queue = work.catch(() => undefined);
    return work;
  }

  /** Waits for pieces in flight, forces the file to disk and closes it; the file stays. Idempotent. */
  async close(): Promise<void> {
    await this.queue;
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes and removes the file: what arrived is not wanted (cancelled, refused, or shutting down). */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }

  private progress(): ChunkProgress {
    return { nextSeq: this.nextSeq, bytes: this.received };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * Removes the files in `dir` whose names start with `prefix` and that no live sink is writing
 * (`live` holds the paths being written): what a run that ended mid-transfer left behind.
 */
export async function sweepStaleChunks(dir: string, prefix: string, live: ReadonlySet<string> = new Set()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    if (!name.startsWith(prefix) || live.has(file)) continue;
    await fs.rm(file, { recursive: true, force: true });
    removed.push(file);
  }
  return removed;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
