/** Sends a picture to the studio in pieces (like a take's chunks); a refused or broken upload leaves nothing behind. */
import type { StudioClient } from '../../../shared/contract';
import type { Photo } from '../../../shared/drafts';
import { sendInPieces } from '../../api/send-in-pieces';

export async function uploadPhoto(
  studio: StudioClient,
  draftId: string,
  picture: Blob,
  options: { source: 'camera' | 'imported'; originalName?: string },
): Promise<Photo> {
  const { photoId } = await studio.call('camera/photoBegin', {
    draftId,
    source: options.source,
    mimeType: picture.type.slice(0, 120),
    originalName: options.originalName?.slice(0, 255),
    expectedBytes: picture.size,
  });
  // A refused picture is removed by finish itself; cancel covers an upload that broke off half-way.
  return sendInPieces(picture, {
    append: (seq, bytes) => studio.call('camera/photoAppend', { draftId, photoId, seq, bytes }),
    finish: () => studio.call('camera/photoFinish', { draftId, photoId }),
    cancel: () => studio.call('camera/photoDiscard', { draftId, photoId }),
  });
}
