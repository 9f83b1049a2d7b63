/**
 * A create whose answer never came, on a service that lists its twins without tags: the studio could
 * not prove which twin (if any) its request made, so it shows the twins that might be it, with what
 * it could not prove about each, and the person decides. It never guesses.
 */
import { useState } from 'react';
import type { Submission, TwinCandidate } from '../../../shared/contract/submission';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';

function nameOf(candidate: TwinCandidate): string {
  return `${candidate.firstName ?? ''} ${candidate.lastName ?? ''}`.trim() || candidate.id;
}

export function TwinChoice({ submission, onChange }: { submission: Submission; onChange: (next: Submission) => void }) {
  const studio = useStudio();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (submission.state !== 'needs-choice') return null;

  async function act(work: () => Promise<Submission>) {
    setBusy(true);
    setError(null);
    try {
      onChange(await work());
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(false);
    }
  }
  const draftId = submission.draftId;

  return (
    <section className="panel twin-choice" aria-labelledby="twin-choice-title" data-testid="twin-choice">
      <div className="panel-header">
        <h3 id="twin-choice-title">Which twin is this draft’s?</h3>
      </div>
      <p>
        The service did not answer the request for this twin, and it lists its twins without the tag that names their draft, so the studio cannot prove which
        twin, if any, that request made. It will not guess. These twins have this person’s name; none could be proven this draft’s:
      </p>
      <ul className="twin-candidates">
        {submission.candidates.map((candidate) => (
          <li key={candidate.id} className="twin-candidate" data-twin={candidate.id}>
            <div>
              <strong>{nameOf(candidate)}</strong> <span className="path">{candidate.id}</span>
              <span className="muted small">
                {' '}
                · client id {candidate.externalClientId ?? 'not given'} ·{' '}
                {candidate.createdAt ? `made ${new Date(candidate.createdAt).toLocaleString()}` : 'time made not given'}
                {candidate.status ? ` · ${candidate.status}` : ''}
              </span>
            </div>
            <ul className="small">
              {candidate.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void act(() => studio.call('submission/choose', { draftId, twinId: candidate.id }))}
            >
              This is the twin of this draft
            </button>
          </li>
        ))}
      </ul>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="button-row">
        <button type="button" className="button" disabled={busy} onClick={() => void act(() => studio.call('submission/retry', { draftId }))}>
          Look again
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void act(() => studio.call('submission/choose', { draftId, twinId: null }))}>
          None of these: request a new twin
        </button>
      </div>
      <p className="hint small">If the earlier request did reach the service after all, requesting a new twin makes a second one for this person.</p>
    </section>
  );
}
