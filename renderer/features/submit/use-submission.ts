/** A draft's submission, or all of them, kept live from `submission/changed` events (upload progress included). */
import { useEffect, useState } from 'react';
import type { Submission } from '../../../shared/contract/submission';
import { asStudioError, useStudio } from '../../api/studio-context';
import type { StudioError } from '../../../shared/errors';

type Read = { draftId: string; submission: Submission | null; loading: boolean; error: StudioError | null };

export function useSubmission(draftId: string): {
  submission: Submission | null;
  loading: boolean;
  error: StudioError | null;
  set: (next: Submission) => void;
} {
  const studio = useStudio();
  const [read, setRead] = useState<Read>({ draftId, submission: null, loading: true, error: null });
  // Another draft's submission must not show while this one's is read.
  const shown: Read = read.draftId === draftId ? read : { draftId, submission: null, loading: true, error: null };

  useEffect(() => {
    let live = true;
    const mine = (current: Read): Read => (current.draftId === draftId ? current : { draftId, submission: null, loading: true, error: null });
    studio.call('submission/get', { draftId }).then(
      (value) => {
        if (!live) return;
        // An event may have brought a newer copy of this draft's submission while it was read.
        setRead((before) => {
          const current = mine(before).submission;
          return { draftId, submission: current && value && current.updatedAt > value.updatedAt ? current : value, loading: false, error: null };
        });
      },
      (caught: unknown) => live && setRead((before) => ({ ...mine(before), loading: false, error: asStudioError(caught) })),
    );
    const off = studio.on('submission/changed', (next) => {
      if (next.draftId === draftId) setRead((before) => ({ ...mine(before), submission: next }));
    });
    return () => {
      live = false;
      off();
    };
  }, [studio, draftId]);

  return {
    submission: shown.submission,
    loading: shown.loading,
    error: shown.error,
    set: (next) => setRead((before) => ({ ...before, draftId: next.draftId, submission: next })),
  };
}

/**
 * Every draft's submission by draft id, listed once and then kept live from `submission/changed`
 * (which carries the whole submission, so upload progress costs no reading of the disk).
 */
export function useSubmissions(): ReadonlyMap<string, Submission> {
  const studio = useStudio();
  const [byDraft, setByDraft] = useState<ReadonlyMap<string, Submission>>(new Map());

  useEffect(() => {
    let live = true;
    const off = studio.on('submission/changed', (next) => setByDraft((current) => new Map(current).set(next.draftId, next)));
    studio.call('submission/list', {}).then(
      ({ items }) => {
        if (!live) return;
        // An event that arrived while the list was read is newer than the list's copy.
        setByDraft((current) => {
          const merged = new Map(items.map((item) => [item.draftId, item]));
          for (const [draftId, item] of current) if ((merged.get(draftId)?.updatedAt ?? '') <= item.updatedAt) merged.set(draftId, item);
          return merged;
        });
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [studio]);

  return byDraft;
}
