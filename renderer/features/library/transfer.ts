/**
 * Moving archives and receipts between the person and the main process: an exported archive read
 * back in pieces and offered as a download; a picked archive streamed in, in order, in pieces.
 */
import type { StudioClient } from '../../../shared/contract';
import { archiveStreaming } from '../../../shared/contract/library';

/** Hands bytes to the person as a file download (a save dialog in the desktop app). */
export function saveFile(name: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Long enough for the browser to have started reading the blob.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

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

/** Streams a picked archive to the main process and imports it; the main process verifies everything. */
export async function importArchive(
  studio: StudioClient,
  file: File,
  options: { replace?: boolean; onProgress?: (share: number) => void },
) {
  const { importId } = await studio.call('library/importBegin', { fileName: file.name, bytes: file.size });
  try {
    let seq = 0;
    for (let offset = 0; offset < file.size; offset += archiveStreaming.maxChunkBytes) {
      const bytes = new Uint8Array(await file.slice(offset, offset + archiveStreaming.maxChunkBytes).arrayBuffer());
      await studio.call('library/importAppend', { importId, seq: seq++, bytes });
      options.onProgress?.(Math.min(1, (offset + bytes.byteLength) / file.size));
    }
  } catch (error) {
    await studio.call('library/importCancel', { importId }).catch(() => undefined);
    throw error;
  }
  return studio.call('library/importFinish', { importId, replace: options.replace });
}
