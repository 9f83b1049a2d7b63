/** Sending an approved draft to the service. */
import type { Draft } from '../../../shared/drafts';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';

export function SubmitScreen({ draft }: { draft: Draft }) {
  return (
    <Screen title="Submit" intro="Prepare the files, upload them to your storage and create the twin.">
      {draft.approval ? null : (
        <Notice tone="warn" title="This draft is not approved yet">Approve it on the Review step first.</Notice>
      )}
      <Notice tone="info" title="Submission is not available in this build yet">
        Preparation, upload and twin creation land with the submission pipeline. Nothing is sent from here for now.
      </Notice>
    </Screen>
  );
}
