/** A take's waveform with playback, the part that will be submitted (its trim) marked; read-only, offline. */
import { useEffect, useRef, useState } from 'react';
import RegionsPlugin from 'wavesurfer.js/plugins/regions';
import { formatDuration } from '../../../shared/audio-analysis';
import type { Take } from '../../../shared/drafts';
import { mediaPath } from '../../../shared/transport';
import { WaveSurfer } from '../../capture/waveform';

export function WaveformPlayer({ draftId, take, label }: { draftId: string; take: Take; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const trim = take.trim;
  const url = mediaPath(draftId, take.fileName);

  useEffect(() => {
    if (!container.current) return;
    const regions = RegionsPlugin.create();
    const instance = WaveSurfer.create({
      container: container.current,
      url,
      height: 88,
      waveColor: '#94a3b8',
      progressColor: '#4f46e5',
      cursorColor: '#111827',
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: true,
      dragToSeek: true,
      plugins: [regions],
    });
    surfer.current = instance;
    const offs = [
      instance.on('ready', () => {
        setReady(true);
        if (trim) {
          regions.addRegion({ start: trim.startMs / 1000, end: trim.endMs / 1000, color: 'rgba(79, 70, 229, 0.14)', drag: false, resize: false });
          instance.setTime(trim.startMs / 1000);
        }
      }),
      instance.on('play', () => setPlaying(true)),
      instance.on('pause', () => setPlaying(false)),
      instance.on('finish', () => setPlaying(false)),
      instance.on('timeupdate', (seconds) => {
        setTime(seconds * 1000);
        // Only the trimmed part is submitted, so only it is played.
        if (trim && instance.isPlaying() && seconds * 1000 >= trim.endMs) {
          instance.pause();
          instance.setTime(trim.startMs / 1000);
        }
      }),
      instance.on('error', (failure) => setError(`The recording could not be played: ${String(failure)}`)),
    ];
    return () => {
      offs.forEach((off) => off());
      surfer.current = null;
      setReady(false);
      instance.destroy();
    };
  }, [url, trim?.startMs, trim?.endMs]);

  return (
    <div className="review-player" data-ready={ready ? 'true' : 'false'}>
      <div className="review-wave">
        <div ref={container} className="review-waveform" role="img" aria-label={`Waveform of ${label}`} />
      </div>
      <div className="review-controls">
        <button type="button" className="button button-primary" onClick={() => void surfer.current?.playPause()} disabled={!ready}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <span className="review-time meter-clock" aria-label="Playback position">
          {formatDuration(time)} / {formatDuration(take.durationMs ?? 0)}
        </span>
        <span className="muted small">
          {trim
            ? `Submitted: ${formatDuration(trim.startMs)}–${formatDuration(trim.endMs)} (${formatDuration(trim.endMs - trim.startMs)})`
            : 'Submitted whole; silence at the ends is trimmed when the file is prepared'}
        </span>
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
