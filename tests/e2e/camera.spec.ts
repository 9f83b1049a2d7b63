/**
 * Camera capture in a real Chromium against the browser host, with a fake camera playing a 1280×720
 * test pattern (a y4m made at test time) and a fake microphone playing espeak-ng speech: a v1 photo
 * by countdown, imports judged by content, a v2 video take recorded through the UI and checked on
 * disk with ffprobe, its review and trim, a camera pulled out mid-take, no camera, and a refusal.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import sharp from 'sharp';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { picturePng } from '../integration/emulator-fixtures';
import { cameraY4m, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The camera end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(30), video: cameraY4m(1280, 720) });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1500 });
  watchPageProblems(page, violations);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function shot(name: string, target = page) {
  await target.screenshot({ path: path.join(shots, `camera-${name}.png`), fullPage: true });
}

function readDraft(id: string): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

function mediaFile(draftId: string, fileName: string): string {
  return path.join(host.dataDir, 'drafts', draftId, fileName);
}

type Probe = { streams: { codec_type: string; codec_name: string; width?: number; height?: number }[]; format: { duration: string } };

function probe(file: string): Probe {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height:format=duration', '-of', 'json', file]).toString(),
  ) as Probe;
}

/** The average colour of a small patch of a picture or of a video's first frame, as [r, g, b]. */
function patchColour(file: string, x: number, y: number): number[] {
  const raw = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    `crop=16:16:${x}:${y},scale=1:1:flags=area`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  return [...raw.subarray(0, 3)];
}

/** A new draft with the given avatar model, on its camera step. */
async function newDraftCamera(version: 'v1' | 'v2', target = page): Promise<string> {
  await target.goto(host.url);
  await target.getByRole('button', { name: 'New draft' }).click();
  await expect(target.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  const draftId = /#\/draft\/([^/]+)\//.exec(target.url())![1]!;
  if (version === 'v1') {
    await target.getByRole('radio', { name: /v1, from a photo/ }).check();
    await expect.poll(() => readDraft(draftId).person.avatarVersion).toBe('v1');
  }
  await target.getByRole('link', { name: /^Camera:/ }).click();
  await expect(target.getByRole('heading', { name: 'Camera', level: 2 })).toBeVisible();
  return draftId;
}

test.describe('v1 photo', () => {
  let draftId: string;

  test('the camera starts off, with the photo guide and size explained', async () => {
    draftId = await newDraftCamera('v1');
    await expect(page.getByTestId('camera-status')).toHaveText('Camera off');
    await expect(page.getByRole('button', { name: 'Take photo' })).toBeDisabled();
    await expect(page.getByText('No photos yet.')).toBeVisible();
    await shot('v1-01-off');
  });

  test('turning the camera on shows the mirrored preview, the 16:9 guide and a light verdict', async () => {
    await page.getByRole('button', { name: 'Turn on camera' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText('Live');
    const preview = page.getByTestId('camera-preview');
    await expect.poll(() => preview.evaluate((video: HTMLVideoElement) => video.videoWidth)).toBe(1280);
    expect(await preview.evaluate((video: HTMLVideoElement) => getComputedStyle(video).transform)).toContain('matrix(-1');
    await expect(page.locator('svg.framing-guides[data-guide="v1"]')).toBeVisible();
    await expect(page.getByTestId('exposure-verdict')).not.toBeEmpty();
    await expect(page.getByTestId('photo-size')).toContainText('1280×720');
    await expect(page.getByRole('combobox', { name: 'Camera', exact: true })).toBeEnabled();
    await shot('v1-02-live');
  });

  test('a countdown shot is shown at once, then stored as a 16:9 picture of the camera’s full 1280×720, not mirrored', async () => {
    // The shot appears from the page's own pixels before the studio has stored and checked it.
    await page.evaluate(() => {
      const seen = { pending: false };
      (window as unknown as { shotSeen: typeof seen }).shotSeen = seen;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="photo-pending"] img[src^="blob:"]')) seen.pending = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.getByRole('button', { name: 'Take photo' }).click();
    await expect(page.getByTestId('countdown')).toHaveText('3');
    await shot('v1-03-countdown');
    await expect(page.locator('.photo-grid li')).toHaveCount(1, { timeout: 20_000 });
    await expect(page.getByTestId('photo-verdict')).toBeVisible({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { shotSeen: { pending: boolean } }).shotSeen.pending)).toBe(true);
    await expect(page.getByTestId('photo-pending')).toHaveCount(0);
    await shot('v1-04-photo');
    const draft = readDraft(draftId);
    expect(draft.camera.photos).toHaveLength(1);
    const photo = draft.camera.photos[0]!;
    expect(photo).toMatchObject({ source: 'camera', width: 1280, height: 720 });
    // The test pattern holds no face: the photo fails "One face", so it is kept but not chosen for the person.
    expect(photo.checks.find((check) => check.id === 'face-one')?.verdict).toBe('fail');
    expect(draft.camera.chosenPhotoId).toBeNull();
    const stream = probe(mediaFile(draftId, photo.fileName)).streams[0]!;
    expect(stream.width! / stream.height!).toBeCloseTo(16 / 9, 2);
    expect(stream.width).toBeGreaterThanOrEqual(1280);
    expect(stream.height).toBeGreaterThanOrEqual(720);
    // The test pattern has its red band on the left: the stored photo is as the camera sees it.
    const [red, green, blue] = patchColour(mediaFile(draftId, photo.fileName), 100, 640);
    expect(red).toBeGreaterThan(180);
    expect(green).toBeLessThan(80);
    expect(blue).toBeLessThan(80);
    expect(photo.checks.find((check) => check.id === 'resolution')?.verdict).toBe('pass');
    expect(photo.checks.find((check) => check.id === 'shape')?.verdict).toBe('pass');
    expect(photo.checks.map((check) => check.id)).toEqual(expect.arrayContaining(['brightness', 'highlights', 'shadows']));
  });

  test('imports: a text file and a tiny picture are refused with a reason; a good picture is cropped to 16:9', async () => {
    const scratch = path.join(os.tmpdir(), `camera-imports-${process.pid}`);
    mkdirSync(scratch, { recursive: true });
    const notPicture = path.join(scratch, 'holiday.jpg');
    writeFileSync(notPicture, 'not a picture at all');
    const input = page.getByLabel('Import a picture');
    await input.setInputFiles(notPicture);
    await expect(page.getByText(/“holiday\.jpg” was not imported\. This file is not a picture the studio can use/)).toBeVisible();
    await input.setInputFiles(picturePng());
    await expect(page.getByText(/“picture-320x180\.png” was not imported\. It is 320×180: the reference photo needs at least 1280×720/)).toBeVisible();
    await page.locator('.import-drop').scrollIntoViewIfNeeded();
    await shot('v1-05-import-refused');
    expect(readDraft(draftId).camera.photos).toHaveLength(1);

    // A 4:3 picture large enough: kept, cropped to its centred 16:9 band.
    const fourThree = path.join(scratch, 'office.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1600x1200', '-frames:v', '1', fourThree]);
    await input.setInputFiles(fourThree);
    await expect(page.locator('.photo-grid li')).toHaveCount(2, { timeout: 20_000 });
    const imported = readDraft(draftId).camera.photos[1]!;
    expect(imported).toMatchObject({ source: 'imported', width: 1600, height: 900, originalName: 'office.png' });
    await expect(page.locator('.photo-detail')).toContainText('office.png');
    await shot('v1-06-imported');
    expect(violations).toEqual([]);
  });

  test('a phone’s portrait photo (EXIF orientation 6) is shown upright, warns and marks the 16:9 crop it will make', async () => {
    const scratch = path.join(os.tmpdir(), `camera-imports-${process.pid}`);
    mkdirSync(scratch, { recursive: true });
    // What a phone writes: the sensor's landscape pixels and a tag saying "turn 90° clockwise to view".
    const upright = path.join(scratch, 'upright.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1440x2560', '-frames:v', '1', upright]);
    const phone = path.join(scratch, 'IMG_0042.JPG');
    await sharp(upright).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile(phone);
    expect(await sharp(phone).metadata()).toMatchObject({ width: 2560, height: 1440, orientation: 6 });

    await page.getByLabel('Import a picture').setInputFiles(phone);
    await expect(page.locator('.photo-grid li')).toHaveCount(3, { timeout: 20_000 });
    const imported = readDraft(draftId).camera.photos[2]!;
    expect(imported).toMatchObject({ width: 1440, height: 810, original: { width: 1440, height: 2560, orientation: 6, format: 'jpeg' } });
    // The file kept is the one sent, byte for byte.
    expect(readFileSync(mediaFile(draftId, imported.fileName)).equals(readFileSync(phone))).toBe(true);

    const detail = page.locator('.photo-detail');
    await expect(detail).toContainText('IMG_0042.JPG');
    await expect(detail.getByText(/1440×2560 is portrait: the avatar is made from its 16:9 middle only, 1440×810/)).toBeVisible();
    const mark = page.getByTestId('photo-crop-mark');
    await expect(mark).toBeVisible();
    await expect(mark).toContainText('16:9 used for the avatar');
    // Shown upright: the picture on screen is taller than wide, and the mark spans its width at its middle.
    const image = detail.locator('img.photo-large');
    expect(await image.evaluate((element: HTMLImageElement) => [element.naturalWidth, element.naturalHeight])).toEqual([1440, 2560]);
    const imageBox = (await image.boundingBox())!;
    const boxBox = (await mark.locator('rect.crop-box').boundingBox())!;
    expect(imageBox.height).toBeGreaterThan(imageBox.width * 1.5);
    expect(Math.abs(boxBox.width - imageBox.width)).toBeLessThan(6);
    // The marked box is the 16:9 band, not the whole picture: 810 of 2560 rows.
    expect(Math.abs(boxBox.height - (imageBox.width * 9) / 16)).toBeLessThan(6);
    expect(Math.abs(boxBox.y + boxBox.height / 2 - (imageBox.y + imageBox.height / 2))).toBeLessThan(6);
    await detail.scrollIntoViewIfNeeded();
    await detail.screenshot({ path: path.join(shots, 'camera-v1-07-portrait-crop.png') });
    expect(violations).toEqual([]);
  });
});

test.describe('v2 video take', () => {
  let draftId: string;
  let takeId: string;

  test('the recorder offers camera and microphone, 720p by default, and shows guide, light and level', async () => {
    draftId = await newDraftCamera('v2');
    await expect(page.getByTestId('camera-status')).toHaveText('Camera off');
    await expect(page.getByRole('button', { name: 'Record' })).toBeDisabled();
    await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText('Live · not recording');
    await expect(page.getByRole('combobox', { name: 'Camera', exact: true })).toBeEnabled();
    await expect(page.getByRole('combobox', { name: 'Microphone' })).toBeEnabled();
    const resolution = page.getByRole('combobox', { name: 'Resolution' });
    await expect(resolution).toHaveValue('720');
    // The fake camera is 1280×720: 1080p is not offered, and the screen says so.
    await expect(resolution.locator('option')).toHaveCount(1);
    await expect(page.getByText('This camera does not offer 1080p.')).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Frame rate' })).toHaveValue('30');
    await expect(page.locator('svg.framing-guides[data-guide="v2"]')).toBeVisible();
    await expect(page.getByTestId('exposure-verdict')).not.toBeEmpty();
    await expect.poll(async () => page.getByTestId('level-readout').textContent(), { timeout: 15_000 }).not.toMatch(/^−∞/);
    await expect(page.getByLabel('Use this video’s audio as the voice')).not.toBeChecked();
    // The test pattern has no face in it, and the face check says so once its model has loaded.
    await expect(page.getByTestId('face-verdict')).toHaveAttribute('data-verdict', 'no-face', { timeout: 120_000 });
    await shot('v2-01-live');
  });

  test('a take recorded through the UI plays from disk with picture and sound, and lasts as long as it was recorded', async () => {
    // The recording time as a person sees it, on the page's own clock (not the test's, which lags
    // under load): from "Recording" appearing on screen to the Stop click.
    await page.evaluate(() => {
      const marks = window as unknown as { recordingShownAt?: number; stopClickedAt?: number };
      const status = document.querySelector('[data-testid="camera-status"]')!;
      new MutationObserver(() => {
        if (marks.recordingShownAt === undefined && status.textContent?.startsWith('Recording')) marks.recordingShownAt = performance.now();
      }).observe(status, { childList: true, subtree: true, characterData: true });
      document.addEventListener(
        'click',
        (event) => {
          if ((event.target as Element).closest('button')?.textContent?.includes('Stop')) marks.stopClickedAt ??= performance.now();
        },
        true,
      );
    });
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByTestId('camera-status')).toContainText('Recording');
    await page.waitForTimeout(5000);
    // Chunks reach the disk while the take is recorded, not at its end.
    const recording = readDraft(draftId).camera.videoTakes[0]!;
    expect(recording).toMatchObject({ state: 'recording', fileName: `video-${recording.id}.rec.mp4` });
    const sizeAt5s = statSync(mediaFile(draftId, recording.fileName)).size;
    expect(sizeAt5s).toBeGreaterThan(50_000);
    // It keeps growing while the take goes on. How soon the next chunk lands depends on the encoder
    // keeping up, which a loaded machine slows: this asserts that it grows, not how fast.
    await expect.poll(() => statSync(mediaFile(draftId, recording.fileName)).size, { timeout: 10_000, intervals: [250] }).toBeGreaterThan(sizeAt5s);
    await shot('v2-02-recording');
    await page.waitForTimeout(5000);
    await page.getByRole('button', { name: 'Stop' }).click();
    const wallMs = await page.evaluate(() => {
      const marks = window as unknown as { recordingShownAt: number; stopClickedAt: number };
      return marks.stopClickedAt - marks.recordingShownAt;
    });
    await expect(page.locator('section.video-review')).toHaveAttribute('data-saved', 'true', { timeout: 60_000 });
    await expect(page.getByTestId('camera-status')).toHaveText('Live · not recording');
    const recordedMs = Number(await page.locator('section.camera-panel').getAttribute('data-recorded-ms'));

    const draft = readDraft(draftId);
    expect(draft.camera.videoTakes).toHaveLength(1);
    const take = draft.camera.videoTakes[0]!;
    takeId = take.id;
    expect(take).toMatchObject({ kind: 'video', source: 'recorded', state: 'complete', mimeType: 'video/mp4' });
    expect(take.fileName).toBe(`video-${take.id}.mp4`);
    const file = mediaFile(draftId, take.fileName);
    const info = probe(file);
    const video = info.streams.find((stream) => stream.codec_type === 'video');
    const audio = info.streams.find((stream) => stream.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(audio?.codec_name).toBe('opus');
    const seconds = Number(info.format.duration);
    console.log(
      `video take: file ${seconds.toFixed(3)} s, recorder clock ${(recordedMs / 1000).toFixed(3)} s, shown recording ${(wallMs / 1000).toFixed(3)} s`,
    );
    expect(Math.abs(seconds * 1000 - recordedMs)).toBeLessThan(500);
    expect(Math.abs(seconds * 1000 - wallMs)).toBeLessThan(500);
    expect(Math.abs((take.durationMs ?? 0) - seconds * 1000)).toBeLessThan(100);
    // It plays: every frame and every sound packet decodes without an error.
    execFileSync('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-fps_mode', 'passthrough', '-f', 'null', '-']);
    // Recorded as the camera sees it, not as the mirrored preview shows it: the red band on the left, cyan on the right.
    const [leftRed, leftGreen] = patchColour(file, 100, 640);
    const [rightRed, rightGreen] = patchColour(file, 1180, 640);
    expect(leftRed! - leftGreen!).toBeGreaterThan(60);
    expect(rightGreen! - rightRed!).toBeGreaterThan(60);

    // Too short for the service, kept, and failing its length check; the light seen live is kept with it.
    const checks = Object.fromEntries(take.checks.map((check) => [check.id, check]));
    expect(checks.duration?.verdict).toBe('fail');
    expect(checks.duration?.reason).toMatch(/Too short/);
    expect(checks.picture?.verdict).toBe('pass');
    expect(checks.level?.verdict).not.toBe('fail');
    expect(checks.brightness).toBeDefined();
    // No face in any second of the test pattern: the take's "one face" check fails, in the review too.
    expect(take.faces?.seconds.length).toBeGreaterThanOrEqual(8);
    expect(take.faces?.seconds.every((second) => second.faces === 0)).toBe(true);
    expect(checks['face-one']).toMatchObject({ verdict: 'fail', value: 0 });
    await expect(page.locator('section.video-review [data-check="face-one"]')).toHaveAttribute('data-verdict', 'fail');
    expect(draft.camera.chosenVideoTakeId).toBeNull();
    await expect(page.getByTestId('video-review-verdict')).toContainText(/fail/);
    await expect(page.locator('.take-list li')).toHaveCount(1);
    await shot('v2-03-saved');
  });

  test('the review plays the take with its waveform, and a trim is stored and re-checked', async () => {
    const review = page.locator('section.video-review');
    await expect(review).toHaveAttribute('data-ready', 'true');
    await review.getByRole('button', { name: 'Play' }).click();
    const player = review.getByLabel('Video take playback');
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
    expect(await player.evaluate((element: HTMLVideoElement) => element.videoWidth)).toBe(1280);
    await review.getByRole('button', { name: 'Pause' }).click();
    const start = review.getByLabel('Trim start (s)');
    await start.fill('2');
    await start.press('Enter');
    await expect.poll(() => readDraft(draftId).camera.videoTakes[0]?.trim?.startMs).toBe(2000);
    await expect(review.getByText('Trimmed length')).toBeVisible();
    const trimmed = readDraft(draftId).camera.videoTakes[0]!;
    // The length check now measures the kept range: everything after the first two seconds.
    expect(trimmed.checks.find((check) => check.id === 'duration')?.value).toBe(trimmed.durationMs! - 2000);
    await review.scrollIntoViewIfNeeded();
    await shot('v2-04-review-trim');
  });

  test('"use this video’s audio as the voice" is off by default and is stored when turned on', async () => {
    expect(readDraft(draftId).camera.useVideoAudioAsVoice).toBe(false);
    await page.getByLabel('Use this video’s audio as the voice').check();
    await expect.poll(() => readDraft(draftId).camera.useVideoAudioAsVoice).toBe(true);
    await expect(page.getByText(/no separate voice take is needed/)).toBeVisible();
  });

  test('a camera pulled out mid-take stops the take and keeps what was recorded', async () => {
    await page.locator('section.camera-panel').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByTestId('camera-status')).toContainText('Recording');
    await page.waitForTimeout(3000);
    // What Chromium does when the device goes away: the track ends.
    await page.getByTestId('camera-preview').evaluate((element: HTMLVideoElement) => {
      (element.srcObject as MediaStream).getVideoTracks()[0]!.dispatchEvent(new Event('ended'));
    });
    await expect(page.getByText('The camera was disconnected. The take was stopped; what was recorded is kept.')).toBeVisible();
    await expect(page.getByTestId('camera-status')).toHaveText('Camera off', { timeout: 60_000 });
    await expect.poll(() => readDraft(draftId).camera.videoTakes.length, { timeout: 30_000 }).toBe(2);
    const kept = readDraft(draftId).camera.videoTakes[1]!;
    expect(kept.id).not.toBe(takeId);
    expect(kept.state).toBe('complete');
    expect(kept.durationMs).toBeGreaterThan(2000);
    await page.locator('section.camera-panel').scrollIntoViewIfNeeded();
    await shot('v2-05-unplugged');
    expect(violations).toEqual([]);
  });
});

test.describe('bad input', () => {
  test('permission denied: says how to allow it, and nothing is recorded', async () => {
    const denied = await launchChromium({ audio: speechWav(30), video: cameraY4m(1280, 720), denyMedia: true });
    try {
      const deniedPage = await denied.context.newPage();
      await deniedPage.setViewportSize({ width: 1360, height: 1100 });
      const draftId = await newDraftCamera('v2', deniedPage);
      await deniedPage.getByRole('button', { name: 'Turn on camera and microphone' }).click();
      await expect(deniedPage.getByRole('alert')).toContainText('Access to the camera and microphone was denied. Allow it for Twin Studio');
      await expect(deniedPage.getByTestId('camera-status')).toHaveText('Camera off');
      await expect(deniedPage.getByRole('button', { name: 'Record' })).toBeDisabled();
      await shot('bad-01-denied', deniedPage);
      expect(readDraft(draftId).camera.videoTakes).toEqual([]);
    } finally {
      await denied.close();
    }
  });

  test('no camera, and a camera another application holds: each says what to do', async () => {
    const other = await browser.context.newPage();
    await other.setViewportSize({ width: 1360, height: 1100 });
    // No camera at all: what getUserMedia and enumerateDevices answer on a machine without one.
    await other.addInitScript(() => {
      const media = navigator.mediaDevices;
      const enumerate = media.enumerateDevices.bind(media);
      const open = media.getUserMedia.bind(media);
      media.enumerateDevices = async () => (await enumerate()).filter((device) => device.kind !== 'videoinput');
      media.getUserMedia = async (constraints) => {
        if (constraints?.video) {
          const mode = sessionStorage.getItem('fake-camera') ?? 'none';
          throw new DOMException('fake', mode === 'busy' ? 'NotReadableError' : 'NotFoundError');
        }
        return open(constraints);
      };
    });
    await newDraftCamera('v2', other);
    await other.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expect(other.getByRole('alert')).toContainText('No camera was found. Connect one');
    await shot('bad-02-no-camera', other);
    await other.evaluate(() => sessionStorage.setItem('fake-camera', 'busy'));
    await other.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expect(other.getByRole('alert')).toContainText('could not be started: another application may be using it');
    await shot('bad-03-busy', other);
    await other.close();
  });
});
