/**
 * The live picture: mirrored for the person in front of the camera (as a mirror is), while the
 * recording and the photo keep the camera's own orientation; the framing guides over it, the
 * live face verdict, the countdown, a flash when a photo is taken, and the recording badge.
 */
import { formatDuration } from '../../../shared/audio-analysis';
import { FaceOverlay } from '../../capture/FaceOverlay';
import type { FaceCheck } from '../../capture/use-face-check';
import { FramingGuides } from './FramingGuides';
import type { CameraSession } from './use-camera';

export function CameraPreview({
  session,
  recordingMs,
  countdown,
  flashAt,
  faces,
}: {
  session: CameraSession;
  /** Set while a take is recorded. */
  recordingMs: number | null;
  countdown: number;
  flashAt: number;
  /** The live face check, drawn over the guides. */
  faces?: FaceCheck;
}) {
  const { attachVideo } = session;
  const width = session.actual?.width ?? session.resolution.width;
  const height = session.actual?.height ?? session.resolution.height;
  const live = session.phase === 'live';
  return (
    <div
      className="camera-stage"
      style={{ aspectRatio: `${width} / ${height}` }}
      data-phase={session.phase}
      data-mirrored={session.mirrored ? 'true' : 'false'}
    >
      <video
        ref={attachVideo}
        className={session.mirrored ? 'camera-video mirrored' : 'camera-video'}
        muted
        playsInline
        aria-label="Camera preview"
        data-testid="camera-preview"
      />
      {live && <FramingGuides version={session.version} width={width} height={height} />}
      {live && faces && <FaceOverlay check={faces} mirrored={session.mirrored} />}
      {!live && (
        <div className="camera-placeholder">
          <span className="camera-placeholder-icon" aria-hidden="true">
            ◉
          </span>
          {session.phase === 'opening' ? 'Opening the camera…' : 'Camera off'}
        </div>
      )}
      {recordingMs !== null && (
        <span className="camera-rec-badge" aria-hidden="true">
          <span className="rec-dot" /> REC {formatDuration(recordingMs)}
        </span>
      )}
      {live && (
        <span className="camera-format-badge" aria-hidden="true">
          {width}×{height}
          {session.actual?.frameRate ? ` · ${Math.round(session.actual.frameRate)} fps` : ''}
          {session.mirrored ? ' · mirrored preview' : ''}
        </span>
      )}
      {countdown > 0 && (
        <div className="camera-countdown" aria-live="assertive" data-testid="countdown">
          {countdown}
        </div>
      )}
      {flashAt > 0 && <div key={flashAt} className="camera-flash" aria-hidden="true" />}
    </div>
  );
}
