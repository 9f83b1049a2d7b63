/** One draft open: its name, its steps and the screen of the current step; in an operator session, the shortcuts. */
import { useState } from 'react';
import { draftStatus } from '../../shared/draft-status';
import { displayName } from '../../shared/drafts';
import type { Step } from '../../shared/progress';
import { asStudioError, useCall, useStudio } from '../api/studio-context';
import { navigate } from '../navigation/router';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Notice } from '../ui/Notice';
import { CameraScreen } from '../features/camera/CameraScreen';
import { announceDeleted } from '../features/library/DeletedToast';
import { PersonScreen } from '../features/person/PersonScreen';
import { ReviewScreen } from '../features/review/ReviewScreen';
import { SubmitScreen } from '../features/submit/SubmitScreen';
import { useSubmission } from '../features/submit/use-submission';
import { VoiceScreen } from '../features/voice/VoiceScreen';
import { shortcutKeys, useOperatorSession } from '../features/drafts/operator-session';
import { StepIndicator } from '../features/drafts/StepIndicator';

export function DraftWorkspace({ draftId, step }: { draftId: string; step: Step }) {
  const studio = useStudio();
  const draft = useCall('drafts/get', { id: draftId }, ['drafts/changed']);
  const { submission } = useSubmission(draftId);
  const session = useOperatorSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (draft.state === 'loading') return <p className="muted pad">Opening draft…</p>;
  if (draft.state === 'error') {
    return (
      <div className="pad">
        <Notice tone="error" title="This draft cannot be opened">
          {draft.error.message}
        </Notice>
      </div>
    );
  }
  const value = draft.value;

  // To the trash, with Undo in the sidebar and Restore in the library.
  async function deleteDraft() {
    setConfirming(false);
    try {
      const { trashed } = await studio.call('library/delete', { ids: [draftId] });
      announceDeleted(trashed);
      navigate({ screen: 'home' });
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  return (
    <div className="workspace">
      <header className="workspace-header">
        <div className="workspace-title">
          <h1>{displayName(value.person)}</h1>
          <span className="muted">Draft created {new Date(value.createdAt).toLocaleString()}</span>
        </div>
        <button type="button" className="button button-quiet" onClick={() => setConfirming(true)}>
          Delete draft
        </button>
      </header>
      {session && (
        <p className="operator-strip" aria-label="Operator shortcuts">
          Operator session
          {session.draftIds.includes(draftId) && ` · person ${session.draftIds.indexOf(draftId) + 1} of ${session.draftIds.length}`} ·{' '}
          <kbd>{shortcutKeys.record}</kbd> record <kbd>{shortcutKeys.stop}</kbd> stop <kbd>{shortcutKeys.retake}</kbd> retake <kbd>{shortcutKeys.next}</kbd>{' '}
          next person
        </p>
      )}
      <StepIndicator draftId={value.id} status={draftStatus(value, submission)} current={step} />
      {error && <Notice tone="error">{error}</Notice>}
      <div className="workspace-body">
        {step === 'person' && <PersonScreen draft={value} />}
        {step === 'voice' && <VoiceScreen draft={value} />}
        {step === 'camera' && <CameraScreen draft={value} />}
        {step === 'review' && <ReviewScreen draft={value} />}
        {step === 'submit' && <SubmitScreen draft={value} />}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${displayName(value.person)}?`}
        message="The draft and its takes move to the trash. You can undo this, or restore it from the library’s trash."
        confirmLabel="Delete draft"
        danger
        onConfirm={() => void deleteDraft()}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}
