/** The recorder: microphone choice, the live waveform and meters, the take's length and size, and the transport buttons. */
import { formatBytes, formatDuration } from '../../../shared/audio-analysis';
import { audioQuality, voiceRules } from '../../../shared/requirements';
import { DevicePicker } from '../../capture/DevicePicker';
import { DiscardTake } from '../../capture/DiscardTake';
import { DurationMeter, durationLimits } from '../../capture/DurationMeter';
import { LevelMeter } from '../../capture/LevelMeter';
import { LiveWaveform } from '../../capture/LiveWaveform';
import { type MeterStore, useMeters } from '../../capture/meter-store';
import { Trouble } from '../../ui/Notice';
import type { CapturePhase, VoiceCapture } from './use-voice-capture';

const statusText: Record<CapturePhase, string> = {
  off: 'Microphone off',
  opening: 'Opening the microphone…',
  monitoring: 'Listening · not recording',
  starting: 'Starting…',
  recording: 'Recording',
  paused: 'Paused',
  saving: 'Saving the take…',
};

/** What the file will weigh at the maximum length, from what it weighs now. */
function projectedBytes(bytes: number, elapsedMs: number): number | null {
  if (elapsedMs < 3000 || bytes === 0) return null;
  return (bytes / elapsedMs) * voiceRules.maxSeconds * 1000;
}

/** The clock in the status pill: subscribes to the meters alone, so the panel does not re-render with it. */
function RecordingClock({ meters }: { meters: MeterStore }) {
  const { elapsedMs } = useMeters(meters);
  return <span className="rec-clock">{formatDuration(elapsedMs)}</span>;
}

/** The dark console: live waveform, level, length and size, redrawn at display rate. */
function Console({ capture, taking }: { capture: VoiceCapture; taking: boolean }) {
  const { reading } = useMeters(capture.microphone.levels);
  const { elapsedMs, bytes } = useMeters(capture.take.meters);
  const { phase } = capture;
  const measuring = taking || phase === 'saving';
  const shownBytes = measuring ? bytes : 0;
  const projected = projectedBytes(shownBytes, elapsedMs);
  const sizeShare = projected === null ? 0 : Math.min(1, projected / voiceRules.maxBytes);
  return (
    <div className="console" data-recorded-ms={Math.round(elapsedMs)}>
      <LiveWaveform track={capture.microphone.liveTrack} active={phase === 'recording'} />
      <LevelMeter reading={reading} band={audioQuality.rmsDbfs} label="Speech level" />
      <DurationMeter ms={measuring ? elapsedMs : 0} limits={durationLimits(voiceRules)} label="Take length" idle={!measuring} />
      <div className="size-meter" data-testid="size-meter">
        <span className="meter-label">File size</span>
        <div className="size-track" aria-hidden="true">
          <div className="size-fill" style={{ width: `${sizeShare * 100}%` }} />
        </div>
        <span className="meter-readout">
          {formatBytes(shownBytes)} so far
          {projected !== null && (
            <>
              {' '}
              · about {formatBytes(projected)} at {formatDuration(voiceRules.maxSeconds * 1000)}
            </>
          )}{' '}
          · limit {formatBytes(voiceRules.maxBytes)}
        </span>
      </div>
    </div>
  );
}

export function RecorderPanel({ capture }: { capture: VoiceCapture }) {
  const { phase, microphone, take } = capture;
  const on = phase !== 'off' && phase !== 'opening';
  const taking = phase === 'recording' || phase === 'paused' || phase === 'starting';

  return (
    <section className="panel recorder" aria-labelledby="recorder-title" data-phase={phase}>
      <header className="panel-header">
        <h3 id="recorder-title">Recorder</h3>
        <span className={`rec-status rec-status-${phase}`} role="status" data-testid="recorder-status">
          {(phase === 'recording' || phase === 'paused') && <span className="rec-dot" aria-hidden="true" />}
          {statusText[phase]}
          {(phase === 'recording' || phase === 'paused') && <RecordingClock meters={take.meters} />}
        </span>
      </header>

      <div className="recorder-input">
        <DevicePicker
          id="voice-microphone"
          label="Microphone"
          devices={microphone.devices}
          value={microphone.deviceId}
          disabled={taking || phase === 'saving' || phase === 'opening'}
          onChange={microphone.selectDevice}
          hint={
            microphone.sampleRate
              ? `${(microphone.sampleRate / 1000).toFixed(1)} kHz, mono · echo cancellation, noise suppression and automatic gain off`
              : 'Recorded as it is: echo cancellation, noise suppression and automatic gain are off.'
          }
        />
        {!on ? (
          <button type="button" className="button button-primary" onClick={() => void microphone.enable()} disabled={phase === 'opening'}>
            Turn on microphone
          </button>
        ) : (
          <button type="button" className="button" onClick={microphone.disable} disabled={taking || phase === 'saving'}>
            Turn off
          </button>
        )}
      </div>

      <Trouble title="Recording problem" error={capture.error} notice={capture.notice} />

      <Console capture={capture} taking={taking} />

      <div className="transport" role="group" aria-label="Recording controls">
        {phase === 'recording' || phase === 'paused' || phase === 'starting' ? (
          <>
            {phase === 'paused' ? (
              <button type="button" className="button" onClick={take.resume}>
                Resume
              </button>
            ) : (
              <button type="button" className="button" onClick={take.pause} disabled={phase === 'starting'}>
                Pause
              </button>
            )}
            <button type="button" className="button button-stop" onClick={() => void take.stop()} disabled={phase === 'starting'}>
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
            <DiscardTake take={take} disabled={phase === 'starting'} />
          </>
        ) : (
          <button type="button" className="button button-record" onClick={() => void take.record()} disabled={phase !== 'monitoring'}>
            <span className="rec-dot" aria-hidden="true" />
            Record
          </button>
        )}
        <span className="transport-hint muted">
          {phase === 'off' && 'Turn the microphone on, check the level, then record.'}
          {phase === 'monitoring' && 'Speak a sentence: the level should sit in the shaded band.'}
          {phase === 'recording' && `Stops by itself at ${formatDuration(voiceRules.maxSeconds * 1000)}.`}
          {phase === 'paused' && 'Paused: nothing is being recorded.'}
          {phase === 'saving' && 'Repairing, measuring and checking the take…'}
        </span>
      </div>
    </section>
  );
}
