/**
 * Recording a v2 video take from the live camera session with the one take recorder the voice uses
 * (renderer/capture/take-recorder.ts): picture and mono sound in one file, streamed chunk by chunk
 * to the takes service as it is captured, stopped by itself at the maximum length, kept when the
 * camera or microphone goes away mid-take, and the light measured on its frames kept with it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { takeStreaming } from '../../../shared/contract/takes';
import type { Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type ExposureAnalysis, summariseExposure } from '../../../shared/exposure';
import { cameraCapture, videoRules } from '../../../shared/requirements';
import { asStudioError, useStudio } from '../../api/studio-context';
import { PeakTrack } from '../../capture/audio-monitor';
import { TakeRecorder, supportedMimeType } from '../../capture/take-recorder';
import { videoMimeTypes } from './camera-formats';
import type { CameraSession } from './use-camera';

export type TakePhase = 'idle' | 'starting' | 'recording' | 'saving';

/** A take just recorded: its sound's peaks are known before the main process has finished with it. */
export type FreshVideoTake = { takeId: string; peaks: Float32Array; peaksPerSecond: number; durationMs: number };

export type VideoTakeControl = {
  phase: TakePhase;
  elapsedMs: number;
  bytes: number;
  mimeType: string | null;
  activeTakeId: string | null;
  fresh: FreshVideoTake | null;
  error: string | null;
  notice: string | null;
  record(): Promise<void>;
  stop(): Promise<Take | null>;
  discard(): Promise<void>;
  dismiss(): void;
};

/** The take stops itself this much before the maximum, so the saved file never exceeds it. */
const autoStopMarginMs = 300;

type Recording = {
  recorder: TakeRecorder;
  takeId: string;
  peaks: PeakTrack | null;
  light: ExposureAnalysis[];
  autoStop: number | null;
  release: () => void;
};

export function useVideoTake(draftId: string, session: CameraSession, onSaved?: (take: Take) => void): VideoTakeControl {
  const studio = useStudio();
  const [phase, setPhase] = useState<TakePhase>('idle');
  const [elapsedMs, setElapsedMs] = useState(0);
  const [bytes, setBytes] = useState(0);
  const [mimeType, setMimeType] = useState<string | null>(null);
  const [activeTakeId, setActiveTakeId] = useState<string | null>(null);
  const [fresh, setFresh] = useState<FreshVideoTake | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const recording = useRef<Recording | null>(null);
  const phaseRef = useRef<TakePhase>('idle');
  const stopRef = useRef<() => Promise<Take | null>>(async () => null);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const changePhase = useCallback((next: TakePhase) => {
    phaseRef.current = next;
    setPhase(next);
  }, []);

  // The clock and the bytes, at display rate.
  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = window.setInterval(() => {
      const current = recording.current;
      if (!current) return;
      setElapsedMs(current.recorder.elapsedMs());
      setBytes(current.recorder.bytes);
    }, 100);
    return () => window.clearInterval(timer);
  }, [phase]);

  const finishRecording = useCallback((current: Recording) => {
    if (current.autoStop !== null) window.clearTimeout(current.autoStop);
    current.release();
    if (recording.current === current) recording.current = null;
    setActiveTakeId(null);
    sessionRef.current.setBusy(false);
  }, []);

  const record = useCallback(async () => {
    const live = sessionRef.current;
    const videoTrack = live.stream?.getVideoTracks()[0];
    if (phaseRef.current !== 'idle' || !live.stream || !videoTrack || !live.monitor) return;
    changePhase('starting');
    setError(null);
    setNotice(null);
    setFresh(null);
    setElapsedMs(0);
    setBytes(0);
    live.setBusy(true);
    try {
      const chosenType = supportedMimeType(videoMimeTypes);
      if (!chosenType) throw new StudioError('NOT_AVAILABLE', 'This browser cannot record video in a format the studio accepts.');
      const take = await studio.call('takes/begin', { draftId, kind: 'video', source: 'recorded', mimeType: chosenType });
      const height = live.actual?.height ?? live.resolution.height;
      const bitrate = (cameraCapture.resolutions.find((item) => item.height >= height) ?? live.resolution).videoBitsPerSecond;
      const recorder = new TakeRecorder(new MediaStream([videoTrack, live.monitor.monoTrack()]), {
        // The devices themselves: an unplugged camera or microphone stops the take, and what was recorded is kept.
        deviceTracks: live.stream.getTracks(),
        mimeTypes: [chosenType],
        timesliceMs: takeStreaming.chunkMs,
        audioBitsPerSecond: cameraCapture.audioBitsPerSecond,
        videoBitsPerSecond: bitrate,
        videoKeyFrameIntervalMs: cameraCapture.keyFrameIntervalMs,
        keepAliveMs: takeStreaming.keepAliveMs,
        sink: async (seq, chunk) => {
          await studio.call('takes/append', { draftId, takeId: take.id, seq, bytes: chunk });
        },
        onInterrupted: (reason) => {
          setNotice(reason);
          void stopRef.current();
        },
      });
      const peaks = new PeakTrack(live.monitor.sampleRate, 100);
      const light: ExposureAnalysis[] = [];
      const offSamples = live.monitor.onSamples((samples) => {
        if (recorder.current === 'recording') peaks.push(samples);
      });
      const offLight = live.onExposure((analysis) => {
        if (recorder.current === 'recording') light.push(analysis);
      });
      const current: Recording = {
        recorder,
        takeId: take.id,
        peaks,
        light,
        autoStop: null,
        release: () => {
          offSamples();
          offLight();
        },
      };
      recording.current = current;
      setActiveTakeId(take.id);
      setMimeType(recorder.mimeType);
      recorder.start();
      current.autoStop = window.setTimeout(() => {
        current.autoStop = null;
        setNotice(`The take reached the ${videoRules.maxSeconds / 60}-minute maximum and stopped itself.`);
        void stopRef.current();
      }, videoRules.maxSeconds * 1000 - autoStopMarginMs);
      changePhase('recording');
    } catch (failure) {
      live.setBusy(false);
      changePhase('idle');
      setError(failure instanceof Error && !(failure instanceof StudioError) ? failure.message : asStudioError(failure).message);
    }
  }, [changePhase, draftId, studio]);

  const stop = useCallback(async (): Promise<Take | null> => {
    const current = recording.current;
    if (!current || phaseRef.current !== 'recording') return null;
    changePhase('saving');
    const { recorder, takeId } = current;
    const durationMs = recorder.elapsedMs();
    // The review draws this at once; playback and checks follow when the main process is done.
    setFresh({ takeId, peaks: current.peaks?.all() ?? new Float32Array(0), peaksPerSecond: 100, durationMs });
    try {
      const result = await recorder.stop();
      setElapsedMs(result.durationMs);
      setBytes(result.bytes);
      let take = await studio.call('takes/finish', { draftId, takeId, recordedMs: result.durationMs });
      const light = summariseExposure(current.light);
      if (light) take = await studio.call('camera/videoExposure', { draftId, takeId, exposure: light });
      onSavedRef.current?.(take);
      return take;
    } catch (failure) {
      setError(`${asStudioError(failure).message} What reached the disk is kept in the take list.`);
      return null;
    } finally {
      finishRecording(current);
      changePhase('idle');
    }
  }, [changePhase, draftId, studio, finishRecording]);
  stopRef.current = stop;

  const discard = useCallback(async () => {
    const current = recording.current;
    if (!current) return;
    current.recorder.abandon();
    finishRecording(current);
    setFresh(null);
    setElapsedMs(0);
    setBytes(0);
    changePhase('idle');
    try {
      await studio.call('takes/discard', { draftId, takeId: current.takeId });
      setNotice('The take was discarded.');
    } catch (failure) {
      setError(asStudioError(failure).message);
    }
  }, [changePhase, draftId, studio, finishRecording]);

  // Leaving the screen mid-take keeps the take: stop and save it.
  useEffect(
    () => () => {
      const current = recording.current;
      if (!current) return;
      recording.current = null;
      current.release();
      if (current.autoStop !== null) window.clearTimeout(current.autoStop);
      const light = summariseExposure(current.light);
      void current.recorder
        .stop()
        .then((result) => studio.call('takes/finish', { draftId, takeId: current.takeId, recordedMs: result.durationMs }))
        .then(() => (light ? studio.call('camera/videoExposure', { draftId, takeId: current.takeId, exposure: light }) : null))
        .catch(() => undefined);
    },
    [draftId, studio],
  );

  return {
    phase,
    elapsedMs,
    bytes,
    mimeType,
    activeTakeId,
    fresh,
    error,
    notice,
    record,
    stop,
    discard,
    dismiss: () => {
      setError(null);
      setNotice(null);
    },
  };
}
