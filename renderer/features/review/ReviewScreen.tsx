/**
 * The review of one draft: everything that will be submitted (the form fields, the chosen voice take
 * with its waveform, the chosen video or photo, every check and its verdict, the exact prepared
 * files), the consent record, and the approval. Everything here is on this computer: it works offline.
 */
import type { ReviewState } from '../../../shared/contract/review';
import type { Draft } from '../../../shared/drafts';
import { materialMissing, materialSteps } from '../../../shared/progress';
import { useCall } from '../../api/studio-context';
import { routeHref, stepLabels } from '../../navigation/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { ApprovalPanel } from './ApprovalPanel';
import { ConsentPanel } from './ConsentPanel';
import { CameraMaterial, PersonMaterial, VoiceMaterial } from './Material';
import { PreparedFiles } from './PreparedFiles';

export function ReviewScreen({ draft }: { draft: Draft }) {
  const review = useCall('review/state', { draftId: draft.id }, ['drafts/changed']);
  if (review.state === 'loading') return <p className="muted">Opening the review…</p>;
  if (review.state === 'error') {
    return (
      <Notice tone="error" title="The review could not be opened">
        {review.error.message}
      </Notice>
    );
  }
  const state = review.value;
  return (
    <Screen title="Review" intro="Everything below is exactly what will be submitted, checked on this computer. Nothing leaves it until you submit.">
      <div className="review-page">
        <ReviewStatus state={state} />
        <PersonMaterial draft={state.draft} />
        {state.roles.includes('voice') && <VoiceMaterial draft={state.draft} />}
        <CameraMaterial draft={state.draft} />
        <PreparedFiles state={state} />
        <ConsentPanel state={state} />
        <ApprovalPanel state={state} />
      </div>
    </Screen>
  );
}

function ReviewStatus({ state }: { state: ReviewState }) {
  if (state.approval === 'approved') {
    const approval = state.draft.approval!;
    return (
      <Notice tone="success" title="Approved">
        Approved by {approval.approvedBy} on {new Date(approval.approvedAt).toLocaleString()}. The consent receipt holds the SHA-256 of every file that will be
        submitted. <a href={routeHref({ screen: 'draft', draftId: state.draft.id, step: 'submit' })}>Go to Submit</a>
      </Notice>
    );
  }
  if (state.blockers.length === 0 && state.likeness.some((item) => !item.same)) {
    return (
      <Notice tone="warn" title="The faces look like different people">
        The consent take and the material do not look like the same person (see Approval below). Record the consent again with the person in the material, or
        approve with a reason if you know it is the same person.
      </Notice>
    );
  }
  if (state.blockers.length === 0) {
    return (
      <Notice tone="info" title="Ready for approval">
        Every hard rule passes.{' '}
        {state.warnings.length > 0
          ? `Acknowledge the ${state.warnings.length === 1 ? 'warning' : `${state.warnings.length} warnings`} below, then approve.`
          : 'Approve below.'}
      </Notice>
    );
  }
  const groups: [string, typeof state.blockers][] = [
    ['Material', state.blockers.filter((blocker) => blocker.area === 'material')],
    ['Files to submit', state.blockers.filter((blocker) => blocker.area === 'prepared')],
    ['Consent', state.blockers.filter((blocker) => blocker.area === 'consent')],
  ];
  return (
    <Notice
      tone="warn"
      title={
        state.approval === 'stale'
          ? 'Changed since approval: review again'
          : state.blockers.some((blocker) => blocker.area === 'material')
            ? 'Not ready for review'
            : 'Not ready for approval yet'
      }
    >
      <ul className="plain-list blocker-list" data-testid="blockers">
        {groups
          .filter(([, items]) => items.length > 0)
          .flatMap(([group, items]) =>
            items.map((blocker) => (
              <li key={blocker.id} data-blocker={blocker.id}>
                <strong>{group}:</strong> {blocker.message}
              </li>
            )),
          )}
      </ul>
      <IncompleteSteps draft={state.draft} />
    </Notice>
  );
}

/** Links to the steps that still miss material, and only those (the same rule as the step bar's). */
function IncompleteSteps({ draft }: { draft: Draft }) {
  const missing = materialMissing(draft);
  const incomplete = materialSteps.filter((step) => missing[step].length > 0);
  if (incomplete.length === 0) return null;
  return (
    <p className="notice-text" data-testid="incomplete-steps">
      Complete the{' '}
      {incomplete.map((step, index) => (
        <span key={step}>
          {index > 0 && (index === incomplete.length - 1 ? ' and ' : ', ')}
          <a href={routeHref({ screen: 'draft', draftId: draft.id, step })}>{stepLabels[step]}</a>
        </span>
      ))}{' '}
      {incomplete.length === 1 ? 'step' : 'steps'}.
    </p>
  );
}
