/** StudioApi handlers for the review calls (consent record, preparation, approval), and the bridge from the media handlers to the review's preparer. */
import type { StudioHandlers } from '../../../shared/contract';
import type { reviewCalls } from '../../../shared/contract/review';
import type { mediaCalls } from '../../../shared/contract/media';
import type { ReviewService, Preparer } from './review-service';

export function reviewHandlers(review: ReviewService): Pick<StudioHandlers, keyof typeof reviewCalls> {
  return {
    'review/state': ({ draftId }) => review.state(draftId),
    'review/prepare': ({ draftId, jobId }) => review.prepare(draftId, jobId),
    'review/approve': ({ draftId, approvedBy, acknowledgedWarnings, likenessOverride }) =>
      review.approve(draftId, approvedBy, acknowledgedWarnings, likenessOverride),
    'review/withdraw': ({ draftId }) => review.withdraw(draftId),
    'review/receipt': ({ draftId }) => review.receipt(draftId),
    'review/attest': ({ draftId, operatorName, date }) => review.attest(draftId, operatorName, date),
  };
}

/** The review prepares files through the same handlers the renderer's media calls use, so both make identical files. */
export function preparerFromMedia(media: Pick<StudioHandlers, keyof typeof mediaCalls>): Preparer {
  return async (draftId, role, jobId) => {
    const input = { draftId, jobId };
    const prepared =
      role === 'voice'
        ? await media['media/prepareVoice'](input)
        : role === 'video'
          ? await media['media/prepareVideo'](input)
          : await media['media/preparePhoto'](input);
    return { fileName: prepared.fileName, mimeType: prepared.mimeType, info: prepared.info, summary: prepared.summary };
  };
}
