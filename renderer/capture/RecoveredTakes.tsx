/** Takes cut short (a crash, a closed window) and repaired: offered back to be listened to, then kept or discarded. */
import type { TakeKind } from '../../shared/contract/takes';
import { formatDuration } from '../../shared/audio-analysis';
import type { Take } from '../../shared/drafts';
import { Notice } from '../ui/Notice';
import { takeLabel } from './take-label';

export function RecoveredTakes({
  kind,
  takes,
  onReview,
  onKeep,
  onDiscard,
}: {
  kind: TakeKind;
  /** Every take of the kind, in order (the recovered ones are picked out here). */
  takes: readonly Take[];
  /** Opens a take where it can be heard; without it, the take plays where the screen shows it. */
  onReview?: (takeId: string) => void;
  onKeep: (takeId: string) => void;
  onDiscard: (takeId: string) => void;
}) {
  const recovered = takes.filter((take) => take.state === 'recovered');
  if (recovered.length === 0) return null;
  return (
    <Notice tone="warn" title={recovered.length === 1 ? 'A take was recovered' : `${recovered.length} takes were recovered`}>
      <p className="notice-text">
        {recovered.length === 1 ? 'This take was' : 'These takes were'} not finished normally: the studio or its window stopped mid-take. What reached the disk
        has been kept and repaired where possible. Listen, then keep or discard.
      </p>
      <ul className="recovered-list">
        {recovered.map((take) => (
          <li key={take.id} data-take={take.id}>
            <span>
              {takeLabel(kind, take, takes.indexOf(take) + 1)} · {take.durationMs !== null ? formatDuration(take.durationMs) : 'unreadable'} ·{' '}
              {new Date(take.createdAt).toLocaleString()}
            </span>
            {onReview && (
              <button type="button" className="button" onClick={() => onReview(take.id)}>
                Review
              </button>
            )}
            <button type="button" className="button button-primary" onClick={() => onKeep(take.id)} disabled={take.durationMs === null}>
              Keep
            </button>
            <button type="button" className="button button-quiet" onClick={() => onDiscard(take.id)}>
              Discard
            </button>
          </li>
        ))}
      </ul>
    </Notice>
  );
}
