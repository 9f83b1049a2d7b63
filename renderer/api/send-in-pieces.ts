/**
 * The one way a file goes from the page to the main process: read and sent in numbered pieces, in
 * order, each accepted before the next is read (a large file never sits in memory whole), with its
 * progress; a transfer that breaks off or is refused is cancelled, so nothing of it is left behind.
 * Takes, photos and archives all arrive through the main process's one piece receiver this way.
 */

/** The calls of one transfer, after its begin call has named it. */
export type PieceTransfer<T> = {
  /** Hands piece `seq` (from 0, in order) to the main process. */
  append(seq: number, bytes: Uint8Array<ArrayBuffer>): Promise<unknown>;
  /** Ends the transfer: the main process judges what arrived by its content. */
  finish(): Promise<T>;
  /** Drops a transfer that failed (its own failure is ignored: there may be nothing left to drop). */
  cancel(): Promise<unknown>;
};

/** Small enough to show progress on a large file, large enough that the calls cost little. */
export const pieceBytes = 1024 * 1024;

export async function sendInPieces<T>(
  file: Blob,
  transfer: PieceTransfer<T>,
  options: { pieceBytes?: number; onProgress?: (share: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const size = options.pieceBytes ?? pieceBytes;
  try {
    let seq = 0;
    for (let offset = 0; offset < file.size; offset += size) {
      // Stopped between pieces: the transfer is cancelled below, like one that broke off.
      options.signal?.throwIfAborted();
      const bytes = new Uint8Array(await file.slice(offset, offset + size).arrayBuffer());
      await transfer.append(seq++, bytes);
      options.onProgress?.(Math.min(1, (offset + bytes.byteLength) / file.size));
    }
    return await transfer.finish();
  } catch (failure) {
    await transfer.cancel().catch(() => undefined);
    throw failure;
  }
}
