/**
 * Sending an approved draft to the service, and following it: the steps (validate, prepare, upload,
 * create, follow) with upload progress per file, the twin's status, what went wrong and how to go on.
 * The work runs in the main process; leaving this screen, or quitting, does not stop or lose it.
 */
import { useState } from 'react';
import { approvalState } from '../../../shared/approval';
import type { Submission, SubmissionStep } from '../../../shared/contract/submission';
import { draftStatus, submissionStepNames, twinStatusWord } from '../../../shared/draft-status';
import type { Draft } from '../../../shared/drafts';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { routeHref } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { SandboxBadge } from '../../ui/SandboxBanner';
import { TwinChoice } from './TwinChoice';
import { V1Offer } from './V1Offer';
import { useSubmission } from './use-submission';

const order: SubmissionStep[] = ['validate', 'prepare', 'upload', 'create', 'follow', 'done'];
const roleLabels = { voice: 'Voice', video: 'Video', photo: 'Photo' } as const;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function StepList({ submission }: { submission: Submission }) {
  const at = order.indexOf(submission.step);
  return (
    <ol className="submit-steps" aria-label="Submission steps">
      {(Object.keys(submissionStepNames) as Exclude<SubmissionStep, 'done'>[]).map((step) => {
        const index = order.indexOf(step);
        const failed = submission.state === 'failed' && submission.step === step;
        const done = index < at || submission.state === 'done';
        const active = index === at && !failed && (submission.state === 'running' || submission.state === 'following');
        const mark = failed ? '✗' : done ? '✓' : active ? '…' : '';
        return (
          <li
            key={step}
            className={failed ? 'submit-step failed' : done ? 'submit-step done' : active ? 'submit-step active' : 'submit-step'}
            aria-current={active ? 'step' : undefined}
          >
            <span className="submit-step-mark" aria-hidden="true">
              {mark}
            </span>
            <span>{submissionStepNames[step]}</span>
            <span className="visually-hidden">{failed ? ' (failed)' : done ? ' (done)' : active ? ' (in progress)' : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}

function Files({ submission }: { submission: Submission }) {
  return (
    <ul className="submit-files">
      {submission.files.map((file) => {
        const ratio = file.bytes ? Math.min(1, file.sentBytes / file.bytes) : 1;
        return (
          <li key={file.role} className="submit-file">
            <div className="submit-file-head">
              <strong>{roleLabels[file.role]}</strong>
              <span className="muted">
                {file.fileName} · {megabytes(file.bytes)}
              </span>
              {file.verifiedAt ? (
                <span className="badge badge-pass">Uploaded, public</span>
              ) : file.uploadedAt ? (
                <span className="badge">Checking access</span>
              ) : null}
            </div>
            {!file.verifiedAt && (
              <div className="busy-line">
                <div
                  className="progress"
                  role="progressbar"
                  aria-label={`${roleLabels[file.role]} upload`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(ratio * 100)}
                >
                  <div className="progress-fill" style={{ width: `${ratio * 100}%` }} />
                </div>
                <span>{Math.round(ratio * 100)}%</span>
              </div>
            )}
            {file.publicUrl && file.verifiedAt && <span className="path">{file.publicUrl}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function Preconditions({ draft }: { draft: Draft }) {
  const apiKey = useCall('apiKey/status', {}, ['apiKey/changed']);
  const storage = useCall('storage/status', {}, ['storage/changed']);
  const approval = approvalState(draft);
  const items: { ok: boolean; text: string; href: string }[] = [
    {
      ok: approval === 'approved',
      text: approval === 'approved' ? 'Approved on the Review step' : approval === 'stale' ? 'Changed since approval: approve again' : 'Not approved yet',
      href: routeHref({ screen: 'draft', draftId: draft.id, step: 'review' }),
    },
    {
      ok: apiKey.state === 'ready' && apiKey.value.configured,
      text: apiKey.state === 'ready' && apiKey.value.configured ? 'API key set' : 'No API key set',
      href: routeHref({ screen: 'settings' }),
    },
    {
      ok: storage.state === 'ready' && storage.value.target !== null,
      text: storage.state === 'ready' && storage.value.target !== null ? (storage.value.sandbox ? 'Sandbox storage' : 'Storage set up') : 'No storage set up',
      href: routeHref({ screen: 'settings' }),
    },
  ];
  return (
    <ul className="submit-preconditions">
      {items.map((item) => (
        <li key={item.text} className={item.ok ? 'step-ok' : 'step-failed'}>
          <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> {item.ok ? item.text : <a href={item.href}>{item.text}</a>}
        </li>
      ))}
    </ul>
  );
}

export function SubmitScreen({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const { submission, loading, error: loadError, set } = useSubmission(draft.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(call: 'submission/start' | 'submission/retry' | 'submission/cancel') {
    setBusy(true);
    setError(null);
    try {
      set(await studio.call(call, { draftId: draft.id }));
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  const active = submission && (submission.state === 'queued' || submission.state === 'running');
  const canCancel = active && submission.create.state === 'not-sent';
  const canRetry = submission && (submission.state === 'failed' || submission.state === 'cancelled');
  const twinHref = routeHref({ screen: 'twins' });
  const status = draftStatus(draft, submission);

  return (
    <Screen
      title="Submit"
      intro="Upload the approved files to your storage, check that the service can fetch them, request the twin and follow it until it is ready."
      actions={<SandboxBadge />}
    >
      {loading && <p className="muted">Reading the submission…</p>}
      {loadError && <Notice tone="error">{loadError.message}</Notice>}
      {!loading && !submission && (
        <div className="panel" data-testid="submit-ready">
          <Preconditions draft={draft} />
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={() => void act('submission/start')} disabled={busy}>
              Submit
            </button>
          </div>
        </div>
      )}
      {submission && (
        <section className="panel submission" aria-labelledby="submission-title" data-testid="submission" data-state={submission.state}>
          <div className="panel-header">
            <h3 id="submission-title">Submission</h3>
            <span className={`badge badge-${status.tone}`} title={status.detail} data-testid="submission-state" data-stage={status.stage}>
              {status.label}
            </span>
          </div>
          <StepList submission={submission} />
          <Files submission={submission} />
          {submission.twin && (
            <p className="notice-text" data-testid="submission-twin">
              Twin <span className="path">{submission.twin.id}</span>: <strong>{twinStatusWord(submission.twin.status)}</strong>
              {submission.state === 'following' && ' — the studio checks on it in the background, also after a restart.'}
              {submission.state === 'done' && (
                <>
                  . <a href={twinHref}>Make an agent from it on the Twins screen.</a>
                </>
              )}
            </p>
          )}
          {submission.error && (
            <Notice tone="error" title={status.label}>
              {submission.error.message}
              {submission.error.fields && Object.keys(submission.error.fields).length > 0 && (
                <>
                  {' '}
                  <a href={routeHref({ screen: 'draft', draftId: draft.id, step: 'person' })}>Check the Person step.</a>
                </>
              )}
            </Notice>
          )}
          <V1Offer draft={draft} submission={submission} />
          <TwinChoice submission={submission} onChange={set} />
          <div className="button-row">
            {canRetry && (
              <button type="button" className="button button-primary" onClick={() => void act('submission/retry')} disabled={busy}>
                {submission.state === 'cancelled' ? 'Submit again' : 'Try again'}
              </button>
            )}
            {canCancel && (
              <button type="button" className="button" onClick={() => void act('submission/cancel')} disabled={busy}>
                Cancel
              </button>
            )}
          </div>
          {submission.history.length > 0 && (
            <details className="submit-history">
              <summary>What happened</summary>
              <ol>
                {submission.history
                  .slice()
                  .reverse()
                  .map((entry) => (
                    <li key={`${entry.at}-${entry.message}`}>
                      <span className="muted">{new Date(entry.at).toLocaleTimeString()}</span> {entry.message}
                    </li>
                  ))}
              </ol>
            </details>
          )}
        </section>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </Screen>
  );
}
