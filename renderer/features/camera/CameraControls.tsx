/** The camera's settings: which camera (and microphone, for a video), resolution, frame rate, the mirror, on and off. */
import { DevicePicker } from '../../capture/DevicePicker';
import { frameRateDiffers, resolutionLabel } from './camera-formats';
import type { CameraSession } from './use-camera';

export function CameraControls({ session, locked }: { session: CameraSession; locked: boolean }) {
  const { phase, version } = session;
  const on = phase === 'live';
  const actualHeight = session.actual?.height ?? null;
  // What the camera gives (its track's settings), not what was asked: the picker shows that rate while they differ.
  const givenRate = on && session.actual?.frameRate ? Math.round(session.actual.frameRate) : null;
  const counted = on && session.actual?.counted ? Math.round(session.actual.counted) : null;
  const fewerArrive = counted !== null && givenRate !== null && counted < givenRate * 0.8;
  const rateDiffers = givenRate !== null && frameRateDiffers(givenRate, session.frameRate);
  const shownRate = rateDiffers ? givenRate : session.frameRate;
  const rates = session.offer.frameRates.includes(shownRate) ? session.offer.frameRates : [...session.offer.frameRates, shownRate].sort((a, b) => a - b);
  return (
    <div className="camera-controls">
      {session.cameras.length > 0 ? (
        <DevicePicker
          id="camera-device"
          label="Camera"
          devices={session.cameras}
          value={session.cameraId}
          disabled={locked || phase === 'opening'}
          onChange={session.selectCamera}
        />
      ) : (
        <p className="hint camera-devices-hint">
          {/* Device ids appear only with permission: a listed microphone means it was given, so the camera is truly missing. */}
          {session.microphones.length > 0 ? 'No camera is connected.' : 'The camera list appears once the studio may use the camera: turn it on.'}
        </p>
      )}
      {version === 'v2' && session.microphones.length > 0 && (
        <DevicePicker
          id="camera-microphone"
          label="Microphone"
          devices={session.microphones}
          value={session.microphoneId}
          disabled={locked || phase === 'opening'}
          onChange={session.selectMicrophone}
          hint="Recorded as it is: no echo cancellation, noise suppression or automatic gain."
        />
      )}
      {version === 'v2' ? (
        <div className="camera-format-row">
          <div className="field">
            <label htmlFor="camera-resolution">Resolution</label>
            <select
              id="camera-resolution"
              className="input"
              value={session.resolution.height}
              disabled={locked}
              onChange={(event) => session.selectResolution(Number(event.target.value))}
            >
              {session.offer.resolutions.map((resolution) => (
                <option key={resolution.height} value={resolution.height}>
                  {resolutionLabel(resolution)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="camera-frame-rate">Frame rate</label>
            <select
              id="camera-frame-rate"
              className="input"
              value={shownRate}
              disabled={locked}
              onChange={(event) => session.selectFrameRate(Number(event.target.value))}
            >
              {rates.map((rate) => (
                <option key={rate} value={rate}>
                  {rate} fps
                </option>
              ))}
            </select>
          </div>
          {rateDiffers && (
            <p className="hint camera-format-hint" data-testid="frame-rate-hint">
              The camera gives {givenRate} fps, not the {session.frameRate} fps asked for: takes are recorded at {givenRate} fps.
            </p>
          )}
          {fewerArrive && (
            <p className="hint camera-format-hint" data-testid="frame-rate-counted">
              Only about {counted} fps are arriving now: a camera slows down in dim light, and a busy computer drops frames. More light helps.
            </p>
          )}
          {on && session.offer.resolutions.length === 1 && <p className="hint camera-format-hint">This camera does not offer 1080p.</p>}
          {on && actualHeight !== null && actualHeight !== session.resolution.height && (
            <p className="hint camera-format-hint">
              The camera gives {session.actual!.width}×{actualHeight}.
            </p>
          )}
        </div>
      ) : (
        <p className="hint">
          Photos are taken at the largest size the camera gives
          {session.actual ? ` (${session.actual.width}×${session.actual.height})` : ''} and cropped to the 16:9 box.
        </p>
      )}
      <label className="choice">
        <input type="checkbox" checked={session.mirrored} onChange={(event) => session.setMirrored(event.target.checked)} />
        Mirror the preview (the {version === 'v2' ? 'recording' : 'photo'} is never mirrored)
      </label>
      {!on ? (
        <button type="button" className="button button-primary" onClick={() => void session.enable()} disabled={phase === 'opening'}>
          {phase === 'opening' ? 'Opening…' : version === 'v2' ? 'Turn on camera and microphone' : 'Turn on camera'}
        </button>
      ) : (
        <button type="button" className="button" onClick={session.disable} disabled={locked}>
          Turn off
        </button>
      )}
    </div>
  );
}
