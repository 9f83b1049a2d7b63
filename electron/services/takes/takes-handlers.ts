/** StudioApi handlers for the takes calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { takeCalls } from '../../../shared/contract/takes';
import type { TakeService } from './take-service';

export function takeHandlers(takes: TakeService): Pick<StudioHandlers, keyof typeof takeCalls> {
  return {
    'takes/begin': (input) => takes.begin(input),
    'takes/append': ({ draftId, takeId, seq, bytes }) => takes.append(draftId, takeId, seq, bytes),
    'takes/finish': ({ draftId, takeId, recordedMs, exposure, faces }) => takes.finish(draftId, takeId, recordedMs, { exposure, faces }),
    'takes/discard': async ({ draftId, takeId }) => ({ discarded: await takes.discard(draftId, takeId) }),
    'takes/choose': async ({ draftId, takeId }) => ({ chosenTakeId: await takes.choose(draftId, takeId) }),
    'takes/trim': ({ draftId, takeId, trim }) => takes.trim(draftId, takeId, trim),
    'takes/chooseSound': ({ draftId, takeId, track, mix }) => takes.chooseSound(draftId, takeId, { track, mix }),
    'takes/peaks': ({ draftId, takeId }) => takes.peaks(draftId, takeId),
    'takes/keep': ({ draftId, takeId }) => takes.keep(draftId, takeId),
    'takes/recover': async ({ draftId }) => ({ recovered: await takes.recover(draftId) }),
  };
}
