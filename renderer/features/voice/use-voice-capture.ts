/**
 * The voice recorder's state machine: microphone on (monitoring, meters live), recording a take
 * that streams chunk by chunk to the main process, paused, saving; and what happens when the
 * device goes away or the studio stops answering. Built from the generic pieces in renderer/capture.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { takeStreaming } from '../../../shared/contract/takes';
import type { Take } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { voiceRules } from '../../../shared/requirements';
import { asStudioError, useStudio } from '../../api/studio-context';
import { AudioMonitor, PeakTrack, silentReading } from '../../capture/audio-monitor';
import { CaptureError, openCapture, stopStream } from '../../capture/capture-stream';
import { MeterStore } from '../../capture/meter-store';
import { type CaptureDevice, pickDevice, useDevices } from '../../capture/devices';
import { TakeRecorder, supportedMimeType } from '../../capture/take-recorder';

export type CapturePhase = 'off' | 'opening' | 'monitoring' | 'starting' | 'recording' | 'paused' | 'saving';

/** Opus at this rate is transparent for speech and keeps 5 minutes near 5 MB. */
export const voiceBitrate = 128_000;
export const voiceMimeTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;
/** The take stops itself this much before the maximum, so the saved file never exceeds it. */
const autoStopMarginMs = 300;
/** How often meters and clocks are redrawn: smooth to the eye, light on the page. */
const displayIntervalMs = 66;

/** A take just recorded: its waveform is known before the main process has finished with it. */
export type FreshTake = { takeId: string; peaks: Float32Array; peaksPerSecond: number; durationMs: number; stoppedAt: number };

export type VoiceCapture = {
  phase: CapturePhase;
  devices: CaptureDevice[];
  deviceId: string | null;
  /** Level, elapsed time and bytes, redrawn at display rate: subscribe with useMeters. */
  meters: MeterStore;
  sampleRate: number | null;
  /** The live waveform's source while the microphone is on. */
  liveTrack: PeakTrack | null;
  error: string | null;
  notice: string | null;
  fresh: FreshTake | null;
  /** The take being recorded right now, if any. */
  activeTakeId: string | null;
  enable(): Promise<void>;
  disable(): void;
  selectDevice(device: CaptureDevice): void;
  record(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): Promise<Take | null>;
  discard(): Promise<void>;
  dismiss(): void;
};

type Live = {
  stream: MediaStream;
  monitor: AudioMonitor;
  liveTrack: PeakTrack;
  takeTrack: PeakTrack | null;
  recorder: TakeRecorder | null;
  takeId: string | null;
  autoStop: number | null;
  unsubscribe: () => void;
};

export function useVoiceCapture(draftId: string, onSaved?: (take: Take) => void): VoiceCapture {
  const studio = useStudio();
  const { devices, refresh } = useDevices('audioinput');
  const [phase, setPhase] = useState<CapturePhase>('off');
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [preferredLabel, setPreferredLabel] = useState<string | null>(null);
  const [meters] = useState(() => new MeterStore());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [fresh, setFresh] = useState<FreshTake | null>(null);
  const [activeTakeId, setActiveTakeId] = useState<string | null>(null);
  const [liveTrack, setLiveTrack] = useState<PeakTrack | null>(null);
  const [sampleRate, setSampleRate] = useState<number | null>(null);
  const live = useRef<Live | null>(null);
  const phaseRef = useRef<CapturePhase>('off');
  const stopRef = useRef<() => Promise<Take | null>>(async () => null);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const changePhase = useCallback((next: CapturePhase) => {
    phaseRef.current = next;
    setPhase(next);
  }, []);

  // The microphone remembered for this machine.
  useEffect(() => {
    let alive = true;
    studio.call('settings/get', {}).then(
      (settings) => alive && setPreferredLabel(settings.preferredMicrophoneLabel),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [studio]);

  const chosen = pickDevice(devices, preferredLabel, deviceId);

  const close = useCallback(() => {
    const current = live.current;
    live.current = null;
    if (!current) return;
    if (current.autoStop !== null) window.clearTimeout(current.autoStop);
    current.unsubscribe();
    current.recorder?.abandon();
    void current.monitor.close();
    stopStream(current.stream);
    setLiveTrack(null);
    meters.set({ reading: silentReading });
  }, []);

  const open = useCallback(
    async (wanted: string | null) => {
      close();
      changePhase('opening');
      setError(null);
      try {
        const access = await studio.call('system/requestMediaAccess', { kinds: ['microphone'] });
        if (!access.granted) throw new CaptureError('denied', access.message ?? 'Access to the microphone was denied.');
        const stream = await openCapture({ audio: { deviceId: wanted } });
        const monitor = await AudioMonitor.open(stream).catch((failure: unknown) => {
          stopStream(stream);
          throw failure;
        });
        const liveTrackNow = new PeakTrack(monitor.sampleRate, 100, 30);
        const session: Live = { stream, monitor, liveTrack: liveTrackNow, takeTrack: null, recorder: null, takeId: null, autoStop: null, unsubscribe: () => undefined };
        session.unsubscribe = monitor.onSamples((samples) => {
          session.liveTrack.push(samples);
          if (session.recorder?.current === 'recording') session.takeTrack?.push(samples);
        });
        live.current = session;
        setLiveTrack(liveTrackNow);
        setSampleRate(monitor.sampleRate);
        const trackId = stream.getAudioTracks()[0]?.getSettings().deviceId ?? wanted;
        setDeviceId(trackId ?? null);
        changePhase('monitoring');
        // With permission granted the devices have labels now.
        refresh();
      } catch (failure) {
        changePhase('off');
        setError(failure instanceof CaptureError ? failure.message : asStudioError(failure).message);
      }
    },
    [close, changePhase, studio, refresh],
  );

  // Meters and the clock, redrawn at display rate (never per sample).
  useEffect(() => {
    if (phase === 'off' || phase === 'opening') return;
    const timer = window.setInterval(() => {
      const current = live.current;
      if (!current) return;
      meters.set(
        current.recorder
          ? { reading: current.monitor.reading(), elapsedMs: current.recorder.elapsedMs(), bytes: current.recorder.bytes }
          : { reading: current.monitor.reading() },
      );
    }, displayIntervalMs);
    return () => window.clearInterval(timer);
  }, [phase]);

  // An unplugged microphone: stop cleanly (keeping the take) and say so.
  useEffect(() => {
    if (!live.current || !deviceId || devices.length === 0) return;
    if (devices.some((device) => device.deviceId === deviceId)) return;
    const wasRecording = phaseRef.current === 'recording' || phaseRef.current === 'paused';
    setNotice(wasRecording ? 'The microphone was disconnected. The take was stopped; what was recorded is kept.' : 'The microphone was disconnected.');
    if (wasRecording) {
      void stopRef.current().finally(() => {
        close();
        changePhase('off');
      });
    }
    else {
      close();
      changePhase('off');
    }
  }, [devices, deviceId, close, changePhase]);

  const armAutoStop = useCallback((session: Live) => {
    if (session.autoStop !== null) window.clearTimeout(session.autoStop);
    const remaining = voiceRules.maxSeconds * 1000 - autoStopMarginMs - (session.recorder?.elapsedMs() ?? 0);
    session.autoStop = window.setTimeout(() => {
      session.autoStop = null;
      setNotice(`The take reached the ${voiceRules.maxSeconds / 60}-minute maximum and stopped itself.`);
      void stopRef.current();
    }, Math.max(0, remaining));
  }, []);

  const record = useCallback(async () => {
    const session = live.current;
    if (!session || phaseRef.current !== 'monitoring') return;
    changePhase('starting');
    setError(null);
    setNotice(null);
    setFresh(null);
    meters.set({ elapsedMs: 0, bytes: 0 });
    try {
      const mimeType = supportedMimeType(voiceMimeTypes);
      if (!mimeType) throw new StudioError('NOT_AVAILABLE', 'This browser cannot record audio in a format the studio accepts.');
      const take = await studio.call('takes/begin', { draftId, kind: 'voice', source: 'recorded', mimeType });
      const recorder = new TakeRecorder(new MediaStream([session.monitor.monoTrack()]), {
        deviceTracks: session.stream.getAudioTracks(),
        mimeTypes: [mimeType],
        timesliceMs: takeStreaming.chunkMs,
        audioBitsPerSecond: voiceBitrate,
        keepAliveMs: takeStreaming.keepAliveMs,
        sink: async (seq, chunk) => {
          await studio.call('takes/append', { draftId, takeId: take.id, seq, bytes: chunk });
        },
        onInterrupted: (reason) => {
          setNotice(reason);
          void stopRef.current();
        },
      });
      session.recorder = recorder;
      session.takeId = take.id;
      setActiveTakeId(take.id);
      session.takeTrack = new PeakTrack(session.monitor.sampleRate, 100);
      recorder.start();
      armAutoStop(session);
      changePhase('recording');
    } catch (failure) {
      session.recorder = null;
      session.takeId = null;
      changePhase('monitoring');
      setError(asStudioError(failure).message);
    }
  }, [changePhase, draftId, studio, armAutoStop]);

  const pause = useCallback(() => {
    const session = live.current;
    if (!session?.recorder || phaseRef.current !== 'recording') return;
    session.recorder.pause();
    if (session.autoStop !== null) window.clearTimeout(session.autoStop);
    session.autoStop = null;
    changePhase('paused');
  }, [changePhase]);

  const resume = useCallback(() => {
    const session = live.current;
    if (!session?.recorder || phaseRef.current !== 'paused') return;
    session.recorder.resume();
    armAutoStop(session);
    changePhase('recording');
  }, [changePhase, armAutoStop]);

  const stop = useCallback(async (): Promise<Take | null> => {
    const session = live.current;
    const recorder = session?.recorder;
    const takeId = session?.takeId;
    if (!session || !recorder || !takeId || (phaseRef.current !== 'recording' && phaseRef.current !== 'paused')) return null;
    if (session.autoStop !== null) window.clearTimeout(session.autoStop);
    session.autoStop = null;
    changePhase('saving');
    const stoppedAt = performance.now();
    const peaks = session.takeTrack?.all() ?? new Float32Array(0);
    // The review draws this at once; playback and checks follow when the main process is done.
    setFresh({ takeId, peaks, peaksPerSecond: 100, durationMs: recorder.elapsedMs(), stoppedAt });
    let recordedMs: number | undefined;
    let deliveryProblem: string | null = null;
    try {
      const result = await recorder.stop();
      recordedMs = result.durationMs;
      meters.set({ elapsedMs: result.durationMs, bytes: result.bytes });
    } catch (failure) {
      deliveryProblem = asStudioError(failure).message;
    }
    try {
      // Even when a chunk could not be delivered, what reached the disk is repaired and kept.
      const take = await studio.call('takes/finish', { draftId, takeId, recordedMs });
      if (deliveryProblem) setError(`${deliveryProblem} The part recorded before the problem was saved as a take.`);
      onSavedRef.current?.(take);
      return take;
    } catch (failure) {
      setError(deliveryProblem ?? asStudioError(failure).message);
      return null;
    } finally {
      session.recorder = null;
      session.takeId = null;
      session.takeTrack = null;
      setActiveTakeId(null);
      if (live.current === session) changePhase('monitoring');
      else changePhase('off');
    }
  }, [changePhase, draftId, studio, meters]);
  stopRef.current = stop;

  const discard = useCallback(async () => {
    const session = live.current;
    const takeId = session?.takeId;
    if (!session || !takeId) return;
    if (session.autoStop !== null) window.clearTimeout(session.autoStop);
    session.autoStop = null;
    session.recorder?.abandon();
    session.recorder = null;
    session.takeId = null;
    session.takeTrack = null;
    setActiveTakeId(null);
    setFresh(null);
    meters.set({ elapsedMs: 0, bytes: 0 });
    changePhase('monitoring');
    try {
      await studio.call('takes/discard', { draftId, takeId });
      setNotice('The take was discarded.');
    } catch (failure) {
      setError(asStudioError(failure).message);
    }
  }, [changePhase, draftId, studio]);

  const selectDevice = useCallback(
    (device: CaptureDevice) => {
      setDeviceId(device.deviceId);
      setPreferredLabel(device.label);
      void studio.call('settings/update', { patch: { preferredMicrophoneLabel: device.label } }).catch(() => undefined);
      if (live.current && phaseRef.current === 'monitoring') void open(device.deviceId);
    },
    [open, studio],
  );

  const enable = useCallback(() => open(chosen?.deviceId ?? null), [open, chosen?.deviceId]);
  const disable = useCallback(() => {
    if (phaseRef.current === 'recording' || phaseRef.current === 'paused') return;
    close();
    changePhase('off');
  }, [close, changePhase]);

  // Leaving the screen mid-take keeps the take: stop and save it, then release the microphone.
  useEffect(
    () => () => {
      const session = live.current;
      if (session?.recorder && session.takeId) {
        const { recorder, takeId } = session;
        void recorder
          .stop()
          .then((result) => studio.call('takes/finish', { draftId, takeId, recordedMs: result.durationMs }))
          .catch(() => undefined);
        session.recorder = null;
      }
      close();
    },
    [close, draftId, studio],
  );

  return {
    phase,
    devices,
    deviceId: live.current ? deviceId : (chosen?.deviceId ?? null),
    meters,
    sampleRate,
    liveTrack,
    error,
    notice,
    fresh,
    activeTakeId,
    enable,
    disable,
    selectDevice,
    record,
    pause,
    resume,
    stop,
    discard,
    dismiss: () => {
      setError(null);
      setNotice(null);
    },
  };
}
