/**
 * Reviewing one take offline: its waveform (wavesurfer.js) with zoom and a timeline, playback, a
 * trim region (Regions plugin) the preparation step honours, and the checks, run again on the
 * trimmed range. A take just recorded is drawn at once from the peaks captured while recording.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import RegionsPlugin, { type Region } from 'wavesurfer.js/plugins/regions';
import TimelinePlugin from 'wavesurfer.js/plugins/timeline';
import { formatDuration, overallVerdict } from '../../../shared/audio-analysis';
import type { Take } from '../../../shared/drafts';
import { mediaPath } from '../../../shared/transport';
import { asStudioError, useStudio } from '../../api/studio-context';
import { DurationMeter } from '../../capture/DurationMeter';
import { TakeActions, TrimFields } from '../../capture/TakeReviewParts';
import { WaveSurfer } from '../../capture/waveform';
import { Notice } from '../../ui/Notice';
import { ChecksList, verdictSummary } from './ChecksList';
import { voiceDurationLimits } from './RecorderPanel';
import type { FreshTake } from './use-voice-capture';

type Range = { startMs: number; endMs: number };

const regionColor = 'rgba(79, 70, 229, 0.14)';

function takeTitle(take: Take | null, index: number): string {
  if (!take) return 'New take';
  if (take.source === 'imported') return take.originalName ? `Imported: ${take.originalName}` : 'Imported recording';
  return `Take ${index + 1}`;
}

export function TakeReview({
  draftId,
  take,
  index,
  fresh,
  chosen,
  onChoose,
  onDiscard,
  onKeep,
}: {
  draftId: string;
  /** Null while a just-recorded take is still being saved. */
  take: Take | null;
  index: number;
  fresh: FreshTake | null;
  chosen: boolean;
  onChoose: () => void;
  onDiscard: () => void;
  onKeep: () => void;
}) {
  const studio = useStudio();
  const section = useRef<HTMLElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const timeline = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const regions = useRef<RegionsPlugin | null>(null);
  const region = useRef<Region | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [zoom, setZoom] = useState(0);
  const [range, setRange] = useState<Range | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const takeId = take?.id ?? fresh?.takeId ?? null;
  const saved = take !== null && take.state !== 'recording' && take.durationMs !== null;
  const durationMs = saved ? take.durationMs! : (fresh?.durationMs ?? 0);
  const url = saved ? mediaPath(draftId, take.fileName) : '';
  const peaks = fresh && fresh.takeId === takeId ? fresh.peaks : null;
  const trim = take?.trim ?? null;
  const shown: Range = range ?? trim ?? { startMs: 0, endMs: durationMs };

  // A take just recorded comes into view, so the person sees it without hunting for it.
  const isFresh = fresh !== null;
  useEffect(() => {
    if (isFresh) section.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [isFresh]);

  // One wavesurfer per take.
  useEffect(() => {
    if (!container.current || !timeline.current || !takeId) return;
    const plugin = RegionsPlugin.create();
    const instance = WaveSurfer.create({
      container: container.current,
      height: 120,
      waveColor: '#94a3b8',
      progressColor: '#4f46e5',
      cursorColor: '#111827',
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: true,
      dragToSeek: true,
      plugins: [plugin, TimelinePlugin.create({ container: timeline.current, height: 18, timeInterval: 5, primaryLabelInterval: 15 })],
    });
    surfer.current = instance;
    regions.current = plugin;
    const offs = [
      instance.on('play', () => setPlaying(true)),
      instance.on('pause', () => setPlaying(false)),
      instance.on('finish', () => setPlaying(false)),
      instance.on('timeupdate', (seconds) => {
        setTime(seconds * 1000);
        const current = region.current;
        // Playback stays inside the trim: what will be uploaded is what is heard.
        if (current && instance.isPlaying() && seconds >= current.end) {
          instance.pause();
          instance.setTime(current.start);
        }
      }),
      instance.on('error', (failure) => setError(`The take could not be played: ${String(failure)}`)),
    ];
    return () => {
      offs.forEach((off) => off());
      surfer.current = null;
      regions.current = null;
      region.current = null;
      setReady(false);
      instance.destroy();
    };
  }, [takeId]);

  // The picture and the sound: peaks first when we have them, the file once it is saved.
  const durationSeconds = durationMs / 1000;
  useEffect(() => {
    const instance = surfer.current;
    if (!instance || durationSeconds <= 0) return;
    if (!url && !peaks) return;
    setReady(false);
    instance
      .load(url, peaks ? [peaks] : undefined, durationSeconds)
      .then(() => setReady(true))
      .catch((failure: unknown) => {
        if ((failure as Error)?.name !== 'AbortError') setError(`The waveform could not be drawn: ${String(failure)}`);
      });
  }, [url, peaks, durationSeconds]);

  const commitTrim = useCallback(
    async (next: Range) => {
      if (!take || !saved) return;
      const full = next.startMs <= 50 && next.endMs >= durationMs - 50;
      setChecking(true);
      setError(null);
      try {
        await studio.call('takes/trim', { draftId, takeId: take.id, trim: full ? null : next });
        setRange(null);
      } catch (failure) {
        setError(asStudioError(failure).message);
      } finally {
        setChecking(false);
      }
    },
    [studio, draftId, take, saved, durationMs],
  );

  // The trim region, placed once the waveform is ready and moved when the stored trim changes.
  useEffect(() => {
    const plugin = regions.current;
    if (!ready || !plugin) return;
    const start = (trim?.startMs ?? 0) / 1000;
    const end = (trim?.endMs ?? durationMs) / 1000;
    if (region.current) {
      region.current.setOptions({ start, end });
      return;
    }
    const created = plugin.addRegion({ id: 'trim', start, end, color: regionColor, drag: false, resize: saved, minLength: 1 });
    region.current = created;
    const offUpdate = created.on('update', () => setRange({ startMs: Math.round(created.start * 1000), endMs: Math.round(created.end * 1000) }));
    const offEnd = created.on('update-end', () => void commitTrim({ startMs: Math.round(created.start * 1000), endMs: Math.round(created.end * 1000) }));
    return () => {
      offUpdate();
      offEnd();
    };
  }, [ready, trim?.startMs, trim?.endMs, durationMs, saved, commitTrim]);

  useEffect(() => {
    region.current?.setOptions({ resize: saved });
  }, [saved]);

  useEffect(() => {
    if (ready) surfer.current?.zoom(zoom);
  }, [zoom, ready]);

  function playPause() {
    const instance = surfer.current;
    const current = region.current;
    if (!instance) return;
    if (instance.isPlaying()) {
      instance.pause();
      return;
    }
    if (current && (instance.getCurrentTime() < current.start || instance.getCurrentTime() >= current.end - 0.05)) instance.setTime(current.start);
    void instance.play();
  }

  function setEdge(edge: 'startMs' | 'endMs', seconds: number) {
    if (!Number.isFinite(seconds)) return;
    const next = { ...shown, [edge]: Math.round(Math.min(durationMs, Math.max(0, seconds * 1000))) };
    if (next.endMs - next.startMs < 1000) return;
    region.current?.setOptions({ start: next.startMs / 1000, end: next.endMs / 1000 });
    void commitTrim(next);
  }

  const checks = take?.checks ?? [];
  const verdict = overallVerdict(checks);
  const busy = !saved ? 'Saving the take: repairing the file, measuring it and running the checks…' : checking ? 'Checking the trimmed range…' : null;

  return (
    <section ref={section} className="panel review" aria-labelledby="review-title" data-take={takeId ?? ''} data-ready={ready ? 'true' : 'false'} data-saved={saved ? 'true' : 'false'}>
      <header className="panel-header">
        <div className="review-title">
          <h3 id="review-title">
            Review · <span className="review-name">{takeTitle(take, index)}</span>
          </h3>
          {take && (
            <span className="muted small">
              {take.state === 'recovered' ? 'Recovered after an interruption · ' : ''}
              {new Date(take.createdAt).toLocaleString()}
            </span>
          )}
        </div>
        <div className="review-badges">
          {chosen && <span className="badge badge-chosen">Chosen take</span>}
          {verdict && (
            <span className={`badge badge-${verdict}`} data-testid="review-verdict">
              {verdictSummary(checks)}
            </span>
          )}
        </div>
      </header>

      {error && <Notice tone="error">{error}</Notice>}

      <div className="review-wave">
        <div ref={container} className="review-waveform" data-testid="review-waveform" />
        <div ref={timeline} className="review-timeline" />
      </div>

      <div className="review-controls">
        <button type="button" className="button button-primary" onClick={playPause} disabled={!saved || !ready}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <span className="review-time meter-clock" aria-label="Playback position">
          {formatDuration(time)} / {formatDuration(durationMs)}
        </span>
        <label className="zoom">
          <span>Zoom</span>
          <input type="range" min={0} max={200} step={10} value={zoom} onChange={(event) => setZoom(Number(event.target.value))} aria-label="Zoom" />
        </label>
        <TrimFields
          shown={shown}
          enabled={saved}
          trimmed={trim !== null}
          onEdge={setEdge}
          onReset={() => void commitTrim({ startMs: 0, endMs: durationMs })}
        />
      </div>

      <DurationMeter ms={shown.endMs - shown.startMs} limits={voiceDurationLimits} label={trim || range ? 'Trimmed length' : 'Length'} />

      <ChecksList checks={checks} busy={busy} />

      {take && <TakeActions take={take} saved={saved} chosen={chosen} onKeep={onKeep} onChoose={onChoose} onDiscard={onDiscard} />}
    </section>
  );
}
