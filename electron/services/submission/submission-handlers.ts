/** StudioApi handlers for the submission queue. */
import type { StudioHandlers } from '../../../shared/contract';
import type { submissionCalls } from '../../../shared/contract/submission';
import type { SubmissionQueue } from './submission-queue';

export function submissionHandlers(queue: SubmissionQueue): Pick<StudioHandlers, keyof typeof submissionCalls> {
  return {
    'submission/start': ({ draftId }) => queue.start(draftId),
    'submission/get': ({ draftId }) => queue.get(draftId),
    'submission/list': async () => ({ items: await queue.list() }),
    'submission/cancel': ({ draftId }) => queue.cancel(draftId),
    'submission/retry': ({ draftId }) => queue.retry(draftId),
    'submission/choose': ({ draftId, twinId }) => queue.choose(draftId, twinId),
    'submission/switchToV1': ({ draftId, photoId }) => queue.switchToV1(draftId, photoId),
  };
}
