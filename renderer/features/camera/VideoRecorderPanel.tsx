/**
 * The v2 recorder: the live preview with its guides, the camera settings, and the console (light,
 * sound level, take length with 1 and 5 minutes marked, file size) with the transport buttons.
 */
import { formatBytes, formatDuration } from '../../../shared/audio-analysis';
import { audioQuality, videoRules } from '../../../shared/requirements';
import { DiscardTake } from '../../capture/DiscardTake';
import { DurationMeter, durationLimits } from '../../capture/DurationMeter';
import { LevelMeter } from '../../capture/LevelMeter';
import { useMeters } from '../../capture/meter-store';
import { supportedMimeType } from '../../capture/take-recorder';
import type { FaceCheck } from '../../capture/use-face-check';
import type { TakeControl } from '../../capture/use-take-recorder';
import { Trouble } from '../../ui/Notice';
import { describeRecording, videoMimeTypes } from './camera-formats';
import { CameraControls } from './CameraControls';
import { CameraPreview } from './CameraPreview';
import { ExposureMeter } from './ExposureMeter';
import type { CameraSession } from './use-camera';

function statusOf(session: CameraSession, take: TakeControl): { key: string; text: string } {
  if (take.phase === 'recording') return { key: 'recording', text: 'Recording' };
  if (take.phase === 'starting') return { key: 'saving', text: 'Starting…' };
  if (take.phase === 'saving') return { key: 'saving', text: 'Saving the take…' };
  if (session.phase === 'opening') return { key: 'saving', text: 'Opening the camera…' };
  if (session.phase === 'live') return { key: 'monitoring', text: 'Live · not recording' };
  return { key: 'off', text: 'Camera off' };
}

export function VideoRecorderPanel({ session, take, faces }: { session: CameraSession; take: TakeControl; faces?: FaceCheck }) {
  const { elapsedMs, bytes } = useMeters(take.meters);
  const taking = take.phase !== 'idle';
  const recording = take.phase === 'recording';
  const status = statusOf(session, take);
  const shownMs = taking ? elapsedMs : 0;
  const format = supportedMimeType(videoMimeTypes);

  return (
    <section
      className="panel camera-panel"
      aria-labelledby="camera-recorder-title"
      data-phase={take.phase}
      data-camera={session.phase}
      data-recorded-ms={Math.round(elapsedMs)}
    >
      <header className="panel-header">
        <h3 id="camera-recorder-title">Video recorder</h3>
        <span className={`rec-status rec-status-${status.key}`} role="status" data-testid="camera-status">
          {recording && <span className="rec-dot" aria-hidden="true" />}
          {status.text}
          {recording && <span className="rec-clock">{formatDuration(elapsedMs)}</span>}
        </span>
      </header>

      <div className="camera-layout">
        <CameraPreview session={session} recordingMs={recording ? elapsedMs : null} countdown={0} flashAt={0} faces={faces} />
        <CameraControls session={session} locked={taking} />
      </div>

      <Trouble title="Camera problem" error={session.error} notice={session.notice} />
      <Trouble title="Recording problem" error={take.error} notice={take.notice} />

      <div className="console">
        <ExposureMeter exposure={session.exposure} mirrored={session.mirrored} />
        <LevelMeter reading={session.reading} band={audioQuality.rmsDbfs} label="Speech level" />
        <DurationMeter ms={shownMs} limits={durationLimits(videoRules)} label="Take length" idle={!taking} />
        <div className="size-meter camera-size" data-testid="video-size">
          <span className="meter-label">File</span>
          <span className="meter-readout camera-size-readout">
            {taking
              ? `${formatBytes(bytes)} so far · ${describeRecording(take.mimeType ?? format ?? '')}`
              : format
                ? `Records as ${describeRecording(format)}`
                : 'This browser cannot record video.'}
          </span>
        </div>
      </div>

      <div className="transport" role="group" aria-label="Recording controls">
        {taking ? (
          <>
            <button type="button" className="button button-stop" onClick={() => void take.stop()} disabled={!recording}>
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
            <DiscardTake take={take} disabled={!recording} />
          </>
        ) : (
          <button type="button" className="button button-record" onClick={() => void take.record()} disabled={session.phase !== 'live'}>
            <span className="rec-dot" aria-hidden="true" />
            Record
          </button>
        )}
        <span className="transport-hint muted">
          {session.phase !== 'live' && !taking && 'Turn the camera on, frame the person in the guide, check light and level, then record.'}
          {session.phase === 'live' &&
            !taking &&
            `Talk naturally for ${videoRules.minSeconds / 60}–${videoRules.maxSeconds / 60} minutes, looking into the camera.`}
          {recording && `Stops by itself at ${formatDuration(videoRules.maxSeconds * 1000)}.`}
          {take.phase === 'saving' && 'Repairing, measuring and checking the take…'}
        </span>
      </div>
    </section>
  );
}
