/** The camera's pure rules: the photo crop and guides, photo and video checks, and the recording budget. */
import { describe, expect, it } from 'vitest';
import {
  framingGuide,
  importedPhotoProblem,
  isSixteenByNine,
  photoCrop,
  photoResolutionCheck,
  photoShapeCheck,
  photoTransparencyCheck,
  videoDurationCheck,
  videoPictureCheck,
} from '../../shared/camera';
import { takeStreaming } from '../../shared/contract/takes';
import { cameraCapture, photoRules, videoRules } from '../../shared/requirements';
import { peaksOf } from '../../electron/services/camera/video-checks';

describe('photoCrop', () => {
  it('keeps a 16:9 frame whole, so a 1280×720 camera gives a 1280×720 photo', () => {
    expect(photoCrop(1280, 720)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
    expect(photoCrop(1920, 1080)).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
  });

  it('cuts the largest centred 16:9 band out of a 4:3 or portrait frame', () => {
    const fourThree = photoCrop(1440, 1080);
    expect(fourThree).toEqual({ x: 0, y: 135, width: 1440, height: 810 });
    expect(isSixteenByNine(fourThree.width, fourThree.height)).toBe(true);
    const portrait = photoCrop(1080, 1920);
    expect(portrait.width).toBe(1080);
    expect(isSixteenByNine(portrait.width, portrait.height)).toBe(true);
    expect(portrait.y).toBe(Math.floor((1920 - portrait.height) / 2));
  });

  it('puts the v1 guide on the crop and the eye line on its upper third', () => {
    const guide = framingGuide('v1', 1440, 1080);
    expect(guide.box).toEqual(photoCrop(1440, 1080));
    expect(guide.eyeLineY).toBeCloseTo(guide.box.y + guide.box.height / 3, 6);
    const v2 = framingGuide('v2', 1280, 720);
    expect(v2.eyeLineY).toBeCloseTo(240, 6);
    expect(v2.box.y + v2.box.height).toBeCloseTo(720, 6);
    expect(v2.box.width).toBeLessThan(1280);
  });
});

describe('photo checks', () => {
  it('passes a 16:9 picture of the minimum size and fails a smaller one', () => {
    expect(photoResolutionCheck(photoRules.minWidth, photoRules.minHeight).verdict).toBe('pass');
    const small = photoResolutionCheck(1024, 576);
    expect(small.verdict).toBe('fail');
    expect(small.reason).toContain('1024×576');
    expect(photoShapeCheck(1280, 720).verdict).toBe('pass');
    expect(photoShapeCheck(1280, 960).verdict).toBe('fail');
  });

  it('refuses an imported picture under the minimum, naming both sizes', () => {
    expect(importedPhotoProblem(320, 180)).toMatch(/320×180.*1280×720/);
    expect(importedPhotoProblem(1920, 1080)).toBeNull();
  });

  it('judges an import by the 16:9 middle preparation keeps', () => {
    // A phone's portrait photo: its middle band is large enough.
    expect(importedPhotoProblem(3024, 4032)).toBeNull();
    // A story-sized portrait: the band is 1080×606, too small, and the message says which part was measured.
    expect(importedPhotoProblem(1080, 1920)).toMatch(/1080×1920, and its 16:9 middle is only 1080×606.*1280×720/);
  });

  it('warns, naming the crop, when an import is not 16:9; a camera shot of that shape fails', () => {
    const portrait = photoShapeCheck(3024, 4032, { croppedWhenPrepared: true });
    expect(portrait.verdict).toBe('warn');
    expect(portrait.reason).toMatch(/3024×4032 is portrait.*3024×1700 \(42 %/);
    expect(photoShapeCheck(1600, 1200, { croppedWhenPrepared: true }).reason).toMatch(/not 16:9.*1600×900/);
    expect(photoShapeCheck(1920, 1080, { croppedWhenPrepared: true }).verdict).toBe('pass');
    expect(photoShapeCheck(3024, 4032).verdict).toBe('fail');
  });

  it('says when a picture has transparent parts, and nothing when it has none', () => {
    expect(photoTransparencyCheck(0)).toBeNull();
    expect(photoTransparencyCheck(0.42)).toMatchObject({ id: 'transparency', verdict: 'warn', reason: expect.stringMatching(/42 %.*grey/) });
  });
});

describe('video take checks', () => {
  it('marks 1 to 5 minutes', () => {
    expect(videoDurationCheck(12_000).verdict).toBe('fail');
    expect(videoDurationCheck(12_000).reason).toMatch(/Too short: 0:12/);
    expect(videoDurationCheck(videoRules.minSeconds * 1000).verdict).toBe('pass');
    expect(videoDurationCheck(videoRules.maxSeconds * 1000 + 1000).verdict).toBe('fail');
  });

  it('wants a picture, and warns under 720p', () => {
    expect(videoPictureCheck(null).verdict).toBe('fail');
    expect(videoPictureCheck({ codec: 'h264', width: 640, height: 480, fps: 30 }).verdict).toBe('warn');
    expect(videoPictureCheck({ codec: 'h264', width: 1280, height: 720, fps: 30 })).toMatchObject({ verdict: 'pass', reason: '1280×720 at 30 fps, H.264' });
  });

  it('records a 5-minute take at every offered resolution within the takes service’s file limit', () => {
    for (const resolution of cameraCapture.resolutions) {
      const bytes = ((resolution.videoBitsPerSecond + cameraCapture.audioBitsPerSecond) / 8) * videoRules.maxSeconds;
      // MediaRecorder overshoots its target bit rate a little; keep a fifth in hand.
      expect(bytes * 1.2).toBeLessThan(takeStreaming.maxTakeBytes);
    }
  });

  it('draws peaks of the sound, loudest sample per slice', () => {
    const samples = new Float32Array(8000);
    samples[10] = 0.5;
    samples[4000] = -1;
    const peaks = peaksOf(samples, 8000, 100);
    expect(peaks.length).toBe(100);
    expect(peaks[0]).toBe(128);
    expect(peaks[50]).toBe(255);
    expect(peaks[99]).toBe(0);
  });
});
