/** Pieces of a take's review (TakeReview.tsx): the trim fields, the sound picker and the take's actions. */
import type { Take } from '../../shared/drafts';
import type { VoiceMix, VoiceSource } from '../../shared/media';

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
  onEdge: (edge: 'startMs' | 'endMs', seconds: number) => void;
  onReset: () => void;
}) {
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
        onBlur={(event) => Number(event.target.value) * 1000 !== shown[edge] && onEdge(edge, Number(event.target.value))}
        onKeyDown={(event) => event.key === 'Enter' && onEdge(edge, Number(event.currentTarget.value))}
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
  source,
  disabled,
  onChoose,
}: {
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
