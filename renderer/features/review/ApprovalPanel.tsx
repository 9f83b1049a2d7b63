/**
 * The approval: possible only when every hard rule passes (the main process checks again), each
 * warning acknowledged by name, a reviewer's name given, and the faces of the consent take and the
 * material the same person (or a reason to approve anyway). Approval writes the consent receipt,
 * which can be saved from here; it can be withdrawn, and any later change withdraws it.
 */
import { type FormEvent, useState } from 'react';
import type { ReviewState } from '../../../shared/contract/review';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';
import { saveFile } from '../../ui/save-file';
import { rememberReviewer, rememberedReviewer } from './operator-name';

export function ApprovalPanel({ state }: { state: ReviewState }) {
  const studio = useStudio();
  const [acknowledged, setAcknowledged] = useState<Set<string>>(new Set());
  const [acknowledgedOf, setAcknowledgedOf] = useState('');
  const [reviewer, setReviewer] = useState(rememberedReviewer);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState('');
  const mismatch = state.likeness.some((item) => !item.same);
  const warningKeys = state.warnings.map((warning) => warning.key).join('|');

  // Warnings that went away are no longer acknowledged; new ones start unacknowledged.
  if (acknowledgedOf !== warningKeys) {
    setAcknowledgedOf(warningKeys);
    setAcknowledged(new Set([...acknowledged].filter((key) => warningKeys.split('|').includes(key))));
  }

  const allAcknowledged = state.warnings.every((warning) => acknowledged.has(warning.key));
  const approved = state.approval === 'approved';

  async function approve(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await studio.call('review/approve', {
        draftId: state.draft.id,
        approvedBy: reviewer,
        acknowledgedWarnings: [...acknowledged],
        likenessOverride: mismatch ? override.trim() || undefined : undefined,
      });
      rememberReviewer(reviewer);
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  async function saveReceipt() {
    setError(null);
    try {
      const { text, receipt } = await studio.call('review/receipt', { draftId: state.draft.id });
      const name =
        receipt.person.fullName
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'draft';
      saveFile(`consent-receipt-${name}-${receipt.code}.json`, [text], 'application/json');
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  async function withdraw() {
    setError(null);
    try {
      await studio.call('review/withdraw', { draftId: state.draft.id });
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  if (approved) {
    const approval = state.draft.approval!;
    return (
      <section className="panel approval approval-done" aria-labelledby="approval-title" data-testid="approval">
        <div className="panel-header">
          <h3 id="approval-title">Approval</h3>
          <span className="badge badge-pass">Approved</span>
        </div>
        <p className="notice-text">
          Approved by <strong>{approval.approvedBy}</strong> on {new Date(approval.approvedAt).toLocaleString()}
          {approval.acknowledgedWarnings.length > 0 &&
            `, with ${approval.acknowledgedWarnings.length} acknowledged ${approval.acknowledgedWarnings.length === 1 ? 'warning' : 'warnings'}`}
          . The consent receipt records the statement, the code, the operator, the time and the SHA-256 of the consent take and of{' '}
          {approval.files.map((file) => file.fileName).join(' and ')}.
        </p>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="button-row">
          <button type="button" className="button" onClick={() => void saveReceipt()}>
            Save consent receipt
          </button>
          <button type="button" className="button button-quiet" onClick={() => void withdraw()}>
            Withdraw approval
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className="panel approval" aria-labelledby="approval-title" onSubmit={(event) => void approve(event)} data-testid="approval">
      <div className="panel-header">
        <h3 id="approval-title">Approval</h3>
        <span className={state.canApprove && !mismatch ? 'badge badge-pass' : 'badge'} data-testid="approval-badge">
          {!state.canApprove ? `${state.blockers.length} to resolve` : mismatch ? 'Faces to confirm' : 'Every hard rule passes'}
        </span>
      </div>
      {state.likeness.length > 0 && (
        <div className="likeness" data-testid="likeness">
          {state.likeness.map((item) => (
            <p key={item.id} className="likeness-row" data-same={item.same ? 'true' : 'false'}>
              <span className={item.same ? 'badge badge-pass' : 'badge badge-fail'}>{item.headline}</span> {item.label}: face similarity{' '}
              {item.similarity.toFixed(2)}
            </p>
          ))}
          {mismatch && (
            <div className="field">
              <label htmlFor="likeness-override">The faces look like different people. Approve anyway only if you know it is the same person: say why</label>
              <input
                id="likeness-override"
                className="input"
                value={override}
                onChange={(event) => setOverride(event.target.value)}
                maxLength={500}
                placeholder="e.g. checked in person: new haircut and glasses"
              />
            </div>
          )}
        </div>
      )}
      {state.warnings.length > 0 && (
        <fieldset className="field warnings-ack">
          <legend>Warnings to acknowledge</legend>
          <p className="hint">These do not block a twin, but they may make it worse. Tick each one you have listened to or looked at and accept.</p>
          {state.warnings.map((warning) => (
            <label key={warning.key} className="choice warning-ack" data-warning={warning.key}>
              <input
                type="checkbox"
                checked={acknowledged.has(warning.key)}
                onChange={(event) =>
                  setAcknowledged((current) => {
                    const next = new Set(current);
                    if (event.target.checked) next.add(warning.key);
                    else next.delete(warning.key);
                    return next;
                  })
                }
              />
              <span>
                <strong>
                  {warning.source} · {warning.label}:
                </strong>{' '}
                {warning.reason}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="form-inline approval-row">
        <div className="field grow">
          <label htmlFor="approver">Your name (reviewer)</label>
          <input id="approver" className="input" value={reviewer} onChange={(event) => setReviewer(event.target.value)} maxLength={100} required />
        </div>
        <button
          type="submit"
          className="button button-primary"
          disabled={!state.canApprove || !allAcknowledged || !reviewer.trim() || (mismatch && !override.trim()) || busy}
        >
          {busy ? 'Approving…' : 'Approve for submission'}
        </button>
      </div>
      {!state.canApprove && <p className="hint">Approval opens once everything listed at the top of this page is resolved.</p>}
      {state.canApprove && !allAcknowledged && <p className="hint">Acknowledge every warning to approve.</p>}
      {state.canApprove && mismatch && !override.trim() && (
        <p className="hint">The consent take does not look like the same person: record it again, or give a reason.</p>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </form>
  );
}
