/** The draft's video takes: which one is chosen, how each fares, which is open for review. */
import { formatBytes, formatDuration, overallVerdict } from '../../../shared/audio-analysis';
import type { Take } from '../../../shared/drafts';
import { verdictSummary } from '../voice/ChecksList';

function stateText(take: Take, recordingId: string | null): string | null {
  if (take.state === 'recording') return take.id === recordingId ? 'Recording…' : 'Interrupted: being repaired';
  if (take.state === 'recovered') return 'Recovered: keep or discard';
  return null;
}

export function VideoTakeList({
  takes,
  chosenId,
  reviewId,
  recording,
  onReview,
}: {
  takes: readonly Take[];
  chosenId: string | null;
  reviewId: string | null;
  /**
   * The take being recorded now, as the recorder counts it (ms, bytes handed to the main process):
   * the draft's copy of a take in progress holds neither until it is finished.
   */
  recording: { takeId: string; elapsedMs: number; bytes: number } | null;
  onReview: (takeId: string) => void;
}) {
  if (takes.length === 0) return <p className="muted takes-empty">No video takes yet. Turn the camera on and record one above.</p>;
  return (
    <ul className="take-list" aria-label="Video takes">
      {takes.map((take, index) => {
        const verdict = overallVerdict(take.checks);
        const state = stateText(take, recording?.takeId ?? null);
        const live = recording?.takeId === take.id ? recording : null;
        return (
          <li key={take.id} className={take.id === reviewId ? 'take-row open' : 'take-row'} data-take={take.id} data-state={take.state}>
            <button type="button" className="take-open" onClick={() => onReview(take.id)} aria-current={take.id === reviewId ? 'true' : undefined}>
              <span className="take-name">
                Video take {index + 1}
                {take.id === chosenId && <span className="badge badge-chosen">Chosen</span>}
                {take.state === 'recovered' && <span className="badge badge-warn">Recovered</span>}
              </span>
              <span className="take-meta muted" data-testid="take-meta">
                {live ? (
                  `${formatDuration(live.elapsedMs)} · ${formatBytes(live.bytes)} so far`
                ) : take.state === 'recording' ? (
                  // Interrupted: its length and size are known once it is repaired.
                  '–:––'
                ) : (
                  <>
                    {take.durationMs !== null ? formatDuration(take.durationMs) : '–:––'}
                    {take.trim && ` (trimmed to ${formatDuration(take.trim.endMs - take.trim.startMs)})`} · {formatBytes(take.bytes)}
                  </>
                )}{' '}
                ·{' '}
                {new Date(take.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </span>
              <span className={`take-verdict verdict-${verdict ?? 'none'}`}>{state ?? verdictSummary(take.checks)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
