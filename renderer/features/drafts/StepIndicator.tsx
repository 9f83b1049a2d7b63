/** The draft's steps as tabs, each saying whether it is done or what it still lacks (from shared/draft-status.ts). */
import type { DraftStatus } from '../../../shared/draft-status';
import type { Step } from '../../../shared/progress';
import { routeHref, stepLabels } from '../../navigation/router';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function StepIndicator({ draftId, status, current }: { draftId: string; status: DraftStatus; current: Step }) {
  return (
    <ol className="steps" aria-label="Steps">
      {status.steps.map((step, index) => (
        <li key={step.step}>
          <a
            href={routeHref({ screen: 'draft', draftId, step: step.step })}
            className={`step ${step.step === current ? 'current' : ''} ${step.done ? 'done' : ''}`}
            aria-current={step.step === current ? 'step' : undefined}
            aria-label={`${stepLabels[step.step]}: ${step.detail}`}
            title={sentence(step.detail)}
          >
            <span className="step-mark" aria-hidden="true">
              {step.done ? '✓' : index + 1}
            </span>
            <span className="step-text">
              <span className="step-label">{stepLabels[step.step]}</span>
              <span className="step-status">{step.text}</span>
            </span>
          </a>
        </li>
      ))}
    </ol>
  );
}
