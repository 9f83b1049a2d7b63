/**
 * Taking and importing v1 photos: a countdown (so the person can settle and look into the lens),
 * one frame at the camera's full resolution cropped to the 16:9 guide, or a picture from disk sent
 * as it is; each stored and checked by the studio, which refuses what it cannot use.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Photo } from '../../../shared/drafts';
import { cameraCapture } from '../../../shared/requirements';
import { asStudioError, messageOf, useStudio } from '../../api/studio-context';
import { captureFrame } from './photo-capture';
import { uploadPhoto } from './photo-upload';
import type { CameraSession } from './use-camera';

export type PhotoPhase = 'idle' | 'countdown' | 'saving' | 'importing';

/** A shot on its way to the studio, shown at once from the page's own pixels (an object URL). */
export type PendingShot = { src: string; width: number; height: number };

export type PhotoControl = {
  phase: PhotoPhase;
  /** The shot being stored and checked, until the studio answers (then it is one of the draft's photos). */
  shot: PendingShot | null;
  /** Seconds left on the countdown. */
  countdown: number;
  /** The moment a frame was taken, for the flash. */
  flashAt: number;
  error: string | null;
  importError: string | null;
  capture(): void;
  cancel(): void;
  importFile(file: File): Promise<void>;
};

export function usePhoto(draftId: string, session: CameraSession, onSaved: (photo: Photo) => void): PhotoControl {
  const studio = useStudio();
  const [phase, setPhase] = useState<PhotoPhase>('idle');
  const [countdown, setCountdown] = useState(0);
  const [flashAt, setFlashAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [shot, setShot] = useState<PendingShot | null>(null);
  const timer = useRef<number | null>(null);
  // The latest session and callback, for the countdown and uploads that outlive a render.
  const sessionRef = useRef(session);
  const onSavedRef = useRef(onSaved);
  useLayoutEffect(() => {
    sessionRef.current = session;
    onSavedRef.current = onSaved;
  });

  const clearTimer = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
  };

  useEffect(() => clearTimer, []);

  // The face model takes a few seconds to start: it starts when the camera does, not at the first shot.
  const live = session.phase === 'live';
  useEffect(() => {
    if (live) studio.call('camera/prepareFaceCheck', {}).catch(() => undefined);
  }, [live, studio]);

  const shoot = useCallback(async () => {
    const video = sessionRef.current.video();
    let src: string | null = null;
    setPhase('saving');
    try {
      if (!video) throw new Error('The camera preview is not showing.');
      const pixels = await captureFrame(video);
      setFlashAt(performance.now());
      // The person sees the shot now; storing it and its face checks take a second or two more.
      src = URL.createObjectURL(pixels.blob);
      setShot({ src, width: pixels.width, height: pixels.height });
      const photo = await uploadPhoto(studio, draftId, pixels.blob, { source: 'camera' });
      onSavedRef.current(photo);
    } catch (failure) {
      setError(`The photo could not be taken: ${messageOf(failure)}`);
    } finally {
      setShot(null);
      if (src) URL.revokeObjectURL(src);
      sessionRef.current.setBusy(false);
      setPhase('idle');
    }
  }, [draftId, studio]);

  const capture = useCallback(() => {
    if (phase !== 'idle' || sessionRef.current.phase !== 'live') return;
    setError(null);
    sessionRef.current.setBusy(true);
    let left = cameraCapture.photoCountdownSeconds;
    setCountdown(left);
    setPhase('countdown');
    timer.current = window.setInterval(() => {
      left -= 1;
      setCountdown(left);
      if (left > 0) return;
      clearTimer();
      void shoot();
    }, 1000);
  }, [phase, shoot]);

  const cancel = useCallback(() => {
    if (phase !== 'countdown') return;
    clearTimer();
    sessionRef.current.setBusy(false);
    setPhase('idle');
  }, [phase]);

  const importFile = useCallback(
    async (file: File) => {
      setImportError(null);
      setPhase('importing');
      try {
        // The file's own bytes: the studio decodes, turns upright and crops it (a 40 MP JPEG stays 20 MB, not a 90 MB PNG).
        const photo = await uploadPhoto(studio, draftId, file, { source: 'imported', originalName: file.name });
        onSavedRef.current(photo);
      } catch (failure) {
        setImportError(`“${file.name}” was not imported. ${asStudioError(failure).message}`);
      } finally {
        setPhase('idle');
      }
    },
    [draftId, studio],
  );

  return {
    phase,
    shot,
    countdown,
    flashAt,
    error,
    importError,
    capture,
    cancel,
    importFile,
  };
}
