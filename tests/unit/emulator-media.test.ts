/** The emulator's media checks without a server: container sniffing, durations, size, URL rules. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkMediaBytes, isLoopbackHost, mediaUrlProblem, mp4MovieSeconds, sniffContainer } from '../../emulator/media-check';
import { adtsAac, liveWebm, mediaCommands, pictureJpeg, picturePng, toneAs, toneWav, videoMp4 } from '../integration/emulator-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(mediaCommands, 'The emulator media tests');
const bytes = (file: string) => new Uint8Array(readFileSync(file));

describe.skipIf(missing !== null)('media checks by content', () => {
  test('recognises every accepted container by its first bytes, whatever the name', () => {
    expect(sniffContainer(bytes(toneWav(65)))).toBe('wav');
    expect(sniffContainer(bytes(toneAs(65, 'mp3')))).toBe('mp3');
    expect(sniffContainer(bytes(toneAs(65, 'flac')))).toBe('flac');
    expect(sniffContainer(bytes(toneAs(65, 'ogg')))).toBe('ogg');
    expect(sniffContainer(bytes(toneAs(65, 'webm')))).toBe('webm');
    expect(sniffContainer(bytes(toneAs(65, 'm4a')))).toBe('mp4');
    expect(sniffContainer(bytes(videoMp4(61)))).toBe('mp4');
    expect(sniffContainer(bytes(pictureJpeg()))).toBe('jpeg');
    expect(sniffContainer(bytes(picturePng()))).toBe('png');
    // ADTS AAC shares MPEG audio's sync word but is not in the service's list.
    expect(sniffContainer(bytes(adtsAac(5)))).toBeNull();
    expect(sniffContainer(new TextEncoder().encode('<!doctype html><title>Login</title>'))).toBeNull();
  });

  test('accepts a 65 s voice in each listed format and reads its length', async () => {
    for (const extension of ['mp3', 'flac', 'ogg', 'webm', 'm4a']) {
      const result = await checkMediaBytes('voice', bytes(toneAs(65, extension)));
      expect(result, extension).toMatchObject({ ok: true, kind: 'voice' });
      expect(result.ok && result.durationSeconds, extension).toBeCloseTo(65, 0);
    }
  });

  test('refuses a voice out of bounds, without a duration, or not listed', async () => {
    expect(await checkMediaBytes('voice', bytes(toneWav(59)))).toMatchObject({ ok: false, reason: expect.stringContaining('at least 60 s') });
    expect(await checkMediaBytes('voice', bytes(toneWav(301)))).toMatchObject({ ok: false, reason: expect.stringContaining('at most 300 s') });
    expect(await checkMediaBytes('voice', bytes(toneWav(170, 32000)))).toMatchObject({ ok: false, reason: expect.stringContaining('10 MB') });
    expect(await checkMediaBytes('voice', bytes(liveWebm(65)))).toMatchObject({ ok: false, reason: expect.stringContaining('no readable duration') });
    expect(await checkMediaBytes('voice', bytes(adtsAac(65)))).toMatchObject({ ok: false, reason: expect.stringContaining('not an accepted voice format') });
    expect(await checkMediaBytes('voice', bytes(pictureJpeg()))).toMatchObject({ ok: false, reason: expect.stringContaining('found jpeg') });
  });

  test('video: length from the movie header, a video track required, audio when it must carry the voice', async () => {
    expect(mp4MovieSeconds(bytes(videoMp4(61, false)))).toBeCloseTo(61, 0);
    expect(await checkMediaBytes('video', bytes(videoMp4(61, false)))).toMatchObject({ ok: true, hasAudio: false });
    expect(await checkMediaBytes('video', bytes(videoMp4(61, false)), true)).toMatchObject({ ok: false, reason: expect.stringContaining('no audio track') });
    expect(await checkMediaBytes('video', bytes(videoMp4(61)), true)).toMatchObject({ ok: true, hasAudio: true });
    expect(await checkMediaBytes('video', bytes(toneAs(65, 'm4a')))).toMatchObject({ ok: false, reason: 'has no video track' });
    expect(await checkMediaBytes('video', bytes(videoMp4(30)))).toMatchObject({ ok: false, reason: expect.stringContaining('at least 60 s') });
  });
});

describe('media URL rules', () => {
  test('HTTPS only; http only on loopback and only with the flag; never credentials', () => {
    expect(mediaUrlProblem('https://cdn.example.com/v.wav', false)).toBeNull();
    expect(mediaUrlProblem('http://cdn.example.com/v.wav', false)).toMatch(/HTTPS/);
    expect(mediaUrlProblem('http://cdn.example.com/v.wav', true)).toMatch(/HTTPS/);
    expect(mediaUrlProblem('http://127.0.0.1:8080/v.wav', false)).toMatch(/HTTPS/);
    expect(mediaUrlProblem('http://127.0.0.1:8080/v.wav', true)).toBeNull();
    expect(mediaUrlProblem('http://[::1]:8080/v.wav', true)).toBeNull();
    expect(mediaUrlProblem('https://me:secret@cdn.example.com/v.wav', false)).toMatch(/credentials/);
    expect(mediaUrlProblem('file:///etc/passwd', true)).toMatch(/HTTPS/);
    expect(mediaUrlProblem('not a url', true)).toMatch(/not a URL/);
  });

  test('loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'studio.localhost', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['10.0.0.1', 'example.com', '128.0.0.1', '::2']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
