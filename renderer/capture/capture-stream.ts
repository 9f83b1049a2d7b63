/**
 * Opening a capture device: the raw voice (echo cancellation, noise suppression and automatic gain
 * all off, since a voice clone wants the real voice), mono, at the device's own rate; and what to
 * tell a person when the browser or the system says no.
 */
import { messageOf } from '../api/studio-context';

export type CaptureKind = 'microphone' | 'camera';

export type CaptureRequest = {
  /** The microphone's deviceId, or null for the system default. */
  audio?: { deviceId: string | null } | false;
  /** The camera's deviceId and the frame size wanted (the camera feature decides). */
  video?: { deviceId: string | null; width?: number; height?: number; frameRate?: number } | false;
};

/** Audio constraints for an unprocessed voice; no sampleRate, so the device keeps its native rate. */
export function rawAudioConstraints(deviceId: string | null): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    channelCount: { ideal: 1 },
  };
}

export class CaptureError extends Error {
  constructor(
    readonly reason: 'denied' | 'not-found' | 'busy' | 'gone' | 'insecure' | 'unknown',
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

function deviceWord(request: CaptureRequest): string {
  if (request.audio && request.video) return 'camera and microphone';
  return request.video ? 'camera' : 'microphone';
}

/** Turns getUserMedia's DOMExceptions into something a person can act on. */
export function explainCaptureError(error: unknown, request: CaptureRequest): CaptureError {
  const what = deviceWord(request);
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CaptureError(
        'denied',
        `Access to the ${what} was denied. Allow it for Twin Studio (in the browser's site settings, or in the system's privacy settings), then try again.`,
      );
    case 'NotFoundError':
      return new CaptureError('not-found', `No ${what} was found. Connect one and try again.`);
    case 'NotReadableError':
    case 'AbortError':
      return new CaptureError('busy', `The ${what} could not be started: another application may be using it. Close it and try again.`);
    case 'OverconstrainedError':
      return new CaptureError('gone', `The chosen ${what} is no longer available. Pick another one.`);
    default:
      return new CaptureError('unknown', `The ${what} could not be opened (${messageOf(error)}).`);
  }
}

export async function openCapture(request: CaptureRequest): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CaptureError('insecure', 'This window cannot use capture devices: open the studio from its own address (http://127.0.0.1…) or the desktop app.');
  }
  const constraints: MediaStreamConstraints = {
    audio: request.audio ? rawAudioConstraints(request.audio.deviceId) : false,
    video: request.video
      ? {
          ...(request.video.deviceId ? { deviceId: { exact: request.video.deviceId } } : {}),
          ...(request.video.width ? { width: { ideal: request.video.width } } : {}),
          ...(request.video.height ? { height: { ideal: request.video.height } } : {}),
          ...(request.video.frameRate ? { frameRate: { ideal: request.video.frameRate } } : {}),
        }
      : false,
  };
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    throw explainCaptureError(error, request);
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A live preview: the stream shown (and played) in the <video>, or nothing. */
export function showStream(video: HTMLVideoElement, stream: MediaStream | null): void {
  if (video.srcObject !== stream) video.srcObject = stream;
  if (stream) void video.play().catch(() => undefined);
}
