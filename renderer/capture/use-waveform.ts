/**
 * A take's waveform with playback, one wavesurfer.js per take in the studio's look: drawn from the
 * peaks captured while recording when there are some (before the file even exists), else from the
 * file; playing an audio file itself or driving a <video> as its media so picture and sound never
 * drift; a kept range (the trim) marked as a region, draggable where it may be edited, that
 * playback stays inside: what will be uploaded is what is heard.
 */
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import RegionsPlugin, { type Region } from 'wavesurfer.js/plugins/regions';
import TimelinePlugin from 'wavesurfer.js/plugins/timeline';
import { WaveSurfer } from './waveform';
import { messageOf } from '../api/studio-context';

export type WaveRange = { startMs: number; endMs: number };

const look = {
  waveColor: '#94a3b8',
  progressColor: '#4f46e5',
  cursorColor: '#111827',
  cursorWidth: 2,
  barWidth: 2,
  barGap: 1,
  barRadius: 1,
  normalize: true,
  dragToSeek: true,
} as const;

const regionColor = 'rgba(79, 70, 229, 0.14)';

export type WaveformOptions = {
  /** One wavesurfer per id (a take); null draws nothing. */
  id: string | null;
  /** Where the waveform is drawn. */
  container: RefObject<HTMLDivElement | null>;
  /** Where a time scale is drawn under it, if anywhere. */
  timeline?: RefObject<HTMLDivElement | null>;
  height: number;
  /** A <video> to play instead of the file's sound: the waveform then follows the picture. */
  media?: RefObject<HTMLVideoElement | null>;
  /** The file; '' while it does not exist yet (the peaks are drawn alone). */
  url: string;
  peaks: Float32Array | null;
  /** Decode the file when there are no peaks (a short audio file); a video waits for its peaks. */
  decode: boolean;
  durationMs: number;
  /** The range that will be uploaded; null marks none. */
  range: WaveRange | null;
  /** Whether the range's edges can be dragged. */
  editable?: boolean;
  /** While an edge is dragged. */
  onRangeChange?: (range: WaveRange) => void;
  /** When a drag ends. */
  onRangeCommit?: (range: WaveRange) => void;
};

export type Waveform = {
  ready: boolean;
  playing: boolean;
  /** The playback position, ms. */
  time: number;
  error: string | null;
  playPause(): void;
  /** Pixels per second; 0 fits the whole take. */
  zoom(pixelsPerSecond: number): void;
  /** Moves the marked range (an edge typed in rather than dragged). */
  mark(range: WaveRange): void;
};

const rangeOf = (region: Region): WaveRange => ({ startMs: Math.round(region.start * 1000), endMs: Math.round(region.end * 1000) });

export function useWaveform(options: WaveformOptions): Waveform {
  const { id, container, timeline, height, media, url, peaks, decode, durationMs, range, editable = false } = options;
  const surfer = useRef<WaveSurfer | null>(null);
  const regions = useRef<RegionsPlugin | null>(null);
  const kept = useRef<Region | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  // An error belongs to the file it happened on: a new url (a preview instead) starts clean.
  const [failure, setFailure] = useState<{ url: string; message: string } | null>(null);
  const currentUrl = useRef(url);
  useLayoutEffect(() => {
    currentUrl.current = url;
  });
  const setError = useCallback((message: string) => setFailure({ url: currentUrl.current, message }), []);
  const error = failure && failure.url === url ? failure.message : null;
  const handlers = useRef(options);
  useLayoutEffect(() => {
    handlers.current = options;
  });

  useEffect(() => {
    if (!container.current || !id) return;
    const plugin = RegionsPlugin.create();
    const plugins = timeline?.current
      ? [plugin, TimelinePlugin.create({ container: timeline.current, height: 18, timeInterval: 5, primaryLabelInterval: 15 })]
      : [plugin];
    const instance = WaveSurfer.create({ container: container.current, media: media?.current ?? undefined, height, ...look, plugins });
    surfer.current = instance;
    regions.current = plugin;
    const offs = [
      instance.on('play', () => setPlaying(true)),
      instance.on('pause', () => setPlaying(false)),
      instance.on('finish', () => setPlaying(false)),
      instance.on('timeupdate', (seconds) => {
        setTime(seconds * 1000);
        const region = kept.current;
        if (region && instance.isPlaying() && seconds >= region.end) {
          instance.pause();
          instance.setTime(region.start);
        }
      }),
      instance.on('error', (failure) => setError(`The take could not be played: ${messageOf(failure)}`)),
    ];
    return () => {
      offs.forEach((off) => off());
      surfer.current = null;
      regions.current = null;
      kept.current = null;
      instance.destroy();
    };
  }, [id, container, timeline, height, media, setError]);

  // The picture and the sound: the peaks first when there are some, the file once it exists.
  const durationSeconds = durationMs / 1000;
  useEffect(() => {
    const instance = surfer.current;
    if (!instance || durationSeconds <= 0) return;
    if (!peaks && (!url || !decode)) return;
    let live = true;
    instance
      .load(url, peaks ? [peaks] : undefined, durationSeconds)
      .then(() => live && setReady(true))
      .catch((failure: unknown) => {
        if (live && (failure as Error)?.name !== 'AbortError') setError(`The waveform could not be drawn: ${messageOf(failure)}`);
      });
    return () => {
      live = false;
      setReady(false);
    };
  }, [id, url, peaks, decode, durationSeconds, setError]);

  // The kept range, placed once the waveform is drawn and moved when it changes.
  const startMs = range?.startMs ?? null;
  const endMs = range?.endMs ?? null;
  useEffect(() => {
    const plugin = regions.current;
    if (!ready || !plugin) return;
    if (startMs === null || endMs === null) {
      kept.current?.remove();
      kept.current = null;
      return;
    }
    if (kept.current) {
      kept.current.setOptions({ start: startMs / 1000, end: endMs / 1000 });
      return;
    }
    const region = plugin.addRegion({ id: 'trim', start: startMs / 1000, end: endMs / 1000, color: regionColor, drag: false, resize: false, minLength: 1 });
    kept.current = region;
    region.on('update', () => handlers.current.onRangeChange?.(rangeOf(region)));
    region.on('update-end', () => handlers.current.onRangeCommit?.(rangeOf(region)));
    // Listened to at the range's first position, the player starts where the upload starts.
    const instance = surfer.current;
    if (instance && !instance.isPlaying() && instance.getCurrentTime() < region.start) instance.setTime(region.start);
  }, [ready, startMs, endMs]);

  useEffect(() => {
    if (ready) kept.current?.setOptions({ resize: editable });
  }, [ready, editable, startMs, endMs]);

  const playPause = useCallback(() => {
    const instance = surfer.current;
    if (!instance) return;
    if (instance.isPlaying()) {
      instance.pause();
      return;
    }
    const region = kept.current;
    if (region && (instance.getCurrentTime() < region.start || instance.getCurrentTime() >= region.end - 0.05)) instance.setTime(region.start);
    void instance.play().catch((failure: unknown) => setError(`The take could not be played: ${messageOf(failure)}`));
  }, [setError]);

  const zoom = useCallback(
    (pixelsPerSecond: number) => {
      if (ready) surfer.current?.zoom(pixelsPerSecond);
    },
    [ready],
  );

  const mark = useCallback((next: WaveRange) => kept.current?.setOptions({ start: next.startMs / 1000, end: next.endMs / 1000 }), []);

  return { ready, playing, time, error, playPause, zoom, mark };
}
