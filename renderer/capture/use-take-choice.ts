/**
 * Choosing among a kind's takes (voice, video): which one is open for review (a take just stopped
 * comes into view at once), the first usable take chosen by itself, and the person's own choose,
 * keep (a recovered take) and discard.
 */
import { useCallback, useEffect, useState } from 'react';
import { overallVerdict } from '../../shared/audio-analysis';
import type { Take } from '../../shared/drafts';
import { useAct, useStudio } from '../api/studio-context';
import type { FreshTake } from './use-take-recorder';

export type TakeChoice = {
  reviewId: string | null;
  review(takeId: string): void;
  /** The take open for review and its place in the list (from 1; a take not saved yet comes last). */
  reviewTake: Take | null;
  reviewNumber: number;
  error: string | null;
  /** For the recording hook and the import: a take just stopped or saved (recorded or imported) is the one to look at. */
  onStopped(fresh: FreshTake): void;
  onSaved(take: Take): void;
  choose(takeId: string): Promise<void>;
  keep(takeId: string): Promise<void>;
  discard(takeId: string): Promise<void>;
};

/** Takes of the draft whose recorder went away (a closed or crashed window) are repaired and offered back. */
export function useRecoverTakes(draftId: string): void {
  const studio = useStudio();
  useEffect(() => {
    void studio.call('takes/recover', { draftId }).catch(() => undefined);
  }, [studio, draftId]);
}

export function useTakeChoice(draftId: string, takes: readonly Take[], chosenId: string | null): TakeChoice {
  const studio = useStudio();
  const [reviewId, setReviewId] = useState<string | null>(() => chosenId ?? takes.at(-1)?.id ?? null);
  const { error, act } = useAct();
  useRecoverTakes(draftId);

  const onStopped = useCallback((fresh: FreshTake) => setReviewId(fresh.takeId), []);

  const onSaved = useCallback(
    (take: Take) => {
      setReviewId(take.id);
      // The first usable take, recorded or imported, becomes the chosen one; later takes are chosen deliberately.
      if (!chosenId && overallVerdict(take.checks) !== 'fail') {
        void studio.call('takes/choose', { draftId, takeId: take.id }).catch(() => undefined);
      }
    },
    [studio, draftId, chosenId],
  );

  const reviewTake = takes.find((take) => take.id === reviewId) ?? null;
  return {
    reviewId,
    review: setReviewId,
    reviewTake,
    reviewNumber: reviewTake ? takes.indexOf(reviewTake) + 1 : takes.length + 1,
    error,
    onStopped,
    onSaved,
    choose: (takeId) => act(() => studio.call('takes/choose', { draftId, takeId })),
    keep: (takeId) => act(() => studio.call('takes/keep', { draftId, takeId })),
    discard: (takeId) =>
      act(async () => {
        await studio.call('takes/discard', { draftId, takeId });
        setReviewId((current) => (current === takeId ? null : current));
      }),
  };
}
