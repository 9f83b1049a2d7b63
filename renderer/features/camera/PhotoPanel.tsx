/** The v1 camera: the live preview with the 16:9 waist-up guide, the light, and a countdown shot. */
import { photoCrop } from '../../../shared/camera';
import { cameraCapture, photoRules } from '../../../shared/requirements';
import type { FaceCheck } from '../../capture/use-face-check';
import { Notice, Trouble } from '../../ui/Notice';
import { CameraControls } from './CameraControls';
import { CameraPreview } from './CameraPreview';
import { ExposureMeter } from './ExposureMeter';
import type { CameraSession } from './use-camera';
import type { PhotoControl } from './use-photo';

export function PhotoPanel({ session, photo, faces }: { session: CameraSession; photo: PhotoControl; faces?: FaceCheck }) {
  const live = session.phase === 'live';
  const busy = photo.phase === 'countdown' || photo.phase === 'saving';
  const crop = session.actual ? photoCrop(session.actual.width, session.actual.height) : null;
  const small = crop !== null && (crop.width < photoRules.minWidth || crop.height < photoRules.minHeight);
  const status =
    photo.phase === 'countdown'
      ? 'Get ready…'
      : photo.phase === 'saving'
        ? 'Saving the photo…'
        : session.phase === 'opening'
          ? 'Opening the camera…'
          : live
            ? 'Live'
            : 'Camera off';

  return (
    <section className="panel camera-panel" aria-labelledby="camera-photo-title" data-phase={photo.phase} data-camera={session.phase}>
      <header className="panel-header">
        <h3 id="camera-photo-title">Photo</h3>
        <span className={`rec-status rec-status-${live ? 'monitoring' : 'off'}`} role="status" data-testid="camera-status">
          {status}
        </span>
      </header>

      <div className="camera-layout">
        <CameraPreview
          session={session}
          recordingMs={null}
          countdown={photo.phase === 'countdown' ? photo.countdown : 0}
          flashAt={photo.flashAt}
          faces={faces}
        />
        <CameraControls session={session} locked={busy} />
      </div>

      <Trouble title="Camera problem" error={session.error} notice={session.notice} />
      <Trouble title="Photo problem" error={photo.error} />
      {small && crop && (
        <Notice tone="warn" title="This camera gives too small a picture">
          Its 16:9 crop is {crop.width}×{crop.height}; the avatar needs at least {photoRules.minWidth}×{photoRules.minHeight}. Photos from it are kept but fail
          their check: use a better camera, or import a picture.
        </Notice>
      )}

      <div className="console">
        <ExposureMeter exposure={session.exposure} mirrored={session.mirrored} />
        <div className="size-meter camera-size">
          <span className="meter-label">Photo size</span>
          <span className="meter-readout camera-size-readout" data-testid="photo-size">
            {crop
              ? `${crop.width}×${crop.height}, the 16:9 box of the camera’s ${session.actual!.width}×${session.actual!.height}`
              : 'known once the camera is on'}
          </span>
        </div>
      </div>

      <div className="transport" role="group" aria-label="Photo controls">
        {photo.phase === 'countdown' ? (
          <button type="button" className="button" onClick={photo.cancel}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button-record" onClick={photo.capture} disabled={!live || busy || photo.phase === 'importing'}>
            <span className="rec-dot" aria-hidden="true" />
            Take photo
          </button>
        )}
        <span className="transport-hint muted">
          {!live && 'Turn the camera on and frame the person from the waist up inside the box.'}
          {live &&
            photo.phase === 'idle' &&
            `A ${cameraCapture.photoCountdownSeconds}-second countdown, then one shot. Eyes on the line, looking into the lens.`}
          {photo.phase === 'countdown' && 'Look into the lens…'}
          {photo.phase === 'saving' && 'Storing and checking the photo…'}
        </span>
      </div>
    </section>
  );
}
