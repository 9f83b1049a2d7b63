/**
 * Photos of the kinds people really bring, each made at test time (sharp for the encodings, a few
 * lines for EXIF-rotated pixels and an HEIC header), imported through the camera service as the
 * page sends them (the file's own bytes, in pieces) and prepared by the real media engine. The
 * prepared JPEG is decoded by native ffmpeg (not by the library that made it) and its pixels are
 * compared with where they must come from in the upright picture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoCrop } from '../../shared/camera';
import type { Photo } from '../../shared/drafts';
import { photoRules, twinRequestRules } from '../../shared/requirements';
import { CameraService } from '../../electron/services/camera/camera-service';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg'], 'The photo kinds tests');
const quiet = createLogger('photo-kinds-test', () => undefined);

let dataDir: string;
let engine: MediaEngine;
let drafts: DraftStore;
let camera: CameraService;

beforeAll(async () => {
  if (missing) return;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'photo-kinds-'));
  engine = createMediaEngine({ log: quiet });
  drafts = new DraftStore({ dataDir, log: quiet });
  await drafts.init();
  camera = new CameraService({ drafts, engine, log: quiet });
});

afterAll(async () => {
  if (missing) return;
  await camera.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The upright picture every kind shows: red grows left to right, green top to bottom, blue fixed. */
function scene(width: number, height: number, x: number, y: number): [number, number, number] {
  return [Math.round((255 * x) / (width - 1)), Math.round((255 * y) / (height - 1)), 96];
}

function sceneRgb(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0, index = 0; y < height; y++) {
    const green = Math.round((255 * y) / (height - 1));
    for (let x = 0; x < width; x++, index += 3) {
      data[index] = Math.round((255 * x) / (width - 1));
      data[index + 1] = green;
      data[index + 2] = 96;
    }
  }
  return data;
}

/**
 * The stored pixels of an upright `width`×`height` picture that a viewer turns upright with EXIF
 * `orientation` (written out from the EXIF definitions, not by an image library): where displayed
 * (x, y) comes from in the stored raster, and the stored size.
 */
function storedFor(orientation: number, width: number, height: number): { data: Buffer; width: number; height: number } {
  const swapped = orientation >= 5;
  const storedWidth = swapped ? height : width;
  const storedHeight = swapped ? width : height;
  const source: Record<number, (x: number, y: number) => [number, number]> = {
    1: (x, y) => [x, y],
    2: (x, y) => [width - 1 - x, y],
    3: (x, y) => [width - 1 - x, height - 1 - y],
    4: (x, y) => [x, height - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, width - 1 - x],
    7: (x, y) => [height - 1 - y, width - 1 - x],
    8: (x, y) => [height - 1 - y, x],
  };
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source[orientation]!(x, y);
      data.set(scene(width, height, x, y), (sy * storedWidth + sx) * 3);
    }
  }
  return { data, width: storedWidth, height: storedHeight };
}

async function store(draftId: string, bytes: Uint8Array, name: string): Promise<Photo> {
  const photoId = await camera.beginPhoto({ draftId, source: 'imported', mimeType: '', originalName: name, expectedBytes: bytes.length });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 1024 * 1024)
    await camera.appendPhoto(draftId, photoId, seq++, bytes.subarray(offset, offset + 1024 * 1024));
  return camera.finishPhoto(draftId, photoId);
}

/** Prepares the photo and decodes the JPEG with native ffmpeg into RGB. */
async function prepare(draftId: string, photo: Photo) {
  const output = path.join(drafts.folder(draftId), `prepared-${photo.id}.jpg`);
  const prepared = await engine.preparePhoto(drafts.mediaFile(draftId, photo.fileName), output, {});
  const { width, height } = prepared.info.video!;
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', output, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 512 * 1024 * 1024 });
  expect(rgb.length).toBe(width * height * 3);
  const at = (x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
  return { prepared, width, height, bytes: statSync(output).size, at, output };
}

const verdicts = (photo: Photo) => Object.fromEntries(photo.checks.map((check) => [check.id, check.verdict]));

/** The prepared picture shows the upright scene's centred 16:9 crop: checked at its corners and middle. */
function expectSceneCrop(result: Awaited<ReturnType<typeof prepare>>, width: number, height: number, tolerance = 12) {
  const crop = photoCrop(width, height);
  const scale = crop.width / result.width;
  for (const [fx, fy] of [
    [0.05, 0.05],
    [0.95, 0.05],
    [0.05, 0.95],
    [0.95, 0.95],
    [0.5, 0.5],
  ] as const) {
    const px = Math.round(fx * (result.width - 1));
    const py = Math.round(fy * (result.height - 1));
    const expected = scene(width, height, crop.x + px * scale, crop.y + py * scale);
    const actual = result.at(px, py);
    for (let channel = 0; channel < 3; channel++) expect(Math.abs(actual[channel]! - expected[channel]!)).toBeLessThanOrEqual(tolerance);
  }
}

describe.skipIf(missing !== null)('photos from cameras and phones', () => {
  it('accepts a 40 MP JPEG (7776×5184) as sent and prepares it within the service’s limits', async () => {
    const width = 7776;
    const height = 5184;
    // A camera's detail: the scene plus sensor-like noise, so the file is the size of a real one.
    const noise = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .raw()
      .toBuffer();
    const scenePixels = sceneRgb(width, height);
    for (let index = 0; index < scenePixels.length; index++) scenePixels[index] = Math.max(0, Math.min(255, scenePixels[index]! + (noise[index]! - 128) / 4));
    const bytes = await sharp(scenePixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(bytes.length).toBeGreaterThan(15 * 1024 * 1024);
    expect(bytes.length).toBeLessThan(photoRules.maxFileBytes);

    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, bytes, 'DSC_0001.JPG');
    expect(photo).toMatchObject({ width, height: 4374, original: { width, height, orientation: 1, format: 'jpeg' }, fileName: `photo-${photo.id}.jpg` });
    // Kept as sent: the original bytes, not a re-encoding.
    expect(readFileSync(drafts.mediaFile(draft.id, photo.fileName)).equals(bytes)).toBe(true);
    expect(verdicts(photo)).toMatchObject({ resolution: 'pass', shape: 'warn', brightness: 'pass' });
    expect(photo.checks.find((check) => check.id === 'shape')?.reason).toMatch(/7776×4374/);

    const result = await prepare(draft.id, photo);
    expect(result.width).toBe(photoRules.preparedMaxWidth);
    expect(result.height).toBe(2160);
    expect(result.bytes).toBeLessThanOrEqual(twinRequestRules.pictureMaxBytes);
    expectSceneCrop(result, width, height, 24);
  }, 180_000);

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'turns a portrait photo with EXIF orientation %i upright, warns with its crop and prepares it upright',
    async (orientation) => {
      const width = 1440;
      const height = 2560;
      const stored = storedFor(orientation, width, height);
      const bytes = await sharp(stored.data, { raw: { width: stored.width, height: stored.height, channels: 3 } })
        .jpeg({ quality: 95 })
        .withMetadata({ orientation })
        .toBuffer();
      const draft = await drafts.create({ avatarVersion: 'v1' });
      const photo = await store(draft.id, bytes, `IMG_${orientation}.jpg`);
      // Judged as the person sees it: portrait, of which the avatar gets the 16:9 middle.
      expect(photo).toMatchObject({ width: 1440, height: 810, original: { width, height, orientation } });
      const shape = photo.checks.find((check) => check.id === 'shape')!;
      expect(shape).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/1440×2560 is portrait.*1440×810/) });
      expect(verdicts(photo)).toMatchObject({ resolution: 'pass' });

      const result = await prepare(draft.id, photo);
      expect([result.width, result.height]).toEqual([1440, 810]);
      expect(result.prepared.summary).toMatch(orientation === 1 ? /^JPEG 1440×810/ : /turned upright/);
      // The pixels, not a header: red grows to the right and green downwards, as in the upright scene.
      expectSceneCrop(result, width, height);
      expect((await sharp(result.output).metadata()).orientation ?? 1).toBe(1);
    },
    60_000,
  );

  it('puts a transparent PNG on neutral grey and leaves its transparency out of the light checks', async () => {
    const width = 1920;
    const height = 1080;
    // A cut-out: a well-lit oval in the middle, fully transparent (and black underneath) around it.
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = ((x - width / 2) / (width * 0.25)) ** 2 + ((y - height / 2) / (height * 0.4)) ** 2 <= 1;
        if (inside) rgba.set([170, 140, 120, 255], (y * width + x) * 4);
      }
    }
    const bytes = await sharp(rgba, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, bytes, 'cutout.png');
    expect(verdicts(photo)).toMatchObject({ resolution: 'pass', shape: 'pass', brightness: 'pass', shadows: 'pass', transparency: 'warn' });
    expect(photo.checks.find((check) => check.id === 'shadows')?.value).toBe(0);

    const result = await prepare(draft.id, photo);
    for (const [x, y] of [
      [10, 10],
      [1900, 1070],
    ] as const)
      for (const value of result.at(x, y)) expect(Math.abs(value - 128)).toBeLessThanOrEqual(3);
    const middle = result.at(960, 540);
    expect(middle.map((value, channel) => Math.abs(value - [170, 140, 120][channel]!)).every((difference) => difference <= 4)).toBe(true);
  }, 60_000);

  const kinds: {
    name: string;
    file: string;
    extension: string;
    encode: (image: Sharp) => Sharp;
    tolerance?: number;
    grey?: boolean;
    cmyk?: boolean;
  }[] = [
    { name: 'WebP', file: 'photo.webp', extension: 'webp', encode: (image) => image.webp({ quality: 95 }) },
    { name: 'AVIF', file: 'photo.avif', extension: 'avif', encode: (image) => image.avif({ quality: 80 }), tolerance: 16 },
    { name: 'TIFF', file: 'scan.tif', extension: 'png', encode: (image) => image.tiff() },
    { name: '16-bit PNG', file: 'deep.png', extension: 'png', encode: (image) => image.toColourspace('rgb16').png() },
    { name: 'greyscale JPEG', file: 'grey.jpg', extension: 'jpg', encode: (image) => image.toColourspace('b-w').jpeg({ quality: 95 }), grey: true },
    { name: 'progressive JPEG', file: 'web.jpg', extension: 'jpg', encode: (image) => image.jpeg({ quality: 95, progressive: true }) },
    // Printing inks cannot show the scene's saturated corners: judged by its middle and its gradients (not inverted, upright).
    { name: 'CMYK JPEG', file: 'print.jpg', extension: 'jpg', encode: (image) => image.toColourspace('cmyk').jpeg({ quality: 95 }), cmyk: true },
  ];

  it.each(kinds)(
    'reads a $name, judges it and prepares it upright in sRGB',
    async ({ file, extension, encode, tolerance, grey, cmyk }) => {
      const width = 1600;
      const height = 1200;
      const bytes = await encode(sharp(sceneRgb(width, height), { raw: { width, height, channels: 3 } })).toBuffer();
      const draft = await drafts.create({ avatarVersion: 'v1' });
      const photo = await store(draft.id, bytes, file);
      expect(photo).toMatchObject({ width: 1600, height: 900, original: { width, height }, fileName: `photo-${photo.id}.${extension}` });
      expect(verdicts(photo)).toMatchObject({ resolution: 'pass', shape: 'warn', brightness: 'pass' });
      const result = await prepare(draft.id, photo);
      expect([result.width, result.height]).toEqual([1600, 900]);
      if (grey) {
        // Greyscale: three equal channels, brighter downwards and to the right as the scene's luma is.
        const [r, g, b] = result.at(800, 450);
        expect(Math.abs(r! - g!) + Math.abs(g! - b!)).toBeLessThanOrEqual(2);
        expect(result.at(1590, 890)[0]).toBeGreaterThan(result.at(10, 10)[0]! + 100);
      } else if (cmyk) {
        const middle = result.at(800, 450);
        expect(middle.map((value, channel) => Math.abs(value - [128, 128, 96][channel]!)).every((difference) => difference <= 16)).toBe(true);
        expect(result.at(1520, 450)[0]).toBeGreaterThan(result.at(80, 450)[0]! + 100);
        expect(result.at(800, 855)[1]).toBeGreaterThan(result.at(800, 45)[1]! + 100);
      } else {
        expectSceneCrop(result, width, height, tolerance ?? 12);
      }
    },
    60_000,
  );

  it('converts a photo with an embedded colour profile (Display P3) to sRGB', async () => {
    const width = 1920;
    const height = 1080;
    const colour = [220, 70, 40];
    const plain = Buffer.alloc(width * height * 3);
    for (let index = 0; index < width * height; index++) plain.set(colour, index * 3);
    const bytes = await sharp(plain, { raw: { width, height, channels: 3 } })
      .withIccProfile('p3')
      .jpeg({ quality: 95 })
      .toBuffer();
    // Stored as P3 numbers, which read as sRGB would be visibly off.
    const storedValues = [...(await sharp(bytes, { ignoreIcc: true }).raw().toBuffer()).subarray(0, 3)];
    expect(Math.max(...storedValues.map((value, channel) => Math.abs(value - colour[channel]!)))).toBeGreaterThan(10);

    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, bytes, 'p3.jpg');
    const result = await prepare(draft.id, photo);
    const actual = result.at(960, 540);
    for (let channel = 0; channel < 3; channel++) expect(Math.abs(actual[channel]! - colour[channel]!)).toBeLessThanOrEqual(4);
  }, 60_000);

  it('says plainly that an iPhone HEIC cannot be read and how to export it, changing nothing', async () => {
    // An HEIC's opening: its ftyp box names the HEVC still-image brands, then the item boxes follow.
    const ftyp = Buffer.alloc(24);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'latin1');
    ftyp.writeUInt32BE(0, 12);
    ftyp.write('mif1heic', 16, 'latin1');
    const bytes = Buffer.concat([ftyp, Buffer.from('\0\0\0\x20metahdlrpict and the rest of an iPhone photo')]);
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const error = (await store(draft.id, bytes, 'IMG_0001.HEIC').then(
      () => new Error('the HEIC was accepted'),
      (failure: unknown) => failure,
    )) as Error;
    expect(error).toMatchObject({ code: 'MEDIA', message: expect.stringMatching(/HEIC.*cannot read\. Export it as JPEG/) });
    expect(error.message).not.toMatch(/ffmpeg|vips|\[object/i);
    expect((await drafts.get(draft.id)).camera.photos).toEqual([]);
    expect((await fs.readdir(drafts.folder(draft.id))).filter((name) => name !== 'draft.json')).toEqual([]);
  });

  it('refuses a portrait photo whose 16:9 middle is too small, naming that middle', async () => {
    const bytes = await sharp(sceneRgb(1080, 1920), { raw: { width: 1080, height: 1920, channels: 3 } })
      .jpeg()
      .toBuffer();
    const draft = await drafts.create({ avatarVersion: 'v1' });
    await expect(store(draft.id, bytes, 'story.jpg')).rejects.toThrow(/1080×1920, and its 16:9 middle is only 1080×606/);
  });
});
