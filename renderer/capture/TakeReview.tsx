/**
 * Reviewing one take offline, voice or video: its waveform (and for a video the picture above it,
 * which the waveform drives) with zoom, a timeline and playback, a trim range that preparation
 * honours and that playback stays inside, and the checks, run again on the trimmed range. A take
 * just recorded is drawn at once from the peaks captured while recording.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatDuration, overallVerdict } from '../../shared/audio-analysis';
import type { Take } from '../../shared/drafts';
import { type VoiceMix, snapTrim } from '../../shared/media';
import { messageOf, useStudio } from '../api/studio-context';
import { Notice } from '../ui/Notice';
import { ChecksList, verdictSummary } from './ChecksList';
import { DurationMeter, type DurationLimits } from './DurationMeter';
import { SoundPicker, TakeActions, TrimFields, hasSoundChoice } from './TakeReviewParts';
import { takeLabel } from './take-label';
import { usePlayable } from './use-playable';
import type { TakeChoice } from './use-take-choice';
import type { FreshTake } from './use-take-recorder';
import { type WaveRange, useWaveform } from './use-waveform';

/** The least a trim keeps: a shorter piece is a slip of the fingers, not a take. */
const minTrimMs = 1000;

/** Silence to draw for a take whose sound cannot be drawn: it still plays and can be trimmed. */
const flatLine = (durationMs: number) => new Float32Array(Math.max(1, Math.round(durationMs / 100)));

/**
 * A saved take's sound as peaks, from the studio: the sound its checks measured (the track and mix it
 * uses, DC removed), for a video take without decoding a file of hundreds of MB in the page. A flat
 * line when they cannot be had, so the take still plays and the trim can be set.
 */
function useStoredPeaks(draftId: string, take: Take | null, wanted: boolean): { peaks: Float32Array | null; error: string | null } {
  const studio = useStudio();
  const [loaded, setLoaded] = useState<{ key: string; peaks: Float32Array; error: string | null } | null>(null);
  const takeId = take?.id ?? null;
  const durationMs = take?.durationMs ?? 0;
  // A new sound picked for the same take is drawn afresh.
  const key = `${takeId}:${take?.voiceSource?.track ?? ''}:${take?.voiceSource?.mix ?? ''}`;
  useEffect(() => {
    if (!wanted || !takeId) return;
    let live = true;
    studio.call('takes/peaks', { draftId, takeId }).then(
      (result) =>
        live &&
        setLoaded({
          key,
          // No peaks (a file with no sound to measure) draws as a flat line, never as nothing.
          peaks: result.peaks.length > 0 ? Float32Array.from(result.peaks, (value) => value / 255) : flatLine(durationMs),
          error: null,
        }),
      (failure: unknown) =>
        live &&
        setLoaded({
          key,
          peaks: flatLine(durationMs),
          error: `The sound of this take could not be drawn: ${messageOf(failure)}`,
        }),
    );
    return () => {
      live = false;
    };
  }, [studio, draftId, takeId, durationMs, wanted, key]);
  return loaded && loaded.key === key ? loaded : { peaks: null, error: null };
}

export function TakeReview({
  draftId,
  kind,
  take,
  number,
  fresh,
  chosen,
  limits,
  onChoose,
  onDiscard,
  onKeep,
}: {
  draftId: string;
  kind: 'voice' | 'video';
  /** Null while a just-recorded take is still being saved. */
  take: Take | null;
  /** Its place in the kind's list, from 1. */
  number: number;
  fresh: FreshTake | null;
  chosen: boolean;
  limits: DurationLimits;
  onChoose: () => void;
  onDiscard: () => void;
  onKeep: () => void;
}) {
  const studio = useStudio();
  const video = kind === 'video';
  const section = useRef<HTMLElement>(null);
  const player = useRef<HTMLVideoElement>(null);
  const waveBox = useRef<HTMLDivElement>(null);
  const timeBox = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(0);
  const [dragged, setDragged] = useState<WaveRange | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const takeId = take?.id ?? fresh?.takeId ?? null;
  const saved = take !== null && take.state !== 'recording' && take.durationMs !== null;
  const durationMs = saved ? take.durationMs! : (fresh?.durationMs ?? 0);
  const playable = usePlayable(draftId, take, saved);
  const url = playable.url;
  const freshPeaks = fresh && fresh.takeId === takeId && fresh.peaks.length > 0 ? fresh.peaks : null;
  // A saved voice take is drawn from the sound its checks measured (track, mix, DC removed), which
  // the page's own decoding of the file would not show; only a take just recorded is drawn at once
  // from what the page captured.
  const stored = useStoredPeaks(draftId, take, !freshPeaks && saved);
  const trim = take?.trim ?? null;
  const shown: WaveRange = dragged ?? trim ?? { startMs: 0, endMs: durationMs };

  const chooseSound = useCallback(
    async (choice: { track: number; mix: VoiceMix | null }) => {
      if (!take || !saved) return;
      setChecking(true);
      setError(null);
      try {
        await studio.call('takes/chooseSound', { draftId, takeId: take.id, track: choice.track, mix: choice.mix });
      } catch (failure) {
        setError(messageOf(failure));
      } finally {
        setChecking(false);
      }
    },
    [studio, draftId, take, saved],
  );

  const commitTrim = useCallback(
    async (next: WaveRange) => {
      if (!take || !saved) return;
      const full = snapTrim(next, durationMs) === null && next.startMs < next.endMs;
      setChecking(true);
      setError(null);
      try {
        await studio.call('takes/trim', { draftId, takeId: take.id, trim: full ? null : next });
        setDragged(null);
      } catch (failure) {
        setError(messageOf(failure));
      } finally {
        setChecking(false);
      }
    },
    [studio, draftId, take, saved, durationMs],
  );

  const wave = useWaveform({
    id: takeId,
    container: waveBox,
    timeline: timeBox,
    height: video ? 88 : 120,
    media: video ? player : undefined,
    url,
    peaks: freshPeaks ?? stored.peaks,
    // A saved take waits for its peaks; the file is decoded only when there are none to wait for.
    decode: !video && !saved,
    durationMs,
    range: durationMs > 0 ? (trim ?? { startMs: 0, endMs: durationMs }) : null,
    editable: saved,
    onRangeChange: setDragged,
    onRangeCommit: (next) => void commitTrim(next),
  });
  const { zoom: applyZoom } = wave;
  useEffect(() => applyZoom(zoom), [applyZoom, zoom]);

  // A take just recorded comes into view, so the person sees it without hunting for it.
  const isFresh = fresh !== null;
  useEffect(() => {
    if (isFresh) section.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [isFresh]);

  /** A typed trim edge: stored when it keeps at least a second, else refused with why (false). */
  function setEdge(edge: 'startMs' | 'endMs', seconds: number): boolean {
    const name = edge === 'startMs' ? 'start' : 'end';
    if (!Number.isFinite(seconds)) {
      setError(`The trim ${name} is a time in seconds, such as 12.5.`);
      return false;
    }
    const next = { ...shown, [edge]: Math.round(Math.min(durationMs, Math.max(0, seconds * 1000))) };
    if (next.endMs - next.startMs < minTrimMs) {
      const asTyped = `${seconds.toFixed(1)} s`;
      const why =
        seconds < 0 || seconds * 1000 > durationMs
          ? `${asTyped} is outside the take (0.0 to ${(durationMs / 1000).toFixed(1)} s)`
          : `${edge === 'startMs' ? 'a start' : 'an end'} of ${asTyped} would leave ${Math.max(0, (next.endMs - next.startMs) / 1000).toFixed(1)} s`;
      setError(`The trim was not changed: ${why}. A trim keeps at least ${minTrimMs / 1000} s, its start before its end.`);
      return false;
    }
    wave.mark(next);
    void commitTrim(next);
    return true;
  }

  const checks = take?.checks ?? [];
  const verdict = overallVerdict(checks);
  const busy = !saved ? 'Saving the take: repairing the file, measuring it and running the checks…' : checking ? 'Checking the take again…' : null;
  // The browser failing on a file is not the end: the studio makes a preview it can play (once).
  const { canFallBack, fallBack } = playable;
  const playFailed = wave.error !== null;
  useEffect(() => {
    if (playFailed && canFallBack) fallBack();
  }, [playFailed, canFallBack, fallBack]);
  const problem = error ?? playable.error ?? (canFallBack ? null : wave.error) ?? stored.error;
  // The voice and video reviews keep their own names on the page (tests and styles find them by these).
  const prefix = video ? 'video-' : '';

  return (
    <section
      ref={section}
      className={video ? 'panel review video-review' : 'panel review'}
      aria-labelledby={`${prefix}review-title`}
      data-take={takeId ?? ''}
      data-ready={wave.ready ? 'true' : 'false'}
      data-saved={saved ? 'true' : 'false'}
    >
      <header className="panel-header">
        <div className="review-title">
          <h3 id={`${prefix}review-title`}>
            Review · <span className="review-name">{takeLabel(kind, take, number)}</span>
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
            <span className={`badge badge-${verdict}`} data-testid={`${prefix}review-verdict`}>
              {verdictSummary(checks)}
            </span>
          )}
        </div>
      </header>

      {problem && (
        <Notice tone="error">
          {problem}
          {playable.retry && problem === playable.error && (
            <>
              {' '}
              <button type="button" className="button button-small" onClick={playable.retry} data-testid={`${prefix}preview-retry`}>
                Make the preview
              </button>
            </>
          )}
        </Notice>
      )}
      {playable.making && (
        <div className="preview-progress" role="status" data-testid={`${prefix}preview-progress`}>
          <div
            className="import-progress"
            role="progressbar"
            aria-label="Preview progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round((playable.making.ratio ?? 0) * 100)}
          >
            <div style={{ width: `${(playable.making.ratio ?? 0) * 100}%` }} />
            <span className="small muted">Making a preview this browser can play… (checks and preparation use the original)</span>
          </div>
          <button type="button" className="button" onClick={playable.cancel}>
            Cancel
          </button>
        </div>
      )}
      {playable.note && (
        <p className="muted small preview-note" data-testid={`${prefix}preview-note`}>
          {playable.note} Checks and preparation use the original file.
        </p>
      )}

      {video && (
        <div className="video-review-stage">
          <video ref={player} className="review-video" playsInline preload="metadata" aria-label="Video take playback" />
          {!saved && <div className="review-video-wait">Saving…</div>}
        </div>
      )}

      <div className="review-wave">
        <div ref={waveBox} className="review-waveform" data-testid={`${prefix}review-waveform`} />
        <div ref={timeBox} className="review-timeline" />
      </div>

      <div className="review-controls">
        {/* The waveform can be drawn from the take's measured peaks before there is a file to play (a preview being made). */}
        <button type="button" className="button button-primary" onClick={wave.playPause} disabled={!saved || !wave.ready || !url}>
          {wave.playing ? 'Pause' : 'Play'}
        </button>
        <span className="review-time meter-clock" aria-label="Playback position">
          {formatDuration(wave.time)} / {formatDuration(durationMs)}
        </span>
        <label className="zoom">
          <span>Zoom</span>
          <input
            type="range"
            min={0}
            max={200}
            step={10}
            value={zoom}
            onChange={(event) => setZoom(Number(event.target.value))}
            aria-label="Zoom"
            // Nothing to zoom until the waveform is drawn; the level set is kept across a new file.
            disabled={!wave.ready}
          />
        </label>
        <TrimFields shown={shown} enabled={saved} trimmed={trim !== null} onEdge={setEdge} onReset={() => void commitTrim({ startMs: 0, endMs: durationMs })} />
      </div>

      {!video && saved && hasSoundChoice(take.voiceSource) && (
        <SoundPicker draftId={draftId} takeId={take.id} source={take.voiceSource} disabled={checking} onChoose={(choice) => void chooseSound(choice)} />
      )}

      <DurationMeter ms={shown.endMs - shown.startMs} limits={limits} label={trim || dragged ? 'Trimmed length' : 'Length'} />

      <ChecksList checks={checks} busy={busy} />

      {take && <TakeActions take={take} saved={saved} chosen={chosen} onKeep={onKeep} onChoose={onChoose} onDiscard={onDiscard} />}
    </section>
  );
}

/** The take open for review on a kind's screen (the one chosen, just stopped, or opened), wired to the screen's choice. */
export function OpenTakeReview({
  draftId,
  kind,
  choice,
  fresh,
  chosenId,
  limits,
}: {
  draftId: string;
  kind: 'voice' | 'video';
  choice: TakeChoice;
  /** The take the recorder stopped last, shown from its peaks until it is saved. */
  fresh: FreshTake | null;
  chosenId: string | null;
  limits: DurationLimits;
}) {
  const { reviewTake } = choice;
  const shownFresh = fresh && fresh.takeId === choice.reviewId ? fresh : null;
  if (!reviewTake && !shownFresh) return null;
  return (
    <TakeReview
      key={reviewTake?.id ?? shownFresh?.takeId}
      draftId={draftId}
      kind={kind}
      take={reviewTake}
      number={choice.reviewNumber}
      fresh={shownFresh}
      chosen={reviewTake !== null && reviewTake.id === chosenId}
      limits={limits}
      onChoose={() => reviewTake && void choice.choose(reviewTake.id)}
      onDiscard={() => reviewTake && void choice.discard(reviewTake.id)}
      onKeep={() => reviewTake && void choice.keep(reviewTake.id)}
    />
  );
}
