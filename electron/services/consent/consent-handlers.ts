/** StudioApi handlers for the review and consent calls, and the bridge from the media handlers to the review's preparer. */
import type { StudioHandlers } from '../../../shared/contract';
import type { consentCalls } from '../../../shared/contract/consent';
import type { mediaCalls } from '../../../shared/contract/media';
import type { ConsentService, Preparer } from './consent-service';

export function consentHandlers(consent: ConsentService): Pick<StudioHandlers, keyof typeof consentCalls> {
  return {
    'review/state': ({ draftId }) => consent.state(draftId),
    'review/prepare': ({ draftId, jobId }) => consent.prepare(draftId, jobId),
    'review/approve': ({ draftId, approvedBy, acknowledgedWarnings }) => consent.approve(draftId, approvedBy, acknowledgedWarnings),
    'review/withdraw': ({ draftId }) => consent.withdraw(draftId),
    'consent/receipt': ({ draftId }) => consent.receipt(draftId),
    'consent/beginTake': ({ draftId, mimeType }) => consent.beginTake(draftId, mimeType),
    'consent/appendTake': ({ draftId, takeId, seq, bytes }) => consent.appendTake(draftId, takeId, seq, bytes),
    'consent/finishTake': ({ draftId, takeId }) => consent.finishTake(draftId, takeId),
    'consent/discardTake': async ({ draftId }) => ({ discarded: await consent.discardTake(draftId) }),
    'consent/attest': ({ draftId, operatorName, date }) => consent.attest(draftId, operatorName, date),
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
