/**
 * The ffmpeg.wasm worker thread: loads @ffmpeg/core once and runs one ffmpeg or ffprobe command per
 * request, reading inputs straight from disk and writing outputs to disk, so no media crosses threads.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { type EmscriptenFs, createDiskFs } from './disk-fs';
import { installPthreadWorkers } from './pthreads';
import { type MomentaryFrame, momentaryFrame, statsTimeMs } from './ffmpeg-log';
import { type RunRequest, type RunResult, type WorkerData, type WorkerMessage, progressSlots } from './worker-protocol';
import { lowerThreadPriority } from '../thread-priority';

type CoreFs = {
  mkdir(path: string): void;
  mount(type: unknown, options: unknown, mountpoint: string): void;
  unmount(mountpoint: string): void;
  readdir(path: string): string[];
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  rmdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
  filesystems: { WORKERFS: unknown; MEMFS: unknown };
} & EmscriptenFs;

type FFmpegCore = {
  exec(...args: string[]): number;
  ffprobe(...args: string[]): number;
  reset(): void;
  setLogger(logger: (entry: { type: 'stdout' | 'stderr'; message: string }) => void): void;
  FS: CoreFs;
  HEAPU8: Uint8Array;
};

const tailLines = 60;

/**
 * A read-only view of a file on disk shaped like a Blob, for Emscripten's WORKERFS: ffmpeg reads
 * (and seeks) the input in small pieces instead of the whole file being copied into memory first.
 */
class DiskSlice {
  constructor(
    readonly fd: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  slice(from = 0, to = this.size): DiskSlice {
    const begin = this.start + Math.max(0, Math.min(from, this.size));
    return new DiskSlice(this.fd, begin, Math.max(begin, Math.min(this.start + to, this.end)));
  }
}

/** WORKERFS reads through FileReaderSync, which Node lacks: this one reads the slice synchronously. */
class DiskReaderSync {
  readAsArrayBuffer(slice: DiskSlice): ArrayBuffer {
    const bytes = new Uint8Array(slice.size);
    let offset = 0;
    while (offset < bytes.length) {
      const read = readSync(slice.fd, bytes, offset, bytes.length - offset, slice.start + offset);
      if (read === 0) break;
      offset += read;
    }
    return bytes.buffer;
  }
}

async function loadCore(data: WorkerData): Promise<FFmpegCore> {
  // The core expects a browser worker: it reads self.location and fetches its wasm unless given the bytes.
  const scope = globalThis as unknown as { self?: unknown; FileReaderSync?: unknown };
  scope.self ??= { location: { href: pathToFileURL(data.corePath).href } };
  scope.FileReaderSync ??= DiskReaderSync;
  const startThreadsAhead = data.threads ? installPthreadWorkers({ cores: data.threads, nice: data.nice }) : async () => undefined;
  const module = (await import(pathToFileURL(data.corePath).href)) as {
    default: (options: { wasmBinary: Uint8Array }) => Promise<FFmpegCore>;
  };
  const core = await module.default({ wasmBinary: await readFile(data.wasmPath) });
  await startThreadsAhead();
  return core;
}

function removeTree(fs: CoreFs, dir: string): void {
  if (!fs.analyzePath(dir).exists) return;
  for (const name of fs.readdir(dir)) {
    if (name !== '.' && name !== '..') fs.unlink(`${dir}/${name}`);
  }
  fs.rmdir(dir);
}

function run(core: FFmpegCore, diskFs: unknown, request: RunRequest, progress: Int32Array): RunResult {
  const fds: number[] = [];
  const lines: string[] = [];
  const momentary: MomentaryFrame[] | null = request.keepLog === 'momentary' ? [] : null;
  let stdout = '';
  core.setLogger(({ type, message }) => {
    if (type === 'stdout') {
      stdout += `${message}\n`;
      return;
    }
    const timeMs = message.startsWith('size=') || message.includes(' time=') ? statsTimeMs(message) : null;
    if (timeMs !== null) {
      // Shared, not posted: see progressSlots.
      Atomics.store(progress, progressSlots.timeMs, Math.round(timeMs));
      Atomics.store(progress, progressSlots.id, request.id);
      return;
    }
    if (momentary) {
      const frame = momentaryFrame(message);
      if (frame) momentary.push(frame);
    }
    lines.push(message);
    if (lines.length > tailLines * 2) lines.splice(0, lines.length - tailLines);
  });
  const fs = core.FS;
  try {
    fs.mkdir('/in');
    fs.mkdir('/out');
    // Outputs bound for disk are written there as ffmpeg produces them; PCM for the caller stays in memory.
    const toDisk = request.outputs.length > 0 && request.outputs.every((output) => output.path !== null);
    if (toDisk) fs.mount(diskFs, { files: Object.fromEntries(request.outputs.map((output) => [output.name, output.path])) }, '/out');
    const blobs = request.inputs.map((input) => {
      const fd = openSync(input.path, 'r');
      fds.push(fd);
      return { name: input.name, data: new DiskSlice(fd, 0, fstatSync(fd).size) };
    });
    fs.mount(fs.filesystems.WORKERFS, { blobs }, '/in');
    const exitCode = request.program === 'ffmpeg' ? core.exec(...request.args) : core.ffprobe(...request.args);
    const data: Record<string, Uint8Array> = {};
    // ffprobe never sets the exit code (it stays -1): its JSON on stdout is the verdict.
    const succeeded = request.program === 'ffprobe' || exitCode === 0;
    if (succeeded) {
      for (const output of request.outputs) {
        if (output.path === null) data[output.name] = fs.readFile(`/out/${output.name}`);
        else if (!existsSync(output.path)) throw new Error(`ffmpeg wrote no ${output.name}`);
      }
    }
    return { exitCode, stdout, log: lines.slice(-tailLines), data, heapBytes: core.HEAPU8.length, ...(momentary ? { momentary } : {}) };
  } finally {
    for (const fd of fds) closeSync(fd);
    try {
      for (const mountpoint of ['/in', '/out']) {
        if (!fs.analyzePath(mountpoint).exists) continue;
        try {
          fs.unmount(mountpoint);
        } catch {
          // Not a mount point: the in-memory /out, emptied below.
        }
        removeTree(fs, mountpoint);
      }
    } finally {
      core.reset();
    }
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the media worker must run in a worker thread');
  const started = performance.now();
  const data = workerData as WorkerData;
  lowerThreadPriority(data.nice ?? 0);
  const core = await loadCore(data);
  const diskFs = createDiskFs(core.FS);
  const post = (message: WorkerMessage) => port.postMessage(message);
  const progress = new Int32Array(data.progress);
  port.on('message', (request: RunRequest) => {
    try {
      const result = run(core, diskFs, request, progress);
      const transfer = Object.values(result.data).map((bytes) => bytes.buffer as ArrayBuffer);
      port.postMessage({ type: 'done', id: request.id, ...result } satisfies WorkerMessage, transfer);
    } catch (error) {
      // A wasm trap leaves the module in an unknown state: the engine replaces this worker.
      const fatal = error instanceof Error && (error.name === 'RuntimeError' || /memory/i.test(error.message));
      const message = error instanceof Error ? error.message : String(error);
      post({ type: 'failed', id: request.id, message, fatal });
    }
  });
  post({ type: 'ready', loadMs: Math.round(performance.now() - started) });
}

void main().catch((error: unknown) => {
  // An unhandled rejection ends the thread with an 'error' event the engine reports.
  throw error;
});
