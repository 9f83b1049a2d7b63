// The media engine on the real ffmpeg.wasm core, with native ffmpeg/ffprobe as the oracle for its output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { audioQuality, voicePreparation, voiceRules } from '../../shared/requirements';
import { type EngineProgress, type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { createLogger } from '../../electron/services/log';
import { firstTrack } from '../../electron/services/media/voice-source';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const skip = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'the media engine tests');
const quiet = createLogger('media-test', () => undefined);

let dir = '';
const file = (name: string) => path.join(dir, name);

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}

/** Written to a pipe, as MediaRecorder streams it: no duration, no cues. */
function liveWebm(args: string[], target: string): void {
  writeFileSync(target, execFileSync('ffmpeg', ['-v', 'error', ...args, '-f', 'webm', '-'], { maxBuffer: 64 * 1024 * 1024 }));
}

/** Speech with `edgeS` of quiet room noise before and after, recorded like Chromium (Opus in WebM). */
function voiceTake(target: string, speechS: number, edgeS: number): void {
  const total = speechS + 2 * edgeS;
  liveWebm(
    [
      '-i',
      speechWav(300),
      '-filter_complex',
      `[0:a]atrim=0:${speechS},adelay=${edgeS * 1000},apad=pad_dur=${edgeS}[s];` +
        `anoisesrc=a=0.0003:c=pink:r=48000:d=${total}[n];[s][n]amix=inputs=2:duration=first:normalize=0[o]`,
      '-map',
      '[o]',
      '-ac',
      '1',
      '-c:a',
      'libopus',
      '-b:a',
      '64k',
    ],
    target,
  );
}

function nativeLoudness(target: string): { integrated: number; truePeak: number } {
  // ffmpeg prints the ebur128 summary on stderr.
  const { stderr } = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', target, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  return {
    integrated: Number(/I:\s*(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    truePeak: Number(/Peak:\s*(-?[\d.]+) dBFS/.exec(summary)?.[1]),
  };
}

function nativeProbe(target: string): { format: { format_name: string; duration: string }; streams: { codec_name: string; channels?: number }[] } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', target], { encoding: 'utf8' }));
}

async function refusal(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

describe.skipIf(skip !== null)('media engine (ffmpeg.wasm)', () => {
  let engine: MediaEngine;
  const events: EngineProgress[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'media-engine-'));
    mkdirSync(file('out'));
    voiceTake(file('voice-300s.webm'), 292, 4);
    voiceTake(file('voice-20s.webm'), 20, 0);
    writeFileSync(file('corrupt.webm'), Buffer.from(Array.from({ length: 20_000 }, (_, index) => (index * 7919) % 251)));
    // What Chromium records for video/mp4: H.264 with Opus.
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30',
      '-f',
      'lavfi',
      '-i',
      'sine=f=220:sample_rate=48000',
      '-t',
      '6',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-profile:v',
      'baseline',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'libopus',
      '-b:a',
      '64k',
      file('camera.mp4'),
    ]);
    liveWebm(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=30',
        '-f',
        'lavfi',
        '-i',
        'sine=f=220:sample_rate=48000',
        '-t',
        '3',
        '-c:v',
        'libvpx',
        '-deadline',
        'realtime',
        '-cpu-used',
        '8',
        '-b:v',
        '500k',
        '-c:a',
        'libopus',
      ],
      file('camera.webm'),
    );
    // A PNG under a JPEG's name: the engine must go by the bytes.
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x960:rate=1', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', file('still.jpg')]);
    engine = createMediaEngine({ log: quiet, onProgress: (progress) => events.push(progress) });
  }, 180_000);

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('probes containers and codecs by content, including a recording without a duration', async () => {
    const voice = await engine.probe(file('voice-20s.webm'));
    expect(voice).toMatchObject({ container: 'webm', audio: { codec: 'opus', sampleRate: 48000, channels: 1 }, video: null });
    expect(voice.durationMs).toBeGreaterThan(19_500);
    expect(voice.durationMs).toBeLessThan(20_500);

    const camera = await engine.probe(file('camera.mp4'));
    expect(camera).toMatchObject({ container: 'mp4', audio: { codec: 'opus' }, video: { codec: 'h264', width: 640, height: 360, fps: 30 } });
    expect(camera.durationMs).toBeGreaterThan(5900);

    const still = await engine.probe(file('still.jpg'));
    expect(still).toMatchObject({ container: 'png', durationMs: null, audio: null, video: { codec: 'png', width: 1280, height: 960 } });
  });

  it('refuses a file it cannot read, saying why in plain words', async () => {
    const error = await refusal(engine.probe(file('corrupt.webm')));
    expect(error.code).toBe('MEDIA');
    expect(error.message).toMatch(/cannot be read: its content is in no audio, video or picture format/);
    const prepared = await refusal(engine.prepareVoice(file('corrupt.webm'), file('out/corrupt.mp3'), {}));
    expect(prepared.code).toBe('MEDIA');

    // A document renamed to a media name, and a phone video whose copy stopped half way (an MP4 keeps
    // its index at the end, so the half has none): the two ways people bring a file that is not one.
    writeFileSync(file('notes.mp4'), 'Meeting notes\n'.repeat(2000));
    // camera.mp4 is written without faststart: its index is at the end.
    const whole = readFileSync(file('camera.mp4'));
    writeFileSync(file('half.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
    const renamed = await refusal(engine.probe(file('notes.mp4')));
    expect(renamed.message).toMatch(/no audio, video or picture format/);
    const cut = await refusal(engine.probe(file('half.mp4')));
    expect(cut.message).toMatch(/it is cut short/);
    for (const message of [error.message, renamed.message, cut.message]) expect(message).not.toMatch(/ffmpeg|moov|Invalid data|\/in\//i);
  });

  it('measures the sound of a video over a range, streamed, for its checks and peaks', async () => {
    const { analysis, peaks, durationMs } = await engine.analyseVoice(file('camera.mp4'), { startMs: 1000, endMs: 3000, source: firstTrack });
    expect(Math.abs(analysis.durationMs - 2000)).toBeLessThan(30);
    // ffmpeg's sine source plays at 1/8 of full scale: RMS 0.125/√2, −21.1 dBFS.
    expect(Math.abs(analysis.overallRmsDbfs - -21.1)).toBeLessThan(1);
    expect(Math.abs(peaks.length - 200)).toBeLessThanOrEqual(1);
    expect(durationMs).toBeGreaterThan(3000);
  });

  it('repairs a recording cut off mid-stream so it has a duration again', async () => {
    const whole = readFileSync(file('voice-20s.webm'));
    writeFileSync(file('crashed.webm'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    await engine.remux(file('crashed.webm'), file('crashed.webm'));
    const repaired = nativeProbe(file('crashed.webm'));
    expect(repaired.format.format_name).toContain('webm');
    expect(Number(repaired.format.duration)).toBeGreaterThan(8);
    expect(Number(repaired.format.duration)).toBeLessThan(16);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('prepares a 300 s take into an accepted, mono, loudness-normalised file within the limits', async () => {
    events.length = 0;
    const output = file('out/voice.mp3');
    const prepared = await engine.prepareVoice(file('voice-300s.webm'), output, { jobId: 'j_voice300' });
    const probed = nativeProbe(output);
    const seconds = Number(probed.format.duration);
    expect(probed.format.format_name).toBe('mp3');
    expect(voiceRules.formats).toContain(prepared.info.container);
    expect(probed.streams[0]).toMatchObject({ codec_name: 'mp3', channels: 1 });
    expect(seconds).toBeGreaterThanOrEqual(voiceRules.minSeconds);
    expect(seconds).toBeLessThanOrEqual(voiceRules.maxSeconds);
    // The 4 s of room noise at each end are gone, the speech and its padding kept.
    expect(seconds).toBeGreaterThan(291.5);
    expect(seconds).toBeLessThan(293.5);
    expect(readFileSync(output).length).toBeLessThanOrEqual(voiceRules.maxBytes);
    const loudness = nativeLoudness(output);
    expect(Math.abs(loudness.integrated - audioQuality.targetLufs)).toBeLessThanOrEqual(voicePreparation.loudnessToleranceLu);
    expect(loudness.truePeak).toBeLessThanOrEqual(audioQuality.targetTruePeakDbtp + 0.5);
    expect(prepared.loudnessLufs).not.toBeNull();

    const mine = events.filter((event) => event.jobId === 'j_voice300');
    expect(mine[0]?.state).toBe('queued');
    expect(mine.at(-1)).toMatchObject({ state: 'done', ratio: 1 });
    const ratios = mine.filter((event) => event.state === 'running').map((event) => event.ratio ?? 0);
    expect(ratios.length).toBeGreaterThan(3);
    expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
  }, 180_000);

  it('refuses a 20 s take, saying how long it is and what is needed', async () => {
    const error = await refusal(engine.prepareVoice(file('voice-20s.webm'), file('out/short.mp3'), {}));
    expect(error.code).toBe('MEDIA');
    expect(error.message).toMatch(/20(\.\d)? s long.*at least 60 s/);
    expect(readdirSync(file('out'))).not.toContain('short.mp3');
  });

  it('cancels a running job without leaving partial output, and stays usable', async () => {
    const outDir = file('cancelled');
    mkdirSync(outDir);
    const controller = new AbortController();
    const running = engine.prepareVoice(file('voice-300s.webm'), path.join(outDir, 'voice.mp3'), { jobId: 'j_cancelme' }, controller.signal);
    const cancelled = refusal(running);
    // Cancel in the encoding step, when the output is being produced.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (events.some((event) => event.jobId === 'j_cancelme' && (event.ratio ?? 0) > 0.5)) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    expect(engine.cancel('j_cancelme')).toBe(true);
    const error = await cancelled;
    expect(error.code).toBe('CANCELLED');
    expect(readdirSync(outDir)).toEqual([]);
    expect(events.filter((event) => event.jobId === 'j_cancelme').at(-1)?.state).toBe('cancelled');
    expect(engine.cancel('j_cancelme')).toBe(false);

    const again = await engine.prepareVideo(file('camera.mp4'), path.join(outDir, 'video.mp4'), {});
    expect(again.info.video?.codec).toBe('h264');

    // Cancelled between two jobs of one task (one id, one job after another): the next one does not start.
    expect(engine.cancel('j_between')).toBe(false);
    const next = await refusal(engine.prepareVideo(file('camera.mp4'), path.join(outDir, 'next.mp4'), { jobId: 'j_between' }));
    expect(next.code).toBe('CANCELLED');
    expect(readdirSync(outDir)).toEqual(['video.mp4']);
    // Once: the id is free again afterwards.
    expect((await engine.prepareVideo(file('camera.mp4'), path.join(outDir, 'next.mp4'), { jobId: 'j_between' })).info.video?.codec).toBe('h264');
  }, 120_000);

  it('stops a job that runs past its time limit, and the engine carries on', async () => {
    // Long enough for a probe on a loaded machine, far too short for a 300 s preparation.
    const limited = createMediaEngine({ log: quiet, jobTimeoutMs: 3000 });
    try {
      await limited.warm();
      const error = await refusal(limited.prepareVoice(file('voice-300s.webm'), file('out/timeout.mp3'), {}));
      expect(error.code).toBe('TIMEOUT');
      expect(readdirSync(file('out')).filter((name) => name.includes('timeout'))).toEqual([]);
      expect((await limited.probe(file('camera.mp4'))).container).toBe('mp4');
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('remuxes an H.264 take, re-encoding only the sound, with the index at the front', async () => {
    const output = file('out/camera.mp4');
    const prepared = await engine.prepareVideo(file('camera.mp4'), output, {});
    expect(prepared.summary).toMatch(/picture copied/);
    const probed = nativeProbe(output);
    expect(probed.streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    const bytes = readFileSync(output);
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  }, 60_000);

  it('re-encodes a VP8 take, and any take asked for at another size', async () => {
    const fromWebm = await engine.prepareVideo(file('camera.webm'), file('out/webm.mp4'), {});
    expect(fromWebm.summary).toMatch(/re-encoded.*vp8/);
    expect(fromWebm.info).toMatchObject({ container: 'mp4', video: { codec: 'h264', width: 320, height: 240 }, audio: { codec: 'aac' } });
    const smaller = await engine.prepareVideo(file('camera.mp4'), file('out/small.mp4'), { height: 180 });
    expect(smaller.info.video).toMatchObject({ codec: 'h264', width: 320, height: 180 });
  }, 120_000);

  it('crops a photo to a 16:9 JPEG', async () => {
    const centred = await engine.preparePhoto(file('still.jpg'), file('out/photo.jpg'), {});
    expect(centred.info).toMatchObject({ container: 'jpeg', video: { width: 1280, height: 720 } });
    const chosen = await engine.preparePhoto(file('still.jpg'), file('out/photo-crop.jpg'), {
      crop: { x: 100, y: 100, width: 960, height: 540 },
    });
    expect(chosen.info.video).toMatchObject({ width: 960, height: 540 });
    expect(readFileSync(file('out/photo-crop.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  }, 60_000);
});
