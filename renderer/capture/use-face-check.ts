/**
 * The live face check for a preview (the Camera step's and the consent recorder's): the latest
 * frame's faces and verdict against the guide of the avatar model, the detections per second
 * achieved, and every analysed frame to whoever listens (a take keeps them per second). The state
 * lives in a Store that only the overlay reads, so a detection redraws the badge and the boxes,
 * not the screen around them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type FaceFrame, type FaceVerdict, faceVerdict } from '../../shared/faces';
import { faceWorker, runFaceLoop } from './face-check';
import { Store } from './store';

export type FaceFrameListener = (frame: FaceFrame, video: { width: number; height: number }) => void;

export type FaceCheckState = {
  status: 'off' | 'loading' | 'live' | 'failed';
  frame: FaceFrame | null;
  verdict: FaceVerdict | null;
  /** The analysed frame's size (the video's own pixels), for drawing boxes over it. */
  video: { width: number; height: number } | null;
  /** Detections per second over the last few seconds. */
  fps: number | null;
  message: string | null;
};

export type FaceCheck = {
  /** The latest verdict and its frame (read with useStore). */
  store: Store<FaceCheckState>;
  /** Every analysed frame while subscribed. */
  onFaces(listener: FaceFrameListener): () => void;
};

const off: FaceCheckState = { status: 'off', frame: null, verdict: null, video: null, fps: null, message: null };

/** How long the detection rate is averaged over, ms. */
const rateWindowMs = 3000;

export function useFaceCheck(options: { video: () => HTMLVideoElement | null; active: boolean; version: 'v1' | 'v2'; descriptors?: boolean }): FaceCheck {
  const { active, version } = options;
  const [store] = useState(() => new Store<FaceCheckState>(off));
  const listeners = useRef(new Set<FaceFrameListener>());
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  // The model starts loading with the screen, before the camera is on: it takes seconds.
  useEffect(() => void faceWorker(), []);

  useEffect(() => {
    if (!active) return;
    // Loading from the moment it is asked for until the first frame (or a failure) arrives.
    store.set({ ...off, status: 'loading' });
    const controller = new AbortController();
    const times: number[] = [];
    void runFaceLoop(
      () => latest.current.video(),
      // Descriptors cost several detections: only while a take is listening (recording) and wants them.
      () => (latest.current.descriptors ?? false) && listeners.current.size > 0,
      {
        onFrame: (frame, video) => {
          const now = performance.now();
          times.push(now);
          while (times.length > 0 && now - times[0]! > rateWindowMs) times.shift();
          const fps = times.length > 1 ? ((times.length - 1) * 1000) / (now - times[0]!) : null;
          store.set({ status: 'live', frame, video, fps, message: null, verdict: faceVerdict(frame, version, video.width, video.height) });
          for (const listener of listeners.current) listener(frame, video);
        },
        onError: (message) => store.set({ status: store.get().status === 'live' ? 'live' : 'failed', message }),
      },
      controller.signal,
    );
    return () => {
      controller.abort();
      store.set(off);
    };
  }, [active, version, store]);

  const onFaces = useCallback((listener: FaceFrameListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  return useMemo(() => ({ store, onFaces }), [store, onFaces]);
}
