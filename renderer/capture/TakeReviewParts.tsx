/** Pieces of a take's review (TakeReview.tsx): the trim fields and the take's actions. */
import type { Take } from '../../shared/drafts';

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
