/** A draft's submission, kept live from `submission/changed` events (upload progress included). */
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
    studio.call('submission/get', { draftId }).then(
      (value) => {
        if (!live) return;
        setSubmission((current) => (current && value && current.updatedAt > value.updatedAt ? current : value));
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
