/** Pieces of a take's review (TakeReview.tsx): the trim fields, the sound picker and the take's actions. */
import { useEffect, useRef, useState } from 'react';
import type { Take } from '../../shared/drafts';
import type { VoiceMix, VoiceSource } from '../../shared/media';
import { mediaPath } from '../../shared/transport';
import { messageOf, useStudio } from '../api/studio-context';
import { Notice } from '../ui/Notice';

export type TrimRange = { startMs: number; endMs: number };

export function TrimFields({
  shown,
  enabled,
  trimmed,
  onEdge,
  onReset,
}: {
  shown: TrimRange;
  /** False until the take is saved and its length known. */
  enabled: boolean;
  /** Whether a trim is stored (Reset has something to undo). */
  trimmed: boolean;
  /** A typed edge, in seconds; false when it was refused (the field then shows the stored edge again). */
  onEdge: (edge: 'startMs' | 'endMs', seconds: number) => boolean;
  onReset: () => void;
}) {
  const commit = (edge: 'startMs' | 'endMs', input: HTMLInputElement) => {
    // An empty or half-typed field reads as NaN, never as 0.
    const seconds = input.value.trim() === '' ? Number.NaN : Number(input.value);
    if (!onEdge(edge, seconds)) input.value = (shown[edge] / 1000).toFixed(1);
  };
  const field = (edge: 'startMs' | 'endMs', label: string) => (
    <label>
      <span>{label}</span>
      <input
        // Re-mounted when the stored edge changes, so a typed value never fights the region's drag.
        key={`${edge}-${shown[edge]}`}
        className="input input-small"
        type="number"
        min={0}
        step={0.1}
        defaultValue={(shown[edge] / 1000).toFixed(1)}
        disabled={!enabled}
        onBlur={(event) => Number(event.target.value) * 1000 !== shown[edge] && commit(edge, event.target)}
        onKeyDown={(event) => event.key === 'Enter' && commit(edge, event.currentTarget)}
      />
    </label>
  );
  return (
    <div className="trim-fields" role="group" aria-label="Trim">
      {field('startMs', 'Trim start (s)')}
      {field('endMs', 'Trim end (s)')}
      <button type="button" className="button" disabled={!enabled || !trimmed} onClick={onReset}>
        Reset trim
      </button>
    </div>
  );
}

export function TakeActions({
  take,
  saved,
  chosen,
  onKeep,
  onChoose,
  onDiscard,
}: {
  take: Take;
  saved: boolean;
  chosen: boolean;
  onKeep: () => void;
  onChoose: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="review-actions">
      {take.state === 'recovered' && (
        <button type="button" className="button button-primary" onClick={onKeep} disabled={!saved}>
          Keep recovered take
        </button>
      )}
      <button type="button" className="button" onClick={onChoose} disabled={!saved || chosen || take.state === 'recovered'}>
        {chosen ? 'This is the chosen take' : 'Use this take'}
      </button>
      <button type="button" className="button button-quiet" onClick={onDiscard}>
        Discard
      </button>
    </div>
  );
}

const mixNames: Record<VoiceMix, string> = {
  mono: 'Mono',
  average: 'Both channels',
  left: 'Left channel only',
  right: 'Right channel only',
  difference: 'Difference (one channel inverted)',
};

/** Whether a voice take's sound is one the person may want to change: several tracks, or two channels. */
export function hasSoundChoice(source: VoiceSource | null | undefined): source is VoiceSource {
  if (!source) return false;
  const chosen = source.tracks.find((track) => track.track === source.track);
  return source.tracks.length > 1 || (chosen?.channels ?? 1) === 2;
}

/**
 * Which track of the file and which channel mix a voice take uses: measured by the studio, changed
 * here when the person disagrees (the take is checked again, drawn and prepared from the new one).
 */
export function SoundPicker({
  draftId,
  takeId,
  source,
  disabled,
  onChoose,
}: {
  draftId: string;
  takeId: string;
  source: VoiceSource;
  disabled: boolean;
  onChoose: (choice: { track: number; mix: VoiceMix | null }) => void;
}) {
  const chosen = source.tracks.find((track) => track.track === source.track);
  const stereo = (chosen?.channels ?? 1) === 2;
  return (
    <div className="sound-picker" role="group" aria-label="Sound used">
      {source.tracks.length > 1 && (
        <label>
          <span>Sound track{source.chosenBy === 'auto' ? ' (chosen as speech)' : ''}</span>
          <select
            className="input input-compact"
            aria-label="Sound track"
            value={source.track}
            disabled={disabled}
            onChange={(event) => onChoose({ track: Number(event.target.value), mix: null })}
          >
            {source.tracks.map((track) => (
              <option key={track.track} value={track.track}>
                {track.label} · speech {Math.round(track.speechScore * 100)} %
              </option>
            ))}
          </select>
        </label>
      )}
      {source.tracks.length > 1 && <TrackListen draftId={draftId} takeId={takeId} source={source} />}
      {stereo && (
        <label>
          <span>Channels</span>
          <select
            className="input input-compact"
            aria-label="Channels"
            value={source.mix}
            disabled={disabled}
            onChange={(event) => onChoose({ track: source.track, mix: event.target.value as VoiceMix })}
          >
            {(['average', 'left', 'right', 'difference'] as const).map((mix) => (
              <option key={mix} value={mix}>
                {mixNames[mix]}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/**
 * A few seconds of each sound track, made by the media engine (`media/trackPreview`) when asked, so
 * the person hears the tracks before picking one. One plays at a time.
 */
function TrackListen({ draftId, takeId, source }: { draftId: string; takeId: string; source: VoiceSource }) {
  const studio = useStudio();
  const audio = useRef<HTMLAudioElement | null>(null);
  const [state, setState] = useState<{ track: number; phase: 'making' | 'playing' } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => audio.current?.pause(), []);

  const listen = async (track: number) => {
    const player = audio.current;
    if (!player) return;
    player.pause();
    if (state?.track === track) {
      setState(null);
      return;
    }
    setError(null);
    setState({ track, phase: 'making' });
    try {
      const made = await studio.call('media/trackPreview', { draftId, takeId, track });
      player.src = mediaPath(draftId, made.fileName);
      await player.play();
      setState({ track, phase: 'playing' });
    } catch (failure) {
      setState(null);
      setError(`Track ${track + 1} could not be played: ${messageOf(failure)}`);
    }
  };

  return (
    <div className="track-listen" role="group" aria-label="Hear each track before choosing">
      <span>Listen (8 s of each)</span>
      <div className="track-listen-buttons">
        {source.tracks.map((track) => {
          const mine = state?.track === track.track ? state.phase : null;
          return (
            <button
              key={track.track}
              type="button"
              className={`button button-small${track.track === source.track ? ' is-current' : ''}`}
              aria-label={`${mine === 'playing' ? 'Stop' : 'Listen to'} track ${track.track + 1}`}
              aria-pressed={mine === 'playing'}
              disabled={mine === 'making'}
              onClick={() => void listen(track.track)}
            >
              {mine === 'making' ? '…' : mine === 'playing' ? '■' : '▶'} Track {track.track + 1}
            </button>
          );
        })}
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      <audio ref={audio} preload="none" onEnded={() => setState(null)} data-testid="track-preview" />
    </div>
  );
}
