// The video decisions on their own: the shown size of a stored picture, what is copied, what size a re-encode gets, what may be imported.
import { describe, expect, it } from 'vitest';
import { headerDisagrees, videoRules, voiceSource } from '../../shared/requirements';
import { importAccept, importRefusal } from '../../shared/take-import';
import { displayedSize, pixelAspectOf, rotationOf } from '../../electron/services/media/probe';
import { unplayableReason } from '../../electron/services/media/preview';
import { planVideo, storedVideoContainer } from '../../electron/services/media/video-preparation';

const recorded = { codec: 'h264', width: 1280, height: 720, fps: 30, rotation: 0 as const, pixelAspect: 1, pixelFormat: 'yuv420p', profile: 'High' };

describe('the shown picture', () => {
  it('turns a quarter-rotated picture and stretches non-square pixels', () => {
    expect(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })).toBe(270);
    expect(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(90);
    expect(rotationOf({ tags: { rotate: '180' } })).toBe(180);
    expect(rotationOf({})).toBe(0);
    expect(displayedSize({ width: 640, height: 360 }, 1, 90)).toEqual({ width: 360, height: 640 });
    expect(pixelAspectOf('81:256')).toBeCloseTo(0.3164, 3);
    expect(pixelAspectOf('0:1')).toBe(1);
    expect(displayedSize({ width: 640, height: 360 }, pixelAspectOf('81:256'), 0)).toEqual({ width: 203, height: 360 });
  });
});

describe('copy or re-encode', () => {
  it('copies what the camera records, up to 1080p', () => {
    expect(planVideo(recorded, {})).toMatchObject({ copyVideo: true, width: 1280, height: 720, fps: null });
    expect(planVideo({ ...recorded, width: 1920, height: 1080 }, {})).toMatchObject({ copyVideo: true, width: 1920, height: 1080 });
  });

  it('re-encodes a phone portrait clip upright at its shown size, never enlarged', () => {
    const plan = planVideo({ ...recorded, codec: 'hevc', width: 360, height: 640, rotation: 90 }, {});
    expect(plan).toMatchObject({ copyVideo: false, width: 360, height: 640 });
    expect(plan.reasons.join()).toMatch(/hevc.*rotation/);
    expect(planVideo({ ...recorded, codec: 'hevc', width: 2160, height: 3840, rotation: 90, fps: 60 }, {})).toMatchObject({
      width: 720,
      height: 1280,
      fps: 30,
    });
  });

  it('re-encodes High 10, 4:4:4, non-square pixels, odd sides and 4K', () => {
    expect(planVideo({ ...recorded, pixelFormat: 'yuv420p10le', profile: 'High 10' }, {}).reasons.join()).toMatch(/yuv420p10le/);
    expect(planVideo({ ...recorded, pixelFormat: 'yuv444p', profile: 'High 4:4:4 Predictive' }, {}).copyVideo).toBe(false);
    expect(planVideo({ ...recorded, pixelAspect: 81 / 256, width: 405 }, {}).reasons.join()).toMatch(/square/);
    expect(planVideo({ ...recorded, width: 853, height: 479 }, {})).toMatchObject({ copyVideo: false, width: 852, height: 478 });
    const uhd = planVideo({ ...recorded, width: 3840, height: 2160, fps: 59.94 }, {});
    expect(uhd).toMatchObject({ copyVideo: false, width: 1280, height: videoRules.defaultHeight, fps: videoRules.maxEncodeFps });
  });

  it('keeps imports in the containers the service takes', () => {
    expect(storedVideoContainer('mov')).toBe('mp4');
    expect(storedVideoContainer('matroska')).toBe('mp4');
    expect(storedVideoContainer('webm')).toBe('webm');
    expect(storedVideoContainer('wav')).toBeNull();
  });
});

describe('what may be imported, and what the browser plays', () => {
  it('checks the name before any byte is sent', () => {
    expect(importRefusal('video', 'IMG_0001.MOV', 1000)).toBeNull();
    expect(importRefusal('video', 'clip.avi', 1000)).toMatch(/\.avi file/);
    expect(importRefusal('video', 'clip', 1000)).toMatch(/without a type/);
    expect(importRefusal('video', 'huge.mp4', 5 * 2 ** 30)).toMatch(/5\.0 GB/);
    expect(importRefusal('voice', 'memo.m4a', 0)).toMatch(/empty/);
    expect(importAccept('video')).toContain('.mov');
  });

  it('names what Chromium cannot decode', () => {
    const base = { container: 'mp4' as const, durationMs: 1000, bytes: 10 };
    expect(unplayableReason({ ...base, audio: { codec: 'aac', sampleRate: 48000, channels: 1 }, video: recorded })).toBeNull();
    expect(unplayableReason({ ...base, container: 'm4a', audio: { codec: 'alac', sampleRate: 48000, channels: 1 }, video: null })).toMatch(/Apple Lossless/);
    expect(unplayableReason({ ...base, audio: null, video: { ...recorded, codec: 'hevc' } })).toMatch(/HEVC/);
    expect(unplayableReason({ ...base, audio: null, video: { ...recorded, pixelFormat: 'yuv420p10le' } })).toMatch(/yuv420p10le/);
    expect(unplayableReason({ ...base, container: 'mp4', audio: { codec: 'amr_nb', sampleRate: 8000, channels: 1 }, video: null })).toMatch(
      /cannot decode AMR sound/,
    );
  });

  it('asks for a preview of a sound whose header lies about its length, which the browser would believe', () => {
    const pcm = { codec: 'pcm_s16le', sampleRate: 48000, channels: 1 };
    const cutShort = { container: 'wav' as const, durationMs: 45_000, headerDurationMs: 90_000, bytes: 10, audio: pcm, video: null };
    expect(unplayableReason(cutShort)).toBe('its header says 1:30 but its sound lasts 0:45, and the browser would go by the header');
    expect(unplayableReason({ ...cutShort, headerDurationMs: 45_400 })).toBeNull();
    expect(unplayableReason({ ...cutShort, headerDurationMs: null })).toBeNull();
  });

  it('calls a header wrong only beyond the mismatch allowed, either way, and never without a claim', () => {
    const allowed = voiceSource.headerMismatchMs;
    expect(headerDisagrees(60_000 + allowed, 60_000)).toBe(false);
    expect(headerDisagrees(60_000 + allowed + 1, 60_000)).toBe(true);
    expect(headerDisagrees(60_000 - allowed - 1, 60_000)).toBe(true);
    expect(headerDisagrees(null, 60_000)).toBe(false);
    expect(headerDisagrees(60_000, null)).toBe(false);
  });
});
