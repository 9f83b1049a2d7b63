/**
 * The microphone of the voice step as one live session: which device, its sound's meter and live
 * waveform, and what a voice take records from it (the input mixed to mono). A microphone pulled
 * out is closed; in the middle of a take, the take is stopped first and keeps what it recorded.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf, useStudio } from '../../api/studio-context';
import { AudioMonitor, PeakTrack, silentReading } from '../../capture/audio-monitor';
import { CaptureError, openCapture, stopStream } from '../../capture/capture-stream';
import { type CaptureDevice, pickDevice, useDevices } from '../../capture/devices';
import { MeterStore } from '../../capture/meter-store';
import { Store, useStore } from '../../capture/store';
import type { TakeInput } from '../../capture/use-take-recorder';

export type MicrophonePhase = 'off' | 'opening' | 'live';

/** Opus at this rate is transparent for speech and keeps 5 minutes near 5 MB. */
const voiceBitrate = 128_000;
const voiceMimeTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;
/** How often the meter is redrawn: smooth to the eye, light on the page. */
const displayIntervalMs = 66;

type Live = {
  stream: MediaStream;
  monitor: AudioMonitor;
  liveTrack: PeakTrack;
  release: () => void;
};

type MicrophoneState = {
  phase: MicrophonePhase;
  live: Live | null;
  /** The device open now (null while off). */
  openId: string | null;
  error: string | null;
  notice: string | null;
};

export type Microphone = {
  phase: MicrophonePhase;
  devices: CaptureDevice[];
  deviceId: string | null;
  sampleRate: number | null;
  /** The live waveform's source while the microphone is on. */
  liveTrack: PeakTrack | null;
  /** The level, redrawn at display rate: subscribe with useMeters. */
  levels: MeterStore;
  error: string | null;
  notice: string | null;
  enable(): Promise<void>;
  disable(): void;
  selectDevice(device: CaptureDevice): void;
  /** What a voice take records; while it does, the device stays as it is. */
  takeInput(): TakeInput;
};

const lostMidTake = 'The microphone was disconnected. The take was stopped; what was recorded is kept.';

export function useMicrophone(): Microphone {
  const studio = useStudio();
  const { devices, refresh } = useDevices('audioinput');
  const [preferredLabel, setPreferredLabel] = useState<string | null>(null);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [store] = useState(() => new Store<MicrophoneState>({ phase: 'off', live: null, openId: null, error: null, notice: null }));
  const [levels] = useState(() => new MeterStore());
  const state = useStore(store);
  /** Set while a take records from the microphone: a lost device is closed once the take has stopped. */
  const taking = useRef<{ lost: boolean; listeners: Set<(reason: string) => void> } | null>(null);

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

  const chosen = pickDevice(devices, preferredLabel, chosenId);

  const close = useCallback(
    (change: Partial<MicrophoneState> = {}) => {
      const { live } = store.get();
      live?.release();
      store.set({ phase: 'off', live: null, openId: null, ...change });
      levels.set({ reading: silentReading });
    },
    [levels, store],
  );

  /** The device went away: closed now, or once the take recording from it has stopped. */
  const lost = useCallback(() => {
    if (!store.get().live) return;
    if (taking.current) {
      if (taking.current.lost) return;
      taking.current.lost = true;
      for (const listener of taking.current.listeners) listener(lostMidTake);
      return;
    }
    close({ notice: 'The microphone was disconnected.' });
  }, [close, store]);

  const open = useCallback(
    async (wanted: string | null) => {
      close();
      store.set({ phase: 'opening', error: null });
      try {
        const access = await studio.call('system/requestMediaAccess', { kinds: ['microphone'] });
        if (!access.granted) throw new CaptureError('denied', access.message ?? 'Access to the microphone was denied.');
        const stream = await openCapture({ audio: { deviceId: wanted } });
        const monitor = await AudioMonitor.open(stream).catch((failure: unknown) => {
          stopStream(stream);
          throw failure;
        });
        const liveTrack = new PeakTrack(monitor.sampleRate, 100, 30);
        const unsubscribe = monitor.onSamples((samples) => liveTrack.push(samples));
        const track = stream.getAudioTracks()[0];
        track?.addEventListener('ended', lost);
        const release = () => {
          track?.removeEventListener('ended', lost);
          unsubscribe();
          void monitor.close();
          stopStream(stream);
        };
        store.set({ phase: 'live', live: { stream, monitor, liveTrack, release }, openId: track?.getSettings().deviceId ?? wanted });
        // With permission granted the devices have labels now.
        refresh();
      } catch (failure) {
        close({ error: messageOf(failure) });
      }
    },
    [close, lost, refresh, store, studio],
  );

  // An unplugged microphone leaves the device list (its track may say nothing).
  const { openId, phase } = state;
  useEffect(() => {
    if (phase !== 'live' || !openId || devices.length === 0) return;
    if (!devices.some((device) => device.deviceId === openId)) lost();
  }, [devices, openId, phase, lost]);

  // The meter, redrawn at display rate (never per sample).
  useEffect(() => {
    if (phase !== 'live') return;
    const timer = window.setInterval(() => {
      const live = store.get().live;
      if (live) levels.set({ reading: live.monitor.reading() });
    }, displayIntervalMs);
    return () => window.clearInterval(timer);
  }, [phase, levels, store]);

  // Leaving the screen releases the microphone (a take recording from it has been saved by then).
  useEffect(() => () => store.get().live?.release(), [store]);

  const takeInput = useCallback((): TakeInput => {
    const live = store.get().live;
    if (!live) throw new Error('Turn the microphone on first.');
    const session = { lost: false, listeners: new Set<(reason: string) => void>() };
    taking.current = session;
    return {
      stream: new MediaStream([live.monitor.monoTrack()]),
      deviceTracks: live.stream.getAudioTracks(),
      mimeTypes: voiceMimeTypes,
      audioBitsPerSecond: voiceBitrate,
      monitor: live.monitor,
      onLost: (listener) => {
        session.listeners.add(listener);
        return () => session.listeners.delete(listener);
      },
      release: () => {
        if (taking.current !== session) return;
        taking.current = null;
        if (session.lost) close();
      },
    };
  }, [close, store]);

  return {
    phase,
    devices,
    deviceId: state.live ? openId : (chosen?.deviceId ?? null),
    sampleRate: state.live?.monitor.sampleRate ?? null,
    liveTrack: state.live?.liveTrack ?? null,
    levels,
    error: state.error,
    notice: state.notice,
    enable: () => open(chosen?.deviceId ?? null),
    disable: () => {
      if (!taking.current) close();
    },
    selectDevice: (device) => {
      setChosenId(device.deviceId);
      setPreferredLabel(device.label);
      void studio.call('settings/update', { patch: { preferredMicrophoneLabel: device.label } }).catch(() => undefined);
      if (store.get().live && !taking.current) void open(device.deviceId);
    },
    takeInput,
  };
}
