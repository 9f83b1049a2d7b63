/** The draft's steps as tabs, each saying whether it is done or what it still lacks. */
import type { Draft } from '../../../shared/drafts';
import { type Step, draftProgress } from '../../../shared/progress';
import { routeHref } from '../../app/router';

export const stepLabels: Record<Step, string> = {
  person: 'Person',
  voice: 'Voice',
  camera: 'Camera',
  review: 'Review',
  submit: 'Submit',
};

export function StepIndicator({ draft, current }: { draft: Draft; current: Step }) {
  return (
    <ol className="steps" aria-label="Steps">
      {draftProgress(draft).map((progress, index) => {
        const status = progress.done ? 'done' : `needs ${progress.missing.join(', ')}`;
        return (
          <li key={progress.step}>
            <a
              href={routeHref({ screen: 'draft', draftId: draft.id, step: progress.step })}
              className={`step ${progress.step === current ? 'current' : ''} ${progress.done ? 'done' : ''}`}
              aria-current={progress.step === current ? 'step' : undefined}
              aria-label={`${stepLabels[progress.step]}: ${status}`}
              title={progress.done ? 'Done' : `Needs ${progress.missing.join(', ')}`}
            >
              <span className="step-mark" aria-hidden="true">
                {progress.done ? '✓' : index + 1}
              </span>
              <span className="step-text">
                <span className="step-label">{stepLabels[progress.step]}</span>
                <span className="step-status">{progress.done ? 'Done' : progress.missing[0]}</span>
              </span>
            </a>
          </li>
        );
      })}
    </ol>
  );
}
