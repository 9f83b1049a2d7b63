/**
 * Files people import (phone and screen-recorder videos, multi-track and odd stereo voice files,
 * Apple Lossless memos), made at test time by native ffmpeg at a path the caller owns: one builder
 * per kind, used by the integration tests and the end-to-end specs alike.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { speechWav } from './media-fixtures';

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}

/** Sound for a clip: speech, so the video checks have something to judge. */
export const speechInput = (): string[] => ['-i', speechWav(300)];

/**
 * A picture whose upper half is red and lower half blue as it should be SHOWN, `width`×`height`
 * (two lavfi inputs to stack). `-vf` is applied before encoding, so a rotated clip is stored turned.
 */
export function halvesInputs(width: number, height: number, fps = 30): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `color=c=red:s=${width}x${Math.floor(height / 2)}:r=${fps}`,
    '-f',
    'lavfi',
    '-i',
    `color=c=blue:s=${width}x${height - Math.floor(height / 2)}:r=${fps}`,
  ];
}

/**
 * A phone's portrait clip: shown 360×640 with red on top and blue below, stored 640×360 turned
 * clockwise with a 90° rotation tag, speech as AAC. HEVC (as an iPhone records) or H.264.
 */
export function portraitClip(
  target: string,
  options: { codec?: 'hevc' | 'h264'; seconds?: number; fps?: number; container?: 'mp4' | 'mov'; label?: string } = {},
): string {
  const fps = options.fps ?? 30;
  const container = options.container ?? 'mp4';
  const stored = `${target}.stored.${container}`;
  const codec =
    options.codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast']
      : ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'];
  // A label marks the top, for people looking at screenshots.
  const label = options.label ? `,drawtext=text=${options.label}:fontsize=60:x=120:y=120:fontcolor=white` : '';
  ffmpeg([
    ...halvesInputs(360, 640, fps),
    ...speechInput(),
    '-filter_complex',
    `[0][1]vstack${label},transpose=clock`,
    '-map',
    '2:a',
    '-t',
    String(options.seconds ?? 4),
    ...codec,
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-f',
    container,
    stored,
  ]);
  // The stored picture was turned clockwise; the rotation tag turns it back (a copy keeps it).
  ffmpeg(['-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-f', container, target]);
  rmSync(stored, { force: true });
  return target;
}

/**
 * A landscape H.264 clip with speech whose picture is a grey test pattern lit at `level` (0 black,
 * 1 as bright as the pattern goes): a dark room at 0.15, ordinary light at 1.
 */
export function litClip(target: string, options: { level: number; seconds?: number; width?: number; height?: number }): string {
  const { level, seconds = 4, width = 640, height = 360 } = options;
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=30`,
    ...speechInput(),
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-vf',
    `hue=s=0,lutyuv=y=val*${level}`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    target,
  ]);
  return target;
}

/**
 * A screen recording's sound: track 1 a system sound (two steady tones, named "System sound"),
 * track 2 the microphone's speech (named `microphoneName` when given), AAC in M4A, `seconds` long.
 */
export function twoTrackVoice(target: string, options: { seconds: number; microphoneName?: string }): string {
  const music = `${target}.music.wav`;
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=523:sample_rate=48000',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=659:sample_rate=48000',
    '-t',
    String(options.seconds),
    '-filter_complex',
    '[0][1]amix=inputs=2,volume=0.5',
    music,
  ]);
  ffmpeg([
    '-i',
    music,
    '-i',
    speechWav(options.seconds),
    '-map',
    '0:a',
    '-map',
    '1:a',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-metadata:s:a:0',
    'handler_name=System sound',
    ...(options.microphoneName ? ['-metadata:s:a:1', `handler_name=${options.microphoneName}`] : []),
    '-f',
    'ipod',
    target,
  ]);
  rmSync(music, { force: true });
  return target;
}

/** Stereo speech whose right channel is the left one inverted: the channels cancel when added. */
export function invertedStereo(target: string, seconds: number): string {
  ffmpeg(['-i', speechWav(seconds), '-af', 'pan=stereo|c0=c0|c1=-1*c0', '-c:a', 'pcm_s16le', '-f', 'wav', target]);
  return target;
}

/** A voice memo in Apple Lossless (ALAC in M4A), which Chromium cannot play. */
export function alacVoice(target: string, seconds: number): string {
  ffmpeg(['-i', speechWav(seconds), '-t', String(seconds), '-c:a', 'alac', '-f', 'ipod', target]);
  return target;
}
