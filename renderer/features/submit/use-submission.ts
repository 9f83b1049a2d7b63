/** A draft's submission, or all of them, kept live from `submission/changed` events (upload progress included). */
import { useEffect, useState } from 'react';
import type { Submission } from '../../../shared/contract/submission';
import { asStudioError, useStudio } from '../../api/studio-context';
import type { StudioError } from '../../../shared/errors';

export function useSubmission(draftId: string): { submission: Submission | null; loading: boolean; error: StudioError | null; set: (next: Submission) => void } {
  const studio = useStudio();
  const [submission, setSubmission] = useState<Submission | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<StudioError | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    // Another draft's submission must not show while this one's is read.
    setSubmission((current) => (current?.draftId === draftId ? current : null));
    studio.call('submission/get', { draftId }).then(
      (value) => {
        if (!live) return;
        // An event may have brought a newer copy of this draft's submission while it was read.
        setSubmission((current) => (current && value && current.draftId === value.draftId && current.updatedAt > value.updatedAt ? current : value));
        setLoading(false);
      },
      (caught: unknown) => {
        if (!live) return;
        setError(asStudioError(caught));
        setLoading(false);
      },
    );
    const off = studio.on('submission/changed', (next) => {
      if (next.draftId === draftId) setSubmission(next);
    });
    return () => {
      live = false;
      off();
    };
  }, [studio, draftId]);

  return { submission, loading, error, set: setSubmission };
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
