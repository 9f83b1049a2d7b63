/**
 * A v2 video take, recorded with the one recording hook (capture/use-take-recorder.ts) from the live
 * camera session: picture and mono sound in one file at the resolution's bitrate, the light measured
 * on its frames and the faces seen in them kept with it, and the session's devices held still while it records.
 */
import type { Take } from '../../../shared/drafts';
import { cameraCapture, videoRules } from '../../../shared/requirements';
import type { FaceCheck } from '../../capture/use-face-check';
import { type FreshTake, type TakeControl, useTakeRecorder } from '../../capture/use-take-recorder';
import { videoMimeTypes } from './camera-formats';
import type { CameraSession } from './use-camera';

export function useVideoTake(
  draftId: string,
  session: CameraSession,
  faces: Pick<FaceCheck, 'onFaces'>,
  events: { onSaved?(take: Take): void; onStopped?(fresh: FreshTake): void },
): TakeControl {
  return useTakeRecorder({
    draftId,
    kind: 'video',
    maxSeconds: videoRules.maxSeconds,
    ...events,
    prepare: () => {
      const { stream, monitor } = session;
      const videoTrack = stream?.getVideoTracks()[0];
      if (session.phase !== 'live' || !stream || !videoTrack || !monitor) throw new Error('Turn the camera and microphone on first.');
      const height = session.actual?.height ?? session.resolution.height;
      const bitrate = (cameraCapture.resolutions.find((item) => item.height >= height) ?? session.resolution).videoBitsPerSecond;
      session.setBusy(true);
      return {
        stream: new MediaStream([videoTrack, monitor.monoTrack()]),
        // The devices themselves: an unplugged camera or microphone stops the take, and what was recorded is kept.
        deviceTracks: stream.getTracks(),
        mimeTypes: videoMimeTypes,
        audioBitsPerSecond: cameraCapture.audioBitsPerSecond,
        videoBitsPerSecond: bitrate,
        videoKeyFrameIntervalMs: cameraCapture.keyFrameIntervalMs,
        monitor,
        onExposure: session.onExposure,
        faces: { version: 'v2', onFaces: faces.onFaces },
        release: () => session.setBusy(false),
      };
    },
  });
}
