/** A take's waveform with playback, the part that will be submitted (its trim) marked; read-only, offline. */
import { useRef } from 'react';
import { formatDuration } from '../../../shared/audio-analysis';
import type { Take } from '../../../shared/drafts';
import { mediaPath } from '../../../shared/transport';
import { useWaveform } from '../../capture/use-waveform';

export function WaveformPlayer({ draftId, take, label }: { draftId: string; take: Take; label: string }) {
  const trim = take.trim;
  const box = useRef<HTMLDivElement>(null);
  const wave = useWaveform({
    id: take.id,
    container: box,
    height: 88,
    url: mediaPath(draftId, take.fileName),
    peaks: null,
    decode: true,
    durationMs: take.durationMs ?? 0,
    // Only the trimmed part is submitted, so only it is played.
    range: trim,
  });

  return (
    <div className="review-player" data-ready={wave.ready ? 'true' : 'false'}>
      <div className="review-wave">
        <div ref={box} className="review-waveform" role="img" aria-label={`Waveform of ${label}`} />
      </div>
      <div className="review-controls">
        <button type="button" className="button button-primary" onClick={wave.playPause} disabled={!wave.ready}>
          {wave.playing ? 'Pause' : 'Play'}
        </button>
        <span className="review-time meter-clock" aria-label="Playback position">
          {formatDuration(wave.time)} / {formatDuration(take.durationMs ?? 0)}
        </span>
        <span className="muted small">
          {trim
            ? `Submitted: ${formatDuration(trim.startMs)}–${formatDuration(trim.endMs)} (${formatDuration(trim.endMs - trim.startMs)})`
            : 'Submitted whole; silence at the ends is trimmed when the file is prepared'}
        </span>
      </div>
      {wave.error && <p className="field-error">{wave.error}</p>}
    </div>
  );
}
