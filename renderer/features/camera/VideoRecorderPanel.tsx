/**
 * The v2 recorder: the live preview with its guides, the camera settings, and the console (light,
 * sound level, take length with 1 and 5 minutes marked, file size) with the transport buttons.
 */
import { useState } from 'react';
import { formatBytes, formatDuration } from '../../../shared/audio-analysis';
import { audioQuality, videoRules } from '../../../shared/requirements';
import { DurationMeter } from '../../capture/DurationMeter';
import { LevelMeter } from '../../capture/LevelMeter';
import { supportedMimeType } from '../../capture/take-recorder';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Notice } from '../../ui/Notice';
import { describeRecording, videoMimeTypes } from './camera-formats';
import { CameraControls } from './CameraControls';
import { CameraPreview } from './CameraPreview';
import { ExposureMeter } from './ExposureMeter';
import { videoDurationLimits } from './limits';
import type { CameraSession } from './use-camera';
import type { VideoTakeControl } from './use-video-take';

function statusOf(session: CameraSession, take: VideoTakeControl): { key: string; text: string } {
  if (take.phase === 'recording') return { key: 'recording', text: 'Recording' };
  if (take.phase === 'starting') return { key: 'saving', text: 'Starting…' };
  if (take.phase === 'saving') return { key: 'saving', text: 'Saving the take…' };
  if (session.phase === 'opening') return { key: 'saving', text: 'Opening the camera…' };
  if (session.phase === 'live') return { key: 'monitoring', text: 'Live · not recording' };
  return { key: 'off', text: 'Camera off' };
}

export function VideoRecorderPanel({ session, take }: { session: CameraSession; take: VideoTakeControl }) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const taking = take.phase !== 'idle';
  const recording = take.phase === 'recording';
  const status = statusOf(session, take);
  const shownMs = taking ? take.elapsedMs : 0;
  const format = supportedMimeType(videoMimeTypes);

  return (
    <section className="panel camera-panel" aria-labelledby="camera-recorder-title" data-phase={take.phase} data-camera={session.phase} data-recorded-ms={Math.round(take.elapsedMs)}>
      <header className="panel-header">
        <h3 id="camera-recorder-title">Video recorder</h3>
        <span className={`rec-status rec-status-${status.key}`} role="status" data-testid="camera-status">
          {recording && <span className="rec-dot" aria-hidden="true" />}
          {status.text}
          {recording && <span className="rec-clock">{formatDuration(take.elapsedMs)}</span>}
        </span>
      </header>

      <div className="camera-layout">
        <CameraPreview session={session} recordingMs={recording ? take.elapsedMs : null} countdown={0} flashAt={0} />
        <CameraControls session={session} locked={taking} />
      </div>

      {session.error && (
        <Notice tone="error" title="Camera problem">
          {session.error}
        </Notice>
      )}
      {session.notice && <Notice tone="warn">{session.notice}</Notice>}
      {take.error && (
        <Notice tone="error" title="Recording problem">
          {take.error}
        </Notice>
      )}
      {take.notice && <Notice tone="warn">{take.notice}</Notice>}

      <div className="console">
        <ExposureMeter exposure={session.exposure} mirrored={session.mirrored} />
        <LevelMeter reading={session.reading} band={audioQuality.rmsDbfs} label="Speech level" />
        <DurationMeter ms={shownMs} limits={videoDurationLimits} label="Take length" idle={!taking} />
        <div className="size-meter camera-size" data-testid="video-size">
          <span className="meter-label">File</span>
          <span className="meter-readout camera-size-readout">
            {taking ? `${formatBytes(take.bytes)} so far · ${describeRecording(take.mimeType ?? format ?? '')}` : format ? `Records as ${describeRecording(format)}` : 'This browser cannot record video.'}
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
            <button type="button" className="button button-quiet" onClick={() => setConfirmDiscard(true)} disabled={!recording}>
              Discard take
            </button>
          </>
        ) : (
          <button type="button" className="button button-record" onClick={() => void take.record()} disabled={session.phase !== 'live'}>
            <span className="rec-dot" aria-hidden="true" />
            Record
          </button>
        )}
        <span className="transport-hint muted">
          {session.phase !== 'live' && !taking && 'Turn the camera on, frame the person in the guide, check light and level, then record.'}
          {session.phase === 'live' && !taking && `Talk naturally for ${videoRules.minSeconds / 60}–${videoRules.maxSeconds / 60} minutes, looking into the camera.`}
          {recording && `Stops by itself at ${formatDuration(videoRules.maxSeconds * 1000)}.`}
          {take.phase === 'saving' && 'Repairing, measuring and checking the take…'}
        </span>
      </div>

      <ConfirmDialog
        open={confirmDiscard}
        title="Discard this take?"
        message="What has been recorded in this take is deleted. Other takes are not affected."
        confirmLabel="Discard take"
        danger
        onConfirm={() => {
          setConfirmDiscard(false);
          void take.discard();
        }}
        onCancel={() => setConfirmDiscard(false)}
      />
    </section>
  );
}
