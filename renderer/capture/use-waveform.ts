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
import { formatTimelineLabel } from '../../shared/format';
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

/** A fetch or a play() stopped because a newer load replaced it or the waveform was closed: nothing failed. */
const isAbort = (failure: unknown): boolean => (failure as { name?: unknown } | null)?.name === 'AbortError';

/**
 * Whether the instance has something drawn to act on. wavesurfer throws ("No audio loaded") when it
 * is zoomed without one, which is the case before the first load ends, from the moment a new load
 * starts (a preview replacing the file) until it ends, and after a load that was replaced: `ready`
 * in React state lags behind all of these.
 */
const hasSound = (instance: WaveSurfer): boolean => instance.getDecodedData() !== null;

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

  // The take's length as the time scale labels it, read when the scale is drawn.
  const takeSeconds = useRef(durationMs / 1000);
  useLayoutEffect(() => {
    takeSeconds.current = durationMs / 1000;
  });

  useEffect(() => {
    const box = container.current;
    if (!box || !id) return;
    const video = media?.current ?? undefined;
    const plugin = RegionsPlugin.create();
    const scale = timeline?.current
      ? TimelinePlugin.create({
          container: timeline.current,
          height: 18,
          timeInterval: 5,
          primaryLabelInterval: 15,
          // Its own labels turn to m:ss only past 60 s ("45 · 60 · 1:15"); the take's length decides for the whole scale.
          formatTimeCallback: (seconds) => formatTimelineLabel(seconds, takeSeconds.current),
        })
      : null;
    let instance: WaveSurfer;
    try {
      instance = WaveSurfer.create({ container: box, media: video, height, ...look, plugins: scale ? [plugin, scale] : [plugin] });
    } catch (failure) {
      // Thrown out of an effect, it would unmount the whole page: it is this review's error instead.
      setError(`The waveform could not be drawn: ${messageOf(failure)}`);
      return;
    }
    surfer.current = instance;
    regions.current = plugin;
    const offs = [
      instance.on('play', () => setPlaying(true)),
      instance.on('pause', () => setPlaying(false)),
      instance.on('finish', () => setPlaying(false)),
      instance.on('timeupdate', (seconds) => {
        setTime(seconds * 1000);
        const region = kept.current;
        if (!region || !instance.isPlaying() || seconds < region.end) return;
        try {
          instance.pause();
          instance.setTime(region.start);
        } catch {
          // The media went away under the player (a new file being set): the next play starts over.
        }
      }),
      // A load replaced by a newer one reports its stopped fetch as an error too: not a failure of the take.
      instance.on('error', (failure) => {
        if (!isAbort(failure)) setError(`The take could not be played: ${messageOf(failure)}`);
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      surfer.current = null;
      regions.current = null;
      kept.current = null;
      setReady(false);
      try {
        instance.destroy();
      } catch {
        // The waveform is going away; what it fails to tidy goes with it.
      }
      // wavesurfer leaves a <video> it was given playing its file; the next instance on the same
      // element (a remount) would find that file and fetch and decode all of it on its own, racing
      // the load below and leaving the waveform with nothing drawn.
      if (video?.hasAttribute('src')) {
        video.pause();
        video.removeAttribute('src');
        video.load();
      }
    };
  }, [id, container, timeline, height, media, setError]);

  // The picture and the sound: the peaks first when there are some, the file once it exists. Run
  // again for every new instance (its dependencies include the instance's own).
  const durationSeconds = durationMs / 1000;
  useEffect(() => {
    const instance = surfer.current;
    if (!instance || durationSeconds <= 0) return;
    // No peaks at all (a take without sound) draws like none: wavesurfer refuses an empty line.
    const drawn = peaks && peaks.length > 0 ? peaks : null;
    if (!drawn && (!url || !decode)) return;
    let live = true;
    instance.load(url, drawn ? [drawn] : undefined, durationSeconds).then(
      // A load that a newer one replaced resolves too, with nothing loaded: only a drawn one is ready.
      () => live && hasSound(instance) && setReady(true),
      (failure: unknown) => {
        if (live && !isAbort(failure)) setError(`The waveform could not be drawn: ${messageOf(failure)}`);
      },
    );
    return () => {
      live = false;
      setReady(false);
    };
  }, [id, container, timeline, height, media, url, peaks, decode, durationSeconds, setError]);

  // The kept range, placed once the waveform is drawn and moved when it changes.
  const startMs = range?.startMs ?? null;
  const endMs = range?.endMs ?? null;
  useEffect(() => {
    const plugin = regions.current;
    const instance = surfer.current;
    if (!ready || !plugin || !instance) return;
    try {
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
      if (!instance.isPlaying() && instance.getCurrentTime() < region.start) instance.setTime(region.start);
    } catch (failure) {
      setError(`The kept range could not be marked on the waveform: ${messageOf(failure)}`);
    }
  }, [ready, startMs, endMs, setError]);

  useEffect(() => {
    if (ready) kept.current?.setOptions({ resize: editable });
  }, [ready, editable, startMs, endMs]);

  const playPause = useCallback(() => {
    const instance = surfer.current;
    // Nothing to play yet (the button waits for `ready`, which lags behind a new load).
    if (!instance || !hasSound(instance)) return;
    // Drawn from the peaks before the file exists: play() would wait for a file and start by itself when one comes.
    if (!instance.getMediaElement().getAttribute('src')) return;
    try {
      if (instance.isPlaying()) {
        instance.pause();
        return;
      }
      const region = kept.current;
      if (region && (instance.getCurrentTime() < region.start || instance.getCurrentTime() >= region.end - 0.05)) instance.setTime(region.start);
    } catch (failure) {
      setError(`The take could not be played: ${messageOf(failure)}`);
      return;
    }
    void instance.play().catch((failure: unknown) => {
      // Interrupted by a pause or a new file: the person pressed something else, nothing failed.
      if (!isAbort(failure)) setError(`The take could not be played: ${messageOf(failure)}`);
    });
  }, [setError]);

  const zoom = useCallback(
    (pixelsPerSecond: number) => {
      const instance = surfer.current;
      // Not drawn yet: applied when it is, since `ready` changes this callback and the caller applies it again.
      if (!ready || !instance || !hasSound(instance)) return;
      try {
        instance.zoom(pixelsPerSecond);
      } catch (failure) {
        setError(`The waveform could not be zoomed: ${messageOf(failure)}`);
      }
    },
    [ready, setError],
  );

  const mark = useCallback((next: WaveRange) => kept.current?.setOptions({ start: next.startMs / 1000, end: next.endMs / 1000 }), []);

  return { ready, playing, time, error, playPause, zoom, mark };
}
