/** StudioApi handlers for the camera calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { cameraCalls } from '../../../shared/contract/camera';
import type { CameraService } from './camera-service';

export function cameraHandlers(camera: CameraService): Pick<StudioHandlers, keyof typeof cameraCalls> {
  return {
    'camera/photoBegin': async (input) => ({ photoId: await camera.beginPhoto(input) }),
    'camera/photoAppend': ({ draftId, photoId, seq, bytes }) => camera.appendPhoto(draftId, photoId, seq, bytes),
    'camera/photoFinish': ({ draftId, photoId }) => camera.finishPhoto(draftId, photoId),
    'camera/prepareFaceCheck': async () => ({ faceCheck: camera.prepareFaceCheck() }),
    'camera/photoChoose': async ({ draftId, photoId }) => ({ chosenPhotoId: await camera.choosePhoto(draftId, photoId) }),
    'camera/photoDiscard': async ({ draftId, photoId }) => {
      return { discarded: await camera.discardPhoto(draftId, photoId) };
    },
    'camera/photoFromVideo': ({ draftId, takeId, atMs }) => camera.photoFromVideo(draftId, takeId, atMs),
    'camera/v2AppearanceFrom': async ({ draftId, from }) => ({ v2AppearanceFrom: await camera.setV2AppearanceFrom(draftId, from) }),
    'camera/useVideoAudioAsVoice': async ({ draftId, enabled }) => ({ useVideoAudioAsVoice: await camera.setVideoAudioAsVoice(draftId, enabled) }),
  };
}
