/**
 * Camera pictures with real faces for Chromium's fake video device, made at test time from the
 * photographs `@vladmandic/face-api` ships in its npm package (`demo/sample1.jpg`: three people):
 * one person's head and shoulders (two different people), the same face shrunk to a third of the guide, and the whole group;
 * and still photographs of one person for the photo checks (`personPhoto`).
 * Each is 1280×720, one second at 30 fps with a slight drift (a live camera is never still), as y4m
 * with Chromium's plain `C420` tag. Cached in tests/.fixtures like the other media.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fixturesDir, speechWav } from './media-fixtures';

const require = createRequire(import.meta.url);

/** A photograph from face-api's demo folder (sample1…sample6). */
export function samplePhoto(name: 'sample1' | 'sample2' | 'sample3' | 'sample4' | 'sample5' | 'sample6'): string {
  const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return path.join(dir, `${name}.jpg`);
}

/**
 * Single people in the samples: the centre and height of the face in the original's pixels. Each
 * is cut out narrow (no neighbour in the picture) and set on a plain grey wall, so that the face
 * sits in the v2 guide's oval at about 0.4 of the frame's height.
 */
export const people = {
  /** sample1, the woman on the left. */
  left: { photo: 'sample1', face: { cx: 500, cy: 470, height: 200 } },
  /** sample6, the second woman from the left (another person). */
  other: { photo: 'sample6', face: { cx: 740, cy: 470, height: 260 } },
} as const;

export type Person = keyof typeof people;

function cachedY4m(name: string, make: (target: string) => void): string {
  mkdirSync(fixturesDir, { recursive: true });
  const target = path.join(fixturesDir, `${name}.y4m`);
  if (existsSync(target)) return target;
  const temp = `${target}.${process.pid}.tmp.y4m`;
  try {
    make(temp);
    execFileSync('sh', ['-c', `sed -i '1s/C420jpeg/C420/' '${temp}'`]);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

function encode(input: string, filter: string, target: string): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-loop',
    '1',
    '-framerate',
    '30',
    '-i',
    input,
    '-t',
    '1',
    '-vf',
    `${filter},format=yuv420p`,
    '-strict',
    '-1',
    '-f',
    'yuv4mpegpipe',
    target,
  ]);
}

// A few pixels of drift back and forth over the second, so consecutive frames differ as a live camera's do.
const drift = (x: number, y: number) => `x='${x}+6*sin(2*PI*t)':y='${y}+3*sin(2*PI*t)'`;

/** The person's cut-out: a portrait crop with the face at 36 % of its height (the oval's eye line). */
function cutOut(person: Person): string {
  const { face } = people[person];
  const height = Math.round(face.height / 0.4);
  const width = Math.round(height * 0.9);
  return `crop=${width}:${height}:${drift(Math.round(face.cx - width / 2), Math.round(face.cy - height * 0.36))}`;
}

/** One person's head and shoulders, filling the v2 guide. */
export function personY4m(person: Person): string {
  return cachedY4m(`face-${person}`, (target) =>
    encode(samplePhoto(people[person].photo), `${cutOut(person)},scale=-2:720,pad=1280:720:(ow-iw)/2:0:color=0x808080`, target),
  );
}

/** The same person at a third of that size, the face on the guide's oval (its centre is at about y = 260). */
export function smallPersonY4m(person: Person): string {
  return cachedY4m(`face-${person}-third`, (target) =>
    encode(samplePhoto(people[person].photo), `${cutOut(person)},scale=-2:240,pad=1280:720:(ow-iw)/2:174:color=0x808080`, target),
  );
}

/** The whole group photograph, cropped to 16:9: three people. */
export function groupY4m(): string {
  return cachedY4m('face-group', (target) => encode(samplePhoto('sample1'), `crop=1920:1080:${drift(0, 100)},scale=1280:720`, target));
}

/**
 * A still photograph of one person as a JPEG (cached like the y4m files): the person's cut-out on
 * the grey wall, scaled so the face is `faceHeight` pixels high, its centre at `centre` of a
 * `width`×`height` picture. At 1920×1080 with a 240-pixel face at (960, 360) the face fills the v1
 * waist-up guide's oval.
 */
export function personPhoto(person: Person, options: { width?: number; height?: number; faceHeight?: number; centre?: { x: number; y: number } } = {}): string {
  const { width = 1920, height = 1080, faceHeight = 240 } = options;
  const centre = options.centre ?? { x: width / 2, y: height / 3 };
  const { face } = people[person];
  const cutHeight = Math.round(face.height / 0.4);
  const cutWidth = Math.round(cutHeight * 0.9);
  const scale = faceHeight / face.height;
  const scaledHeight = Math.round((cutHeight * scale) / 2) * 2;
  const scaledWidth = Math.round((cutWidth * scale) / 2) * 2;
  const name = `face-${person}-photo-${width}x${height}-${faceHeight}-${Math.round(centre.x)}-${Math.round(centre.y)}.jpg`;
  mkdirSync(fixturesDir, { recursive: true });
  const target = path.join(fixturesDir, name);
  if (existsSync(target)) return target;
  const temp = `${target}.${process.pid}.tmp.jpg`;
  const filter = [
    `crop=${cutWidth}:${cutHeight}:${Math.round(face.cx - cutWidth / 2)}:${Math.round(face.cy - cutHeight * 0.36)}`,
    `scale=${scaledWidth}:${scaledHeight}`,
    `pad=${width}:${height}:${Math.round(centre.x - scaledWidth / 2)}:${Math.round(centre.y - scaledHeight * 0.36)}:color=0x808080`,
  ].join(',');
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', samplePhoto(people[person].photo), '-vf', filter, '-frames:v', '1', '-q:v', '2', temp]);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

/**
 * A video take as Chromium's recorder makes one (fragmented MP4, H.264 picture, Opus sound) of one
 * person speaking: `personY4m` looped at `fps` frames a second, `height` pixels high (720 keeps a
 * still from it large enough for a photo), `seconds` long, a key frame every second. A take without
 * a face fails "One face" and cannot be approved, so seeded drafts use this one.
 */
export function recordedPersonMp4(options: { seconds: number; fps: number; height: 720 | 360 }): string {
  const { seconds, fps, height } = options;
  mkdirSync(fixturesDir, { recursive: true });
  const target = path.join(fixturesDir, `recorded-person-${seconds}s-${height}p-${fps}fps.mp4`);
  if (existsSync(target)) return target;
  const temp = `${target}.${process.pid}.tmp.mp4`;
  try {
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-stream_loop', '-1', '-i', personY4m('left'), '-i', speechWav(seconds)],
      ...['-vf', `scale=-2:${height},fps=${fps}`, '-t', String(seconds)],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', String(fps), '-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-b:a', '64k'],
      ...['-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', temp],
    ]);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}
