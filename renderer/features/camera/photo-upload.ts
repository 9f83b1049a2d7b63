/** Sends a picture to the studio in pieces (like a take's chunks); a refused or broken upload leaves nothing behind. */
import type { StudioClient } from '../../../shared/contract';
import type { Photo } from '../../../shared/drafts';

const pieceBytes = 1024 * 1024;

export async function uploadPhoto(
  studio: StudioClient,
  draftId: string,
  picture: Blob,
  options: { source: 'camera' | 'imported'; originalName?: string; onProgress?: (share: number) => void },
): Promise<Photo> {
  const { photoId } = await studio.call('camera/photoBegin', {
    draftId,
    source: options.source,
    mimeType: picture.type.slice(0, 120),
    originalName: options.originalName?.slice(0, 255),
    expectedBytes: picture.size,
  });
  try {
    let seq = 0;
    for (let offset = 0; offset < picture.size; offset += pieceBytes) {
      const bytes = new Uint8Array(await picture.slice(offset, offset + pieceBytes).arrayBuffer());
      await studio.call('camera/photoAppend', { draftId, photoId, seq: seq++, bytes });
      options.onProgress?.(Math.min(1, (offset + bytes.byteLength) / picture.size));
    }
    return await studio.call('camera/photoFinish', { draftId, photoId });
  } catch (failure) {
    // finish removes a refused picture itself; this covers an upload that broke off half-way.
    await studio.call('camera/photoDiscard', { draftId, photoId }).catch(() => undefined);
    throw failure;
  }
}
