/**
 * Media the tests feed to Chromium's fake devices and to the media engine, made at test time
 * (espeak-ng speech through sox, ffmpeg test patterns) and cached in tests/.fixtures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.fixtures');

const passages = [
  'Good morning. My name is Alex, and I lead the customer success team here. Every day I talk with people who rely on our product to get their work done.',
  'What I enjoy most is the moment a difficult problem becomes simple. You listen carefully, you ask one more question, and suddenly the path is clear.',
  'When I explain something, I like to start with the big picture, then walk through the details one step at a time, and finish with what to do next.',
  'Outside of work I cook for friends, I walk by the river on Sunday mornings, and I read more history books than I would like to admit.',
  'If you ask me a question I cannot answer, I will tell you so, and then I will find out. Honesty builds more trust than a quick guess ever could.',
];

function cached(name: string, make: (target: string) => void): string {
  mkdirSync(fixturesDir, { recursive: true });
  const target = path.join(fixturesDir, name);
  if (existsSync(target)) return target;
  const temp = `${target}.${process.pid}.tmp${path.extname(name)}`;
  try {
    make(temp);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

/** Natural-sounding speech of exactly `seconds`, 48 kHz mono 16-bit WAV (what Chromium's fake mic plays). */
export function speechWav(seconds: number): string {
  return cached(`speech-${seconds}s.wav`, (target) => {
    const raw = `${target}.raw.wav`;
    // Pauses between passages, as in real reading; repeated until long enough, then cut to length.
    const text = Array.from({ length: Math.ceil(seconds / 45) + 1 }, () => passages.join(' ... ')).join(' ... ');
    execFileSync('espeak-ng', ['-s', '150', '-w', raw, text]);
    execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', target, 'gain', '-n', '-6', 'trim', '0', String(seconds)]);
    rmSync(raw, { force: true });
  });
}

/** A sine tone at full scale and beyond: every peak clips. */
export function clippedToneWav(seconds: number): string {
  return cached(`clipped-${seconds}s.wav`, (target) => {
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', target, 'synth', String(seconds), 'sine', '440', 'gain', '+6']);
  });
}

export function silenceWav(seconds: number): string {
  return cached(`silence-${seconds}s.wav`, (target) => {
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', target, 'trim', '0', String(seconds)]);
  });
}

/**
 * A camera picture for Chromium's fake video device: a test pattern, one second, looped by Chromium.
 * Chromium's y4m reader wants the plain `C420` colour-space tag, not ffmpeg's `C420jpeg`.
 */
export function cameraY4m(width = 1280, height = 720, fps = 30): string {
  return cached(`camera-${width}x${height}-${fps}.y4m`, (target) => {
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-t',
      '1',
      '-pix_fmt',
      'yuv420p',
      '-strict',
      '-1',
      '-f',
      'yuv4mpegpipe',
      target,
    ]);
    execFileSync('sh', ['-c', `sed -i '1s/C420jpeg/C420/' '${target}'`]);
  });
}
