/**
 * The file a take's review plays. A recording made here plays as it is. An imported take, or any
 * take the browser fails on, is asked of the studio (`media/preview`): the file itself when the
 * browser can decode it, else a preview the media engine makes (Apple Lossless sound, HEVC or
 * rotated phone video), with progress and cancel. One mechanism for sound and picture alike.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Take } from '../../shared/drafts';
import { newJobId } from '../api/job-id';
import { mediaPath } from '../../shared/transport';
import { asStudioError, useStudio } from '../api/studio-context';

export type Playable = {
  /** What to play; '' until it is settled. */
  url: string;
  /** Set while the studio makes a preview: its progress 0..1 (null before it is known). */
  making: { ratio: number | null } | null;
  /** Why a preview plays instead of the file (shown as a note), or null. */
  note: string | null;
  error: string | null;
  /** Whether the file the browser failed on may still be replaced by a preview. */
  canFallBack: boolean;
  /** The browser could not play `url`: ask for a preview (once). */
  fallBack(): void;
  cancel(): void;
  /** After a stopped or failed preview: make it again; null when there is nothing to retry. */
  retry: (() => void) | null;
};

type Settled = { key: string; fileName: string; note: string | null; error: string | null };

export function usePlayable(draftId: string, take: Take | null, saved: boolean): Playable {
  const studio = useStudio();
  const [forced, setForced] = useState<string | null>(null);
  const [settled, setSettled] = useState<Settled | null>(null);
  const [job, setJob] = useState<{ key: string; ratio: number | null } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const jobId = useRef<string | null>(null);
  const takeId = take?.id ?? null;
  const fileName = take?.fileName ?? '';
  const imported = take?.source === 'imported';
  // A new file (a repaired take, a replaced import) starts over.
  const key = `${takeId}/${fileName}`;
  const force = forced === key;
  const ask = saved && takeId !== null && (imported || force);

  useEffect(() => {
    if (!ask || !takeId) return;
    let live = true;
    const id = newJobId();
    jobId.current = id;
    const off = studio.on('jobs/progress', (progress) => {
      if (live && progress.jobId === id) setJob({ key, ratio: progress.ratio });
    });
    studio.call('media/preview', { draftId, takeId, force, jobId: id }).then(
      (result) =>
        live &&
        setSettled({ key, fileName: result.fileName, note: result.preview ? `Playing a preview made on this computer: ${result.reason}.` : null, error: null }),
      (failure: unknown) => {
        if (!live) return;
        const error = asStudioError(failure);
        setSettled({
          key,
          fileName: '',
          note: null,
          error:
            error.code === 'CANCELLED'
              ? 'The preview was stopped, so the take cannot be played here yet. Make the preview to play it.'
              : `The take cannot be played here: ${error.message}`,
        });
      },
    );
    return () => {
      live = false;
      off();
    };
  }, [studio, draftId, takeId, key, ask, force, attempt]);

  const current = settled && settled.key === key ? settled : null;
  const name = !saved ? '' : ask ? (current?.fileName ?? '') : fileName;
  const making = ask && !current && job?.key === key ? { ratio: job.ratio } : null;

  const fallBack = useCallback(() => setForced(key), [key]);
  const cancel = useCallback(() => {
    if (jobId.current) void studio.call('media/cancel', { jobId: jobId.current }).catch(() => undefined);
  }, [studio]);

  const retry = useCallback(() => {
    setSettled(null);
    setJob(null);
    setAttempt((count) => count + 1);
  }, []);

  return {
    url: name ? mediaPath(draftId, name) : '',
    making,
    note: current?.note ?? null,
    error: current?.error ?? null,
    canFallBack: saved && !force,
    fallBack,
    cancel,
    retry: ask && current?.error ? retry : null,
  };
}
