/**
 * The camera (and, for a v2 video, the microphone) as one live session: which devices, at which
 * resolution and frame rate, the preview's stream, the sound's meter, and the light measured on the
 * frames a few times a second; and what to tell a person when a device is missing, busy, refused
 * or pulled out. Built from the generic capture pieces in renderer/capture.
 */
import { type RefCallback, useCallback, useEffect, useRef, useState } from 'react';
import { photoCrop } from '../../../shared/camera';
import type { ExposureAnalysis } from '../../../shared/exposure';
import { cameraCapture, exposureQuality } from '../../../shared/requirements';
import { asStudioError, messageOf, useStudio } from '../../api/studio-context';
import { AudioMonitor, type MeterReading, PeakTrack, silentReading } from '../../capture/audio-monitor';
import { CaptureError, type CaptureRequest, openCapture, showStream, stopStream } from '../../capture/capture-stream';
import { type CaptureDevice, listDevices, pickDevice, useDevices } from '../../capture/devices';
import { Store, useStore } from '../../capture/store';
import { type CameraOffer, FrameRateMeter, type Resolution, cameraOffer } from './camera-formats';
import { FrameSampler } from './frame-sampler';

export type CameraPhase = 'off' | 'opening' | 'live';
export type AvatarVersion = 'v1' | 'v2';

/**
 * What the camera actually delivers (it may give less than was asked): frame size and frames per
 * second as the track's settings say (the rate the camera runs at; null when it says nothing), and
 * the frames per second counted arriving over the last two seconds (null until counted), which a
 * camera in dim light or a busy computer can keep below its rate.
 */
export type ActualFormat = { width: number; height: number; frameRate: number | null; counted: number | null };

export type CameraSession = {
  version: AvatarVersion;
  phase: CameraPhase;
  cameras: CaptureDevice[];
  microphones: CaptureDevice[];
  cameraId: string | null;
  microphoneId: string | null;
  offer: CameraOffer;
  resolution: Resolution;
  frameRate: number;
  actual: ActualFormat | null;
  stream: MediaStream | null;
  monitor: AudioMonitor | null;
  liveTrack: PeakTrack | null;
  reading: MeterReading;
  exposure: ExposureAnalysis | null;
  mirrored: boolean;
  error: string | null;
  notice: string | null;
  /** The preview's <video> (its ref): the session shows its stream there and measures its frames. */
  attachVideo: RefCallback<HTMLVideoElement>;
  video(): HTMLVideoElement | null;
  enable(): Promise<void>;
  disable(): void;
  selectCamera(device: CaptureDevice): void;
  selectMicrophone(device: CaptureDevice): void;
  selectResolution(height: number): void;
  selectFrameRate(rate: number): void;
  setMirrored(mirrored: boolean): void;
  /** Every frame measured, while subscribed (a take collects its light this way). */
  onExposure(listener: (analysis: ExposureAnalysis) => void): () => void;
  /** While a take or a shot is under way, device changes wait and a lost device is closed afterwards. */
  setBusy(busy: boolean): void;
  say(notice: string | null, error?: string | null): void;
};

type Live = {
  stream: MediaStream;
  monitor: AudioMonitor | null;
  liveTrack: PeakTrack | null;
  unsubscribe: () => void;
  removeEnded: () => void;
};

/** How often meters are redrawn: smooth to the eye, light on the page. */
const displayIntervalMs = 50;

/** How often the camera's frame counter is read. */
const frameCountIntervalMs = 500;

/** The track's own frame counter (Chromium 121+, MediaStreamTrack.stats), where there is one. */
function framesDelivered(track: MediaStreamTrack | undefined): number | null {
  const stats = (track as (MediaStreamTrack & { stats?: { totalFrames?: number } }) | undefined)?.stats;
  return typeof stats?.totalFrames === 'number' ? stats.totalFrames : null;
}

const offerOf = (stream: MediaStream | null) => cameraOffer(stream?.getVideoTracks()[0] ?? null);

function actualOf(stream: MediaStream): ActualFormat | null {
  const settings = stream.getVideoTracks()[0]?.getSettings();
  if (!settings?.width || !settings.height) return null;
  return { width: settings.width, height: settings.height, frameRate: settings.frameRate ?? null, counted: null };
}

/** A photo is taken at the largest frame the camera gives, whatever it was opened at. */
async function maximise(track: MediaStreamTrack | undefined): Promise<void> {
  const capabilities = track?.getCapabilities?.() as { width?: { max?: number }; height?: { max?: number } } | undefined;
  const width = capabilities?.width?.max;
  const height = capabilities?.height?.max;
  const settings = track?.getSettings();
  if (!track || !width || !height || (settings?.width === width && settings.height === height)) return;
  await track.applyConstraints({ width: { ideal: width }, height: { ideal: height } }).catch(() => undefined);
}

export function useCamera(version: AvatarVersion): CameraSession {
  const studio = useStudio();
  const cameras = useDevices('videoinput');
  const microphones = useDevices('audioinput');
  const { refresh: refreshCameras } = cameras;
  const { refresh: refreshMicrophones } = microphones;
  // The open devices, kept once: read as they are now by the callbacks, rendered through useStore.
  const [session] = useState(() => new Store<{ phase: CameraPhase; live: Live | null }>({ phase: 'off', live: null }));
  const { phase, live } = useStore(session);
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [microphoneId, setMicrophoneId] = useState<string | null>(null);
  const [preferred, setPreferred] = useState<{ camera: string | null; microphone: string | null }>({ camera: null, microphone: null });
  const [resolutionHeight, setResolutionHeight] = useState<number>(cameraCapture.resolutions[0].height);
  const [frameRate, setFrameRate] = useState<number>(cameraCapture.defaultFrameRate);
  const [actual, setActual] = useState<ActualFormat | null>(null);
  const [countedRate, setCountedRate] = useState<number | null>(null);
  const [formatChanges, setFormatChanges] = useState(0);
  const [offer, setOffer] = useState<CameraOffer>(() => offerOf(null));
  const [reading, setReading] = useState<MeterReading>(silentReading);
  const [exposure, setExposure] = useState<ExposureAnalysis | null>(null);
  const [mirrored, setMirrored] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const element = useRef<HTMLVideoElement | null>(null);
  const busy = useRef(false);
  const lostWhileBusy = useRef(false);
  const listeners = useRef(new Set<(analysis: ExposureAnalysis) => void>());
  const sampler = useRef<FrameSampler | null>(null);

  // The devices remembered for this machine (the microphone is shared with the voice step).
  useEffect(() => {
    let alive = true;
    studio.call('settings/get', {}).then(
      (settings) => alive && setPreferred({ camera: settings.preferredCameraLabel, microphone: settings.preferredMicrophoneLabel }),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [studio]);

  const chosenCamera = pickDevice(cameras.devices, preferred.camera, cameraId);
  const chosenMicrophone = pickDevice(microphones.devices, preferred.microphone, microphoneId);
  const resolution = cameraCapture.resolutions.find((item) => item.height === resolutionHeight) ?? cameraCapture.resolutions[0];

  const close = useCallback(() => {
    const current = session.get().live;
    session.set({ live: null });
    if (!current) return;
    current.unsubscribe();
    current.removeEnded();
    void current.monitor?.close();
    stopStream(current.stream);
    setActual(null);
    setCountedRate(null);
    setReading(silentReading);
    setExposure(null);
  }, [session]);

  /** A device went away: stop cleanly, or (mid-take) let the take keep what it has and stop afterwards. */
  const lost = useCallback(
    (kind: string) => {
      const what = kind === 'audio' ? 'microphone' : 'camera';
      if (busy.current) {
        lostWhileBusy.current = true;
        return;
      }
      setNotice(`The ${what} was disconnected (or another application took it). Connect it, or pick another one, and turn the camera on again.`);
      close();
      session.set({ phase: 'off' });
    },
    [close, session],
  );

  const open = useCallback(
    async (wantedCamera: string | null, wantedMicrophone: string | null, format: { width: number; height: number; frameRate: number }) => {
      close();
      session.set({ phase: 'opening' });
      setError(null);
      setNotice(null);
      const request: CaptureRequest =
        version === 'v2'
          ? { video: { deviceId: wantedCamera, ...format }, audio: { deviceId: wantedMicrophone } }
          : // Ask high; the camera answers with the nearest it has, and maximise() takes the rest.
            { video: { deviceId: wantedCamera, width: 4096, height: 2160 }, audio: false };
      try {
        const access = await studio.call('system/requestMediaAccess', { kinds: version === 'v2' ? ['camera', 'microphone'] : ['camera'] });
        if (!access.granted) throw new CaptureError('denied', access.message ?? 'Access to the camera was denied.');
        const opened = await openCapture(request).catch(async (failure: unknown) => {
          // "Not found" for two devices: say which one is missing.
          if (failure instanceof CaptureError && failure.reason === 'not-found' && version === 'v2') {
            const [videoInputs, audioInputs] = await Promise.all([listDevices('videoinput'), listDevices('audioinput')]);
            if (videoInputs.length > 0 && audioInputs.length === 0)
              throw new CaptureError('not-found', 'No microphone was found. A v2 video needs the person’s voice: connect one and try again.');
            if (audioInputs.length > 0 || videoInputs.length === 0)
              throw new CaptureError('not-found', 'No camera was found. Connect one (and close any app that hides it), then try again.');
          }
          throw failure;
        });
        if (version === 'v1') await maximise(opened.getVideoTracks()[0]);
        const audio =
          version === 'v2'
            ? await AudioMonitor.open(opened).catch((failure: unknown) => {
                stopStream(opened);
                throw failure;
              })
            : null;
        const track = audio ? new PeakTrack(audio.sampleRate, 100, 30) : null;
        const unsubscribe = audio && track ? audio.onSamples((samples) => track.push(samples)) : () => undefined;
        const removers = opened.getTracks().map((item) => {
          const onEnded = () => lost(item.kind);
          item.addEventListener('ended', onEnded);
          return () => item.removeEventListener('ended', onEnded);
        });
        session.set({ live: { stream: opened, monitor: audio, liveTrack: track, unsubscribe, removeEnded: () => removers.forEach((remove) => remove()) } });
        setActual(actualOf(opened));
        setOffer(offerOf(opened));
        setCameraId(opened.getVideoTracks()[0]?.getSettings().deviceId ?? wantedCamera);
        if (audio) setMicrophoneId(opened.getAudioTracks()[0]?.getSettings().deviceId ?? wantedMicrophone);
        session.set({ phase: 'live' });
        // With permission granted the devices have labels now.
        refreshCameras();
        refreshMicrophones();
      } catch (failure) {
        close();
        session.set({ phase: 'off' });
        setError(failure instanceof CaptureError ? failure.message : asStudioError(failure).message);
      }
    },
    [close, lost, session, studio, version, refreshCameras, refreshMicrophones],
  );

  const stream = live?.stream ?? null;

  // The preview shows the stream; playing it starts the frames the exposure check reads.
  useEffect(() => {
    if (element.current) showStream(element.current, stream);
  }, [stream]);
  const attachVideo = useCallback(
    (node: HTMLVideoElement | null) => {
      element.current = node;
      if (node) showStream(node, session.get().live?.stream ?? null);
    },
    [session],
  );

  // Meters at display rate; the light a few times a second (never per frame or per sample).
  useEffect(() => {
    if (phase !== 'live') return;
    sampler.current ??= new FrameSampler();
    let lastExposure = 0;
    const timer = window.setInterval(() => {
      const current = session.get().live;
      if (!current) return;
      if (current.monitor) setReading(current.monitor.reading());
      const now = performance.now();
      const video = element.current;
      if (now - lastExposure < exposureQuality.liveIntervalMs || !video) return;
      lastExposure = now;
      const region = version === 'v1' && video.videoWidth > 0 ? photoCrop(video.videoWidth, video.videoHeight) : null;
      const measured = sampler.current!.measure(video, region);
      if (!measured) return;
      setExposure(measured);
      for (const listener of listeners.current) listener(measured);
    }, displayIntervalMs);
    return () => window.clearInterval(timer);
  }, [phase, session, version]);

  // The frames that really arrive, counted: a camera in dim light slows down whatever its settings say.
  useEffect(() => {
    if (phase !== 'live' || !stream) return;
    const track = stream.getVideoTracks()[0];
    if (framesDelivered(track) === null) return;
    const meter = new FrameRateMeter();
    const timer = window.setInterval(() => {
      const frames = framesDelivered(track);
      const rate = frames === null ? null : meter.push(frames, performance.now());
      // Redrawn only when the rounded rate changes.
      if (rate !== null) setCountedRate((current) => (current !== null && Math.round(current) === Math.round(rate) ? current : rate));
    }, frameCountIntervalMs);
    return () => {
      window.clearInterval(timer);
      setCountedRate(null);
    };
  }, [phase, stream, formatChanges]);

  // A different avatar model wants a different session (a microphone or not): start again.
  useEffect(() => () => close(), [close, version]);

  const format = { width: resolution.width, height: resolution.height, frameRate };

  const applyFormat = useCallback(
    async (next: { width: number; height: number; frameRate: number }) => {
      const track = session.get().live?.stream.getVideoTracks()[0];
      if (!track || version !== 'v2') return;
      try {
        await track.applyConstraints({ width: { ideal: next.width }, height: { ideal: next.height }, frameRate: { ideal: next.frameRate } });
      } catch (failure) {
        setError(`The camera refused ${next.width}×${next.height} at ${next.frameRate} fps (${messageOf(failure)}).`);
      }
      const current = session.get().live;
      if (current) setActual(actualOf(current.stream));
      // Counted again from here: the frames before the change say nothing about the new rate.
      setFormatChanges((count) => count + 1);
    },
    [session, version],
  );

  return {
    version,
    phase,
    cameras: cameras.devices,
    microphones: microphones.devices,
    cameraId: live ? cameraId : (chosenCamera?.deviceId ?? null),
    microphoneId: live ? microphoneId : (chosenMicrophone?.deviceId ?? null),
    offer,
    resolution,
    frameRate,
    actual: actual && { ...actual, counted: countedRate },
    stream,
    monitor: live?.monitor ?? null,
    liveTrack: live?.liveTrack ?? null,
    reading,
    exposure,
    mirrored,
    error,
    notice,
    attachVideo,
    video: () => element.current,
    enable: () => open(chosenCamera?.deviceId ?? null, chosenMicrophone?.deviceId ?? null, format),
    disable: () => {
      if (busy.current) return;
      close();
      session.set({ phase: 'off' });
    },
    selectCamera: (device) => {
      setCameraId(device.deviceId);
      setPreferred((current) => ({ ...current, camera: device.label }));
      void studio.call('settings/update', { patch: { preferredCameraLabel: device.label } }).catch(() => undefined);
      if (session.get().live && !busy.current) void open(device.deviceId, microphoneId, format);
    },
    selectMicrophone: (device) => {
      setMicrophoneId(device.deviceId);
      setPreferred((current) => ({ ...current, microphone: device.label }));
      void studio.call('settings/update', { patch: { preferredMicrophoneLabel: device.label } }).catch(() => undefined);
      if (session.get().live && !busy.current) void open(cameraId, device.deviceId, format);
    },
    selectResolution: (height) => {
      const next = cameraCapture.resolutions.find((item) => item.height === height);
      if (!next || busy.current) return;
      setResolutionHeight(height);
      void applyFormat({ width: next.width, height: next.height, frameRate });
    },
    selectFrameRate: (rate) => {
      if (busy.current) return;
      setFrameRate(rate);
      void applyFormat({ width: resolution.width, height: resolution.height, frameRate: rate });
    },
    setMirrored,
    onExposure: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
    setBusy: (value) => {
      busy.current = value;
      if (!value && lostWhileBusy.current) {
        lostWhileBusy.current = false;
        close();
        session.set({ phase: 'off' });
      }
    },
    say: (nextNotice, nextError = null) => {
      setNotice(nextNotice);
      setError(nextError);
    },
  };
}
