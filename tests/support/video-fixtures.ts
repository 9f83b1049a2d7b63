/**
 * Video clips for the media engine, the takes service and the e2e imports, made at test time by
 * native ffmpeg into a folder the caller owns: one builder per kind, used by every test of it.
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
export function halvesInputs(width: number, height: number): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `color=c=red:s=${width}x${Math.floor(height / 2)}:r=30`,
    '-f',
    'lavfi',
    '-i',
    `color=c=blue:s=${width}x${height - Math.floor(height / 2)}:r=30`,
  ];
}

/**
 * A phone's portrait clip: shown 360×640 with red on top and blue below, stored 640×360 turned
 * clockwise with a 90° rotation tag, speech as AAC. HEVC (as an iPhone records) or H.264.
 */
export function portraitClip(target: string, options: { codec?: 'hevc' | 'h264'; seconds?: number } = {}): string {
  const stored = `${target}.stored.mp4`;
  const codec =
    options.codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast']
      : ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'];
  ffmpeg([
    ...halvesInputs(360, 640),
    ...speechInput(),
    '-filter_complex',
    '[0][1]vstack,transpose=clock',
    '-map',
    '2:a',
    '-t',
    String(options.seconds ?? 4),
    ...codec,
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    stored,
  ]);
  // The stored picture was turned clockwise; the rotation tag turns it back (a copy keeps it).
  ffmpeg(['-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', target]);
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
