/**
 * Moving archives between the person and the main process: an exported archive read back in pieces
 * and offered as a download; a picked archive sent in, in pieces, and imported.
 */
import type { StudioClient } from '../../../shared/contract';
import { archiveStreaming } from '../../../shared/contract/library';
import { sendInPieces } from '../../api/send-in-pieces';
import { saveFile } from '../../ui/save-file';

export async function downloadArchive(studio: StudioClient, archiveName: string, onProgress?: (share: number) => void): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const { bytes, totalBytes } = await studio.call('library/readExport', { archiveName, offset, length: archiveStreaming.maxChunkBytes });
    if (bytes.byteLength > 0) parts.push(new Uint8Array(bytes));
    offset += bytes.byteLength;
    onProgress?.(totalBytes > 0 ? offset / totalBytes : 1);
    if (offset >= totalBytes || bytes.byteLength === 0) break;
  }
  saveFile(archiveName, parts, 'application/zip');
}

/** Sends a picked archive to the main process and imports it; the main process verifies everything. */
export async function importArchive(studio: StudioClient, file: File, options: { replace?: boolean; onProgress?: (share: number) => void }) {
  const { importId } = await studio.call('library/importBegin', { fileName: file.name, bytes: file.size });
  return sendInPieces(
    file,
    {
      append: (seq, bytes) => studio.call('library/importAppend', { importId, seq, bytes }),
      finish: () => studio.call('library/importFinish', { importId, replace: options.replace }),
      cancel: () => studio.call('library/importCancel', { importId }),
    },
    { pieceBytes: archiveStreaming.maxChunkBytes, onProgress: options.onProgress },
  );
}
