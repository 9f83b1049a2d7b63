/** Everything that would be submitted for this draft, and what is still missing before approval. */
import type { Draft } from '../../../shared/drafts';
import { draftProgress } from '../../../shared/progress';
import { routeHref } from '../../app/router';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { stepLabels } from '../drafts/StepIndicator';

export function ReviewScreen({ draft }: { draft: Draft }) {
  const progress = draftProgress(draft).filter((item) => item.step === 'person' || item.step === 'voice' || item.step === 'camera');
  const missing = progress.filter((item) => !item.done);
  return (
    <Screen title="Review" intro="Check the material before anything leaves this computer. Works offline.">
      {missing.length === 0 ? (
        <Notice tone="success" title="All material is here">Approval arrives with the review workflow.</Notice>
      ) : (
        <Notice tone="warn" title="Not ready for review">
          <ul className="plain-list">
            {missing.map((item) => (
              <li key={item.step}>
                <a href={routeHref({ screen: 'draft', draftId: draft.id, step: item.step })}>{stepLabels[item.step]}</a>: needs{' '}
                {item.missing.join(', ')}
              </li>
            ))}
          </ul>
        </Notice>
      )}
    </Screen>
  );
}
