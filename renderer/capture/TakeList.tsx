/** Every take of one kind in the draft: which one is chosen, how each fares, which is open for review, the one being recorded. */
import { formatBytes, formatDuration, overallVerdict } from '../../shared/audio-analysis';
import type { Take } from '../../shared/drafts';
import { verdictSummary } from './ChecksList';
import { type MeterStore, useMeters } from './meter-store';
import { takeLabel } from './take-label';

/** The list's heading line: how many takes, and whether one is chosen. */
export function takesSummary(takes: readonly Take[], chosenId: string | null): string {
  return takes.length === 0 ? 'none yet' : `${takes.length} in this draft${chosenId ? ' · one chosen' : ' · none chosen yet'}`;
}

function stateText(take: Take, recordingId: string | null): string | null {
  if (take.state === 'recording') return take.id === recordingId ? 'Recording…' : 'Interrupted: being repaired';
  if (take.state === 'recovered') return 'Recovered: keep or discard';
  return null;
}

/** The take being recorded, as the recorder counts it: the draft's copy holds neither length nor size until it is finished. */
function LiveMeta({ meters }: { meters: MeterStore }) {
  const { elapsedMs, bytes } = useMeters(meters);
  return <>{`${formatDuration(elapsedMs)} · ${formatBytes(bytes)} so far`}</>;
}

function SavedMeta({ take }: { take: Take }) {
  // Interrupted: its length and size are known once it is repaired.
  if (take.state === 'recording') return <>–:––</>;
  return (
    <>
      {take.durationMs !== null ? formatDuration(take.durationMs) : '–:––'}
      {take.trim && ` (trimmed to ${formatDuration(take.trim.endMs - take.trim.startMs)})`} · {formatBytes(take.bytes)}
    </>
  );
}

export function TakeList({
  kind,
  takes,
  chosenId,
  reviewId,
  recording,
  onReview,
  label,
  empty,
}: {
  kind: 'voice' | 'video';
  takes: readonly Take[];
  chosenId: string | null;
  reviewId: string | null;
  /** The take being recorded now, and the recorder's meters. */
  recording: { takeId: string; meters: MeterStore } | null;
  onReview: (takeId: string) => void;
  label: string;
  /** Said when there is no take yet. */
  empty: string;
}) {
  if (takes.length === 0) return <p className="muted takes-empty">{empty}</p>;
  return (
    <ul className="take-list" aria-label={label}>
      {takes.map((take, index) => {
        const verdict = overallVerdict(take.checks);
        const state = stateText(take, recording?.takeId ?? null);
        return (
          <li key={take.id} className={take.id === reviewId ? 'take-row open' : 'take-row'} data-take={take.id} data-state={take.state}>
            <button type="button" className="take-open" onClick={() => onReview(take.id)} aria-current={take.id === reviewId ? 'true' : undefined}>
              <span className="take-name">
                {takeLabel(kind, take, index + 1)}
                {take.id === chosenId && <span className="badge badge-chosen">Chosen</span>}
                {take.state === 'recovered' && <span className="badge badge-warn">Recovered</span>}
              </span>
              <span className="take-meta muted" data-testid="take-meta">
                {recording?.takeId === take.id ? <LiveMeta meters={recording.meters} /> : <SavedMeta take={take} />}
                {' · '}
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
