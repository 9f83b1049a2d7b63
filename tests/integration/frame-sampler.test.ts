// The frame sampler on the real ffmpeg.wasm core: upright frames of the shown size, at the asked
// rate, a segment at a time, and the light of the frames judged by the live verdict's functions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { analyseExposure, exposureChecks, lumaFromPixels, summariseExposure } from '../../shared/exposure';
import { type MediaEngine, type SampledFrame, createMediaEngine } from '../../electron/services/media/engine';
import { framesScratchPrefix, planFrames, segmentMs } from '../../electron/services/media/frame-sampler';
import { createLogger } from '../../electron/services/log';
import { litClip, portraitClip } from '../support/import-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The frame sampler tests');
const quiet = createLogger('frame-sampler-test', () => undefined);

let scratch = '';
let engine: MediaEngine;
const file = (name: string) => path.join(scratch, name);

async function collect(frames: AsyncIterable<SampledFrame>): Promise<SampledFrame[]> {
  const all: SampledFrame[] = [];
  for await (const frame of frames) all.push(frame);
  return all;
}

function rgbaAt(frame: SampledFrame, x: number, y: number): number[] {
  const at = (y * frame.width + x) * frame.channels;
  return [...frame.data.subarray(at, at + frame.channels)];
}

describe('frame plan', () => {
  it('splits a long sampling into segments of two minutes, in time order', () => {
    const plan = planFrames({ video: { codec: 'h264', width: 1920, height: 1080, fps: 30 }, durationMs: 10 * 60_000 }, { framesPerSecond: 5, width: 320 });
    expect(plan).toMatchObject({ width: 320, height: 180, channels: 4, intervalMs: 200 });
    expect(plan.segments.reduce((sum, segment) => sum + segment.count, 0)).toBe(3000);
    expect(plan.segments.map((segment) => segment.startMs)).toEqual([0, 1, 2, 3, 4].map((index) => index * segmentMs));
  });

  it('follows the shown (portrait) size and refuses what cannot be sampled', () => {
    expect(planFrames({ video: { codec: 'hevc', width: 360, height: 640, fps: 30 }, durationMs: 4000 }, { width: 90 })).toMatchObject({
      width: 90,
      height: 160,
    });
    expect(() => planFrames({ video: null, durationMs: 4000 })).toThrow(StudioError);
    expect(() => planFrames({ video: { codec: 'h264', width: 64, height: 64, fps: 30 }, durationMs: 4000 }, { framesPerSecond: 0 })).toThrow(/30 times/);
    expect(() => planFrames({ video: { codec: 'h264', width: 64, height: 64, fps: 30 }, durationMs: 4000 }, { startMs: 5000 })).toThrow(/outside/);
  });
});

describe.skipIf(missing !== null)('frame sampler (ffmpeg.wasm)', () => {
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'frame-sampler-'));
    portraitClip(file('portrait.mp4'), { codec: 'h264' });
    litClip(file('dark.mp4'), { level: 0.15 });
    litClip(file('normal.mp4'), { level: 1 });
    // 2:10 of a small moving pattern: two segments.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=128x72:rate=5',
      '-t',
      '130',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file('long.mp4'),
    ]);
    engine = createMediaEngine({ log: quiet });
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('samples a portrait clip stored turned as upright frames: red on top, blue below', async () => {
    const frames = await collect(engine.sampleFrames(file('portrait.mp4'), { framesPerSecond: 2, width: 90 }));
    expect(frames.map((frame) => frame.timeMs)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500]);
    for (const frame of frames) {
      expect([frame.width, frame.height, frame.channels, frame.data.byteLength]).toEqual([90, 160, 4, 90 * 160 * 4]);
      const top = rgbaAt(frame, 45, 20);
      const bottom = rgbaAt(frame, 45, 140);
      expect(top[0]).toBeGreaterThan(200);
      expect(top[2]).toBeLessThan(60);
      expect(bottom[2]).toBeGreaterThan(200);
      expect(bottom[0]).toBeLessThan(60);
      expect(top[3]).toBe(255);
    }
  }, 60_000);

  it('decodes across segments, continuing where the last one stopped, and leaves no scratch file', async () => {
    const frames = await collect(engine.sampleFrames(file('long.mp4'), { framesPerSecond: 1, width: 64, scratchDir: scratch }));
    expect(frames).toHaveLength(130);
    expect(frames.map((frame) => frame.timeMs)).toEqual(Array.from({ length: 130 }, (_, index) => index * 1000));
    // The clip's frame counter shows where each frame came from: the second segment starts at 2:00.
    expect(frames[121]!.data).not.toEqual(frames[119]!.data);
    expect(readdirSync(scratch).filter((name) => name.startsWith(framesScratchPrefix))).toEqual([]);
    // Stopping early removes the segment's scratch file too.
    for await (const frame of engine.sampleFrames(file('long.mp4'), { framesPerSecond: 1, width: 64, scratchDir: scratch })) {
      if (frame.timeMs >= 3000) break;
    }
    expect(readdirSync(scratch).filter((name) => name.startsWith(framesScratchPrefix))).toEqual([]);
  }, 120_000);

  it('decodes a range only, many frames a second, in RGB when asked', async () => {
    const frames = await collect(engine.sampleFrames(file('normal.mp4'), { framesPerSecond: 30, width: 320, pixels: 'rgb', startMs: 1000, endMs: 3500 }));
    expect(frames).toHaveLength(75);
    expect(frames[0]!.timeMs).toBe(1000);
    expect(frames.at(-1)!.timeMs).toBe(Math.round(1000 + 74 * (1000 / 30)));
    expect(frames.every((frame) => frame.channels === 3 && frame.data.byteLength === 320 * 180 * 3)).toBe(true);
    // testsrc2 moves: frames from different segments differ.
    expect(Buffer.compare(Buffer.from(frames[0]!.data), Buffer.from(frames.at(-1)!.data))).not.toBe(0);
  }, 60_000);

  it('judges the light of the sampled frames: a dark clip fails brightness, a normal one passes', async () => {
    const judge = async (name: string) => {
      const analyses = [];
      for await (const frame of engine.sampleFrames(file(name), { framesPerSecond: 1 })) {
        analyses.push(analyseExposure(lumaFromPixels(frame.data, frame.width, frame.height, frame.channels)));
      }
      return exposureChecks(summariseExposure(analyses)!);
    };
    const dark = await judge('dark.mp4');
    const normal = await judge('normal.mp4');
    expect(dark.find((check) => check.id === 'brightness')?.verdict).toBe('fail');
    expect(normal.find((check) => check.id === 'brightness')?.verdict).toBe('pass');
  }, 60_000);

  it('stops when cancelled, and refuses a file without a picture', async () => {
    const controller = new AbortController();
    const frames = engine.sampleFrames(file('normal.mp4'), { framesPerSecond: 30, width: 320, signal: controller.signal });
    await frames.next();
    controller.abort();
    const error = await collect(frames).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('CANCELLED');
    const sound = file('sound.m4a');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'aac', sound]);
    await expect(collect(engine.sampleFrames(sound))).rejects.toThrow(/no picture/);
  }, 60_000);
});
