/**
 * The live waveform: the last few seconds of the input, drawn by wavesurfer.js from the monitor's
 * peak track (every sample counted, one audio graph) rather than through the Record plugin's
 * renderMicStream, which opens a second AudioContext and redraws from a 16-sample snapshot every 10 ms.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { PeakTrack } from './audio-monitor';
import { WaveSurfer } from './waveform';

export function LiveWaveform({
  track,
  active,
  windowSeconds = 8,
  height = 88,
  label = 'Live waveform of the microphone',
}: {
  track: PeakTrack | null;
  /** Recording: drawn in the record colour. */
  active: boolean;
  windowSeconds?: number;
  height?: number;
  label?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const activeRef = useRef(active);
  useLayoutEffect(() => {
    activeRef.current = active;
  }, [active]);

  useEffect(() => {
    if (!container.current) return;
    const instance = WaveSurfer.create({
      container: container.current,
      height,
      waveColor: '#818cf8',
      progressColor: '#818cf8',
      cursorWidth: 0,
      barWidth: 3,
      barGap: 1,
      interact: false,
      normalize: false,
      hideScrollbar: true,
    });
    surfer.current = instance;
    return () => {
      surfer.current = null;
      instance.destroy();
    };
  }, [height]);

  useEffect(() => {
    if (!track) {
      void surfer.current?.load('', [new Float32Array(windowSeconds * 25)], windowSeconds).catch(() => undefined);
      return;
    }
    let frame = 0;
    let last = 0;
    let wasActive = !activeRef.current;
    // WaveSurfer rebuilds its canvases on every load: ~10 redraws a second read as live without
    // keeping the page busy (the meters carry the fast detail).
    const draw = (time: number) => {
      frame = window.requestAnimationFrame(draw);
      if (time - last < 95) return;
      last = time;
      const instance = surfer.current;
      if (!instance) return;
      if (wasActive !== activeRef.current) {
        wasActive = activeRef.current;
        instance.setOptions({ waveColor: wasActive ? '#f87171' : '#818cf8', progressColor: wasActive ? '#f87171' : '#818cf8' });
      }
      void instance.load('', [track.window(windowSeconds, 25)], windowSeconds).catch(() => undefined);
    };
    frame = window.requestAnimationFrame(draw);
    return () => window.cancelAnimationFrame(frame);
  }, [track, windowSeconds]);

  return <div className="live-waveform" ref={container} role="img" aria-label={label} data-live={track ? 'on' : 'off'} />;
}
