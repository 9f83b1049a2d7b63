// The media engine's pure decisions: reading ffmpeg's log, finding speech, bitrates, copy or re-encode, crops.
import { describe, expect, it } from 'vitest';
import { audioQuality, voicePreparation, voiceRules } from '../../shared/requirements';
import { explainFailure, parseEbur128Summary, parseMomentary, statsTimeMs } from '../../electron/services/media/ffmpeg-log';
import { centredCrop, checkCrop } from '../../electron/services/media/photo-preparation';
import { planVideo } from '../../electron/services/media/video-preparation';
import { planEncoding, voiceFormatOfContainer } from '../../electron/services/media/voice-formats';
import { findSpeech, verdictOnPrepared } from '../../electron/services/media/voice-preparation';

describe('ffmpeg log', () => {
  it('reads the output time from a stats line', () => {
    expect(statsTimeMs('size=     470kB time=00:01:30.25 bitrate= 128.2kbits/s speed=37.2x')).toBe(90_250);
    expect(statsTimeMs('size=N/A time=-577014:32:22.77 bitrate=N/A')).toBe(0);
    expect(statsTimeMs('Press [q] to stop')).toBeNull();
  });

  it('keeps the specific cause of a failure ahead of the generic trailer', () => {
    const log = [
      'Input #0, matroska,webm, from /in/input:',
      '[libmp3lame @ 0x1234abcd] Invalid sample rate 7000',
      'Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height',
      'Conversion failed!',
      'Aborted()',
    ];
    const message = explainFailure(log);
    expect(message).toContain('Invalid sample rate 7000');
    expect(message).not.toContain('Conversion failed');
    expect(message).not.toContain('Aborted');
    expect(explainFailure([])).toBe('ffmpeg gave no reason');
  });

  it('parses the ebur128 summary and its momentary frames', () => {
    const log = [
      '[Parsed_ebur128_2 @ 0x1] t: 0.4      TARGET:-23 LUFS    M: -24.1 S:-120.7     I: -24.1 LUFS       LRA:   0.0 LU  FTPK:  -9.5 dBFS  TPK:  -8.9 dBFS',
      '[Parsed_ebur128_2 @ 0x1] t: 0.5      TARGET:-23 LUFS    M:-120.7 S:-120.7     I: -24.6 LUFS       LRA:   0.0 LU',
      '[Parsed_ebur128_2 @ 0x1] t: 0.6      TARGET:-23 LUFS    M: -inf S: -inf     I: -24.6 LUFS       LRA:   0.0 LU',
      '  Duration: 00:05:00.00, start: 0.000000, bitrate: 96 kb/s',
      '  Stream #0:0: Audio: opus, 48000 Hz, mono, fltp (default) M: x',
      '[Parsed_ebur128_2 @ 0x1] Summary:',
      '',
      '  Integrated loudness:',
      '    I:         -26.0 LUFS',
      '    Threshold: -36.2 LUFS',
      '',
      '  Loudness range:',
      '    LRA:         1.6 LU',
      '',
      '  True peak:',
      '    Peak:       -5.8 dBFS',
    ];
    expect(parseEbur128Summary(log)).toEqual({ integratedLufs: -26, loudnessRangeLu: 1.6, truePeakDbtp: -5.8 });
    expect(parseMomentary(log)).toEqual([
      { timeMs: 400, lufs: -24.1 },
      { timeMs: 500, lufs: -120.7 },
      { timeMs: 600, lufs: -Infinity },
    ]);
    expect(parseEbur128Summary(['no summary here'])).toBeNull();
  });
});

describe('voice preparation decisions', () => {
  it('finds speech between silent edges, with padding', () => {
    const frames = Array.from({ length: 100 }, (_, index) => ({
      timeMs: (index + 1) * 100,
      lufs: index >= 20 && index < 80 ? -20 : -70,
    }));
    const speech = findSpeech(frames, -20, 10_000);
    // First loud frame stamps 2100 ms and covers the 400 ms before it.
    expect(speech).toEqual({ startMs: 2100 - 400 - voicePreparation.edgePaddingMs, endMs: 8000 + voicePreparation.edgePaddingMs });
    expect(
      findSpeech(
        frames.map((frame) => ({ ...frame, lufs: -80 })),
        -20,
        10_000,
      ),
    ).toBeNull();
  });

  it('chooses the highest bitrate that keeps even a 300 s take under the byte limit', () => {
    const longest = planEncoding('mp3', voiceRules.maxSeconds * 1000);
    expect(longest.bitrate).not.toBeNull();
    expect(((longest.bitrate ?? 0) / 8) * voiceRules.maxSeconds).toBeLessThanOrEqual(voiceRules.maxBytes * voicePreparation.byteBudgetShare);
    const shortest = planEncoding('mp3', voiceRules.minSeconds * 1000);
    expect(shortest.bitrate).toBeGreaterThan(longest.bitrate ?? 0);
    for (const format of voiceRules.formats) {
      const plan = planEncoding(format, voiceRules.maxSeconds * 1000);
      const bytesPerSecond = plan.bitrate !== null ? plan.bitrate / 8 : plan.sampleRate * 2;
      expect(bytesPerSecond * voiceRules.maxSeconds, format).toBeLessThanOrEqual(voiceRules.maxBytes);
    }
    // Uncompressed speech only fits 300 s at a lower sample rate, but 60 s keeps 48 kHz.
    expect(planEncoding('wav', 300_000).sampleRate).toBe(16000);
    expect(planEncoding('wav', 60_000).sampleRate).toBe(48000);
    // A second attempt after a file came out too big asks for less.
    expect(planEncoding('ogg', 300_000, 0.6).bitrate ?? 0).toBeLessThan(planEncoding('ogg', 300_000).bitrate ?? 0);
  });

  it('names the accepted format a probed container stands for', () => {
    expect(voiceFormatOfContainer('mp3')).toBe('mp3');
    expect(voiceFormatOfContainer('m4a')).toBe('m4a');
    expect(voiceFormatOfContainer('matroska')).toBeNull();
  });

  it('refuses a prepared file that breaks any rule', () => {
    const good = {
      container: 'mp3' as const,
      durationMs: 120_000,
      bytes: 3_000_000,
      audio: { codec: 'mp3', sampleRate: 48000, channels: 1 },
      video: null,
    };
    const loudness = { integratedLufs: audioQuality.targetLufs + 0.3, loudnessRangeLu: 3, truePeakDbtp: -4 };
    expect(verdictOnPrepared(good, loudness, 'mp3')).toBeNull();
    expect(verdictOnPrepared({ ...good, bytes: voiceRules.maxBytes + 1 }, loudness, 'mp3')).toMatch(/MB/);
    expect(verdictOnPrepared({ ...good, durationMs: 59_000 }, loudness, 'mp3')).toMatch(/59\.00 s/);
    expect(verdictOnPrepared({ ...good, durationMs: 300_020 }, loudness, 'mp3')).toMatch(/300\.02 s/);
    expect(verdictOnPrepared({ ...good, audio: { ...good.audio, channels: 2 } }, loudness, 'mp3')).toMatch(/mono/);
    expect(verdictOnPrepared(good, { ...loudness, integratedLufs: audioQuality.targetLufs - 1.5 }, 'mp3')).toMatch(/LUFS/);
    expect(verdictOnPrepared(good, { ...loudness, truePeakDbtp: -1 }, 'mp3')).toMatch(/true peak/);
    expect(verdictOnPrepared(good, loudness, 'wav')).toMatch(/not wav/);
  });
});

describe('video and photo decisions', () => {
  const h264 = { codec: 'h264', width: 1280, height: 720 };

  it('copies an H.264 picture and re-encodes only when it must', () => {
    expect(planVideo(h264, {}).copyVideo).toBe(true);
    expect(planVideo(h264, { trim: { startMs: 0, endMs: 60_000 } }).copyVideo).toBe(true);
    const trimmed = planVideo(h264, { trim: { startMs: 2000, endMs: 60_000 } });
    expect(trimmed.copyVideo).toBe(false);
    expect(trimmed.reasons.join()).toMatch(/trim/);
    const vp8 = planVideo({ ...h264, codec: 'vp8' }, {});
    expect(vp8.copyVideo).toBe(false);
    expect(vp8.reasons.join()).toMatch(/vp8/);
    const smaller = planVideo(h264, { height: 480 });
    expect(smaller).toMatchObject({ copyVideo: false, width: 854, height: 480 });
  });

  it('crops the largest centred 16:9 rectangle and refuses crops that are not 16:9', () => {
    expect(centredCrop(1280, 960)).toEqual({ x: 0, y: 120, width: 1280, height: 720 });
    expect(centredCrop(1920, 1080)).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
    expect(() => checkCrop({ x: 0, y: 0, width: 900, height: 900 }, 1280, 960)).toThrow(/16:9/);
    expect(() => checkCrop({ x: 400, y: 0, width: 1280, height: 720 }, 1280, 960)).toThrow(/outside/);
  });
});
