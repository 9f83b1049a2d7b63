/**
 * A tiny Emscripten file system that writes ffmpeg.wasm's outputs straight to files on disk. The
 * core's in-memory MEMFS grows a file in 12 % steps, copying it each time, which for a video of
 * a few hundred MB costs several times its size in memory; this keeps only ffmpeg's own buffers.
 * Worker-thread code: it does synchronous file I/O because ffmpeg's calls into it are synchronous.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';

/** The part of Emscripten's FS this needs. */
export type EmscriptenFs = {
  createNode(parent: DiskNode | null, name: string, mode: number, rdev: number): DiskNode;
  ErrnoError: new (errno: number) => Error;
  isDir(mode: number): boolean;
};

type DiskNode = {
  id: number;
  name: string;
  mode: number;
  node_ops: unknown;
  stream_ops: unknown;
  contents: Record<string, DiskNode> | null;
  hostPath?: string;
};

/** `fd` is taken: Emscripten numbers its streams with it. */
type Stream = { node: DiskNode; position: number; hostFd?: number };

const dirMode = 0o40777;
const fileMode = 0o100666;
const errno = { ENOENT: 44, EPERM: 63, EINVAL: 28, EBADF: 8 } as const;

/**
 * Mount with `{ files: { name: hostPath } }`: only those names may be created, each backed by its
 * host file. ffmpeg may reopen an output to read it back (MP4 `+faststart` moves the index).
 */
export function createDiskFs(FS: EmscriptenFs) {
  const fail = (code: number): never => {
    throw new FS.ErrnoError(code);
  };

  function attributes(node: DiskNode) {
    const isDir = FS.isDir(node.mode);
    const size = !isDir && node.hostPath ? statSync(node.hostPath).size : 4096;
    const now = new Date();
    return {
      dev: 1,
      ino: node.id,
      mode: node.mode,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0,
      size,
      atime: now,
      mtime: now,
      ctime: now,
      blksize: 4096,
      blocks: Math.ceil(size / 4096),
    };
  }

  const streamOps = {
    open(stream: Stream) {
      if (!stream.node.hostPath) fail(errno.EPERM);
      stream.hostFd = openSync(stream.node.hostPath as string, 'r+');
    },
    close(stream: Stream) {
      if (stream.hostFd !== undefined) closeSync(stream.hostFd);
      stream.hostFd = undefined;
    },
    read(stream: Stream, buffer: Int8Array, offset: number, length: number, position: number) {
      if (stream.hostFd === undefined) return fail(errno.EBADF);
      return readSync(stream.hostFd, buffer, offset, length, position);
    },
    write(stream: Stream, buffer: Int8Array, offset: number, length: number, position: number) {
      if (stream.hostFd === undefined) return fail(errno.EBADF);
      return writeSync(stream.hostFd, buffer, offset, length, position);
    },
    llseek(stream: Stream, offset: number, whence: number) {
      let position = offset;
      if (whence === 1) position += stream.position;
      else if (whence === 2 && stream.hostFd !== undefined) position += fstatSync(stream.hostFd).size;
      if (position < 0) fail(errno.EINVAL);
      return position;
    },
  };

  const nodeOps = {
    getattr: (node: DiskNode) => attributes(node),
    setattr(node: DiskNode, attr: { size?: number }) {
      if (attr.size !== undefined && node.hostPath) truncateSync(node.hostPath, attr.size);
    },
    lookup: (): never => fail(errno.ENOENT),
    mknod(parent: DiskNode, name: string, mode: number) {
      const hostPath = files[name];
      if (!hostPath || FS.isDir(mode)) return fail(errno.EPERM);
      writeFileSync(hostPath, new Uint8Array(0));
      const node = FS.createNode(parent, name, fileMode, 0);
      node.node_ops = nodeOps;
      node.stream_ops = streamOps;
      node.hostPath = hostPath;
      if (parent.contents) parent.contents[name] = node;
      return node;
    },
    readdir: (node: DiskNode) => ['.', '..', ...Object.keys(node.contents ?? {})],
    rename: (): never => fail(errno.EPERM),
    unlink: (): never => fail(errno.EPERM),
    rmdir: (): never => fail(errno.EPERM),
    symlink: (): never => fail(errno.EPERM),
  };

  let files: Record<string, string> = {};

  return {
    mount(mount: { opts: { files: Record<string, string> } }) {
      files = mount.opts.files;
      const root = FS.createNode(null, '/', dirMode, 0);
      root.node_ops = nodeOps;
      root.stream_ops = {};
      root.contents = {};
      return root;
    },
  };
}
