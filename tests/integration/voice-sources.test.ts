/**
 * Voice files of the kinds people really bring, made at test time and judged by the real takes
 * service and media engine (ffmpeg.wasm): lengths measured from decoded sound whatever the header
 * says, the speech track of a multi-track file, channel mixes that keep the voice, DC offset,
 * float peaks above full scale, true clipping, and narrowband sound.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseAudio, speechScore } from '../../shared/audio-analysis';
import type { Take } from '../../shared/drafts';
import { StudioError } from '../../shared/errors';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { mediaHandlers } from '../../electron/services/media/media-handlers';
import { TakeService } from '../../electron/services/takes/take-service';
import { speechWav } from '../support/media-fixtures';
import { invertedStereo, twoTrackVoice } from '../support/import-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The voice source tests');
const quiet = createLogger('voice-sources-test', () => undefined);

let dataDir: string;
let scratch: string;
let engine: MediaEngine;
let drafts: DraftStore;
let takes: TakeService;

const at = (name: string) => path.join(scratch, name);
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

async function importFile(draftId: string, file: string): Promise<Take> {
  const bytes = readFileSync(file);
  const take = await takes.begin({ draftId, kind: 'voice', source: 'imported', mimeType: '', originalName: path.basename(file), expectedBytes: bytes.length });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) {
    await takes.append(draftId, take.id, seq++, new Uint8Array(bytes.subarray(offset, offset + 1024 * 1024)));
  }
  return takes.finish(draftId, take.id);
}

const checkOf = (take: Take, id: string) => take.checks.find((check) => check.id === id);

/** Mono float samples of a file, decoded by native ffmpeg (the reference the engine is held to). */
function nativePcm(file: string, rate = 48000): Float32Array {
  const bytes = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** A CAF with its chunks reordered as Apple's tools write them: the packet table (if any) before the sound's `data`, which ends the file. */
function packetTableFirst(caf: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset + 12 <= caf.length;) {
    const end = offset + 12 + Number(caf.readBigInt64BE(offset + 4));
    chunks.push(caf.subarray(offset, end));
    offset = end;
  }
  const isData = (chunk: Buffer) => chunk.toString('latin1', 0, 4) === 'data';
  return Buffer.concat([caf.subarray(0, 8), ...chunks.filter((chunk) => !isData(chunk)), ...chunks.filter(isData)]);
}

/** Speech of `seconds` from the shared espeak-ng fixture, 48 kHz mono 16-bit. */
const speech = (seconds: number) => speechWav(seconds);

describe.skipIf(missing !== null)('voice sources', () => {
  let draftId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'voice-sources-'));
    scratch = mkdtempSync(path.join(os.tmpdir(), 'voice-sources-in-'));
    engine = createMediaEngine({ log: quiet });
    drafts = new DraftStore({ dataDir, log: quiet });
    await drafts.init();
    takes = new TakeService({ drafts, engine, log: quiet });
    draftId = (await drafts.create()).id;
  });

  afterAll(async () => {
    await takes?.close();
    await engine?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('length is measured from the decoded sound', () => {
    it('measures two joined MP3s (VBR with a length header, then CBR) as 100 s, passes, and trims to the end', async () => {
      ffmpeg('-i', speech(100), '-t', '20', '-c:a', 'libmp3lame', '-q:a', '4', at('vbr.mp3'));
      ffmpeg('-ss', '20', '-i', speech(100), '-t', '80', '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', at('cbr.mp3'));
      writeFileSync(at('joined.mp3'), Buffer.concat([readFileSync(at('vbr.mp3')), readFileSync(at('cbr.mp3'))]));
      const take = await importFile(draftId, at('joined.mp3'));
      expect(Math.abs((take.durationMs ?? 0) - 100_000)).toBeLessThan(500);
      expect(checkOf(take, 'duration')?.verdict).toBe('pass');
      expect(checkOf(take, 'source')?.reason).toMatch(/header says \d+:\d\d, but its sound decodes to 1:40/);
      const trimmed = await takes.trim(draftId, take.id, { startMs: 30_000, endMs: 99_500 });
      expect(trimmed.trim).toEqual({ startMs: 30_000, endMs: 99_500 });
      expect(checkOf(trimmed, 'duration')?.value).toBeGreaterThan(69_000);
      // Preparation reads the same measured length: the whole 100 s, less its silent ends.
      const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), at('joined-prepared.mp3'), { source: take.voiceSource });
      expect(prepared.info.durationMs).toBeGreaterThan(95_000);
    }, 180_000);

    it('measures a VBR MP3 without a length header', async () => {
      ffmpeg('-i', speech(70), '-c:a', 'libmp3lame', '-q:a', '7', '-write_xing', '0', at('noheader.mp3'));
      const take = await importFile(draftId, at('noheader.mp3'));
      expect(Math.abs((take.durationMs ?? 0) - 70_000)).toBeLessThan(500);
      expect(checkOf(take, 'duration')?.verdict).toBe('pass');
    }, 120_000);

    it('measures an M4A whose movie header claims 20 s', async () => {
      ffmpeg('-i', speech(70), '-c:a', 'aac', '-b:a', '96k', at('long.m4a'));
      const bytes = readFileSync(at('long.m4a'));
      const mvhd = bytes.indexOf('mvhd');
      expect(mvhd).toBeGreaterThan(0);
      // Version 0: flags, creation and modification times, then the time scale and the duration.
      const timescale = bytes.readUInt32BE(mvhd + 16);
      bytes.writeUInt32BE(timescale * 20, mvhd + 20);
      writeFileSync(at('stale.m4a'), bytes);
      const take = await importFile(draftId, at('stale.m4a'));
      expect(Math.abs((take.durationMs ?? 0) - 70_000)).toBeLessThan(500);
      expect(checkOf(take, 'duration')?.verdict).toBe('pass');
      expect(checkOf(take, 'source')?.reason).toMatch(/header says 0:20, but its sound decodes to 1:10/);
    }, 120_000);

    it('measures WAVs with placeholder sizes, as streaming recorders leave them', async () => {
      const wav = readFileSync(speech(70));
      const data = wav.indexOf('data');
      for (const [name, size] of [
        ['ffff.wav', 0xffffffff],
        ['zero.wav', 0],
      ] as const) {
        const patched = Buffer.from(wav);
        patched.writeUInt32LE(0xffffffff, 4);
        patched.writeUInt32LE(size, data + 4);
        writeFileSync(at(name), patched);
        const take = await importFile(draftId, at(name));
        expect(Math.abs((take.durationMs ?? 0) - 70_000), name).toBeLessThan(500);
        expect(checkOf(take, 'duration')?.verdict, name).toBe('pass');
      }
    }, 120_000);

    it('says so when a WAV is cut short: its header’s length beside the one measured (RIFF, RF64, broadcast WAV)', async () => {
      const kinds = [
        ['cut.wav', ['-c:a', 'pcm_s16le']],
        ['cut-rf64.wav', ['-c:a', 'pcm_s24le', '-rf64', 'always']],
        ['cut-bwf.wav', ['-c:a', 'pcm_s16le', '-write_bext', '1', '-metadata', 'description=Take 4', '-metadata', 'originator=Field recorder']],
      ] as const;
      for (const [name, options] of kinds) {
        ffmpeg('-i', speech(90), ...options, at(`whole-${name}`));
        const whole = readFileSync(at(`whole-${name}`));
        // Half the file, as a copy or a download that stopped: the header still says 1:30.
        writeFileSync(at(name), whole.subarray(0, Math.floor(whole.length / 2)));
        const take = await importFile(draftId, at(name));
        expect(Math.abs((take.durationMs ?? 0) - 45_000), name).toBeLessThan(500);
        expect(checkOf(take, 'source')?.reason, name).toMatch(/header says 1:30, but its sound decodes to 0:45/);
      }
      // The whole file says nothing of the kind.
      const whole = await importFile(draftId, at('whole-cut.wav'));
      expect(checkOf(whole, 'source')).toBeUndefined();
    }, 180_000);

    it('says so when a file the studio rewrites on import is cut short: AIFF, CAF, WMA, WebM and Matroska keep their header’s length', async () => {
      // Each is moved into a service format (or, a WebM, given its duration) whose new header is
      // honest: the note must come from the header as it was received. FLAC is kept as it is.
      const kinds = [
        ['cut.aiff', ['-c:a', 'pcm_s16be']],
        ['cut.caf', ['-c:a', 'pcm_s16le']],
        ['cut-alac.caf', ['-c:a', 'alac', '-f', 'caf']],
        ['cut.wma', ['-c:a', 'wmav2', '-b:a', '128k']],
        ['cut.webm', ['-c:a', 'libopus', '-b:a', '64k']],
        ['cut.mka', ['-c:a', 'libopus', '-b:a', '64k']],
        ['cut.flac', ['-c:a', 'flac']],
      ] as const;
      const imported = new Map<string, Take>();
      for (const [name, options] of kinds) {
        ffmpeg('-i', speech(90), ...options, at(`whole-${name}`));
        // ffmpeg writes a CAF's packet table after the sound, so a cut one loses it; Apple's tools put it first.
        const whole = name.endsWith('.caf') ? packetTableFirst(readFileSync(at(`whole-${name}`))) : readFileSync(at(`whole-${name}`));
        writeFileSync(at(`whole-${name}`), whole);
        writeFileSync(at(name), whole.subarray(0, Math.floor(whole.length / 2)));
        const take = await importFile(draftId, at(name));
        imported.set(name, take);
        expect(take.durationMs, name).toBeGreaterThan(30_000);
        expect(take.durationMs, name).toBeLessThan(75_000);
        expect(checkOf(take, 'source')?.reason, name).toMatch(/header says 1:30, but its sound decodes to [01]:\d\d/);
      }
      // Checked again (a trim), a rewritten take still says it: the claim is kept with the take.
      const aiff = imported.get('cut.aiff')!;
      expect(aiff.fileName).toMatch(/\.wav$/);
      const trimmed = await takes.trim(draftId, aiff.id, { startMs: 1000, endMs: 40_000 });
      expect(checkOf(trimmed, 'source')?.reason).toMatch(/header says 1:30/);
      // Whole files, rewritten the same way, say nothing of the kind.
      for (const name of ['whole-cut.caf', 'whole-cut.wma', 'whole-cut.webm']) {
        const take = await importFile(draftId, at(name));
        expect(checkOf(take, 'source'), name).toBeUndefined();
      }
    }, 300_000);

    it('takes no estimate for a claim: whole ADTS AAC, Ogg and ffmpeg’s IMA ADPCM WAV say nothing of a header', async () => {
      // ADTS and Ogg state no length (ffprobe estimates one from the bitrate or the last page); an
      // IMA ADPCM WAV's bytes a second are the writer's estimate, its `fact` chunk the truth.
      for (const [name, options] of [
        ['whole.aac', ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts']],
        ['whole.ogg', ['-c:a', 'libvorbis', '-q:a', '3']],
        ['ima.wav', ['-ar', '22050', '-c:a', 'adpcm_ima_wav']],
      ] as const) {
        ffmpeg('-i', speech(90), ...options, at(name));
        const take = await importFile(draftId, at(name));
        expect(Math.abs((take.durationMs ?? 0) - 90_000), name).toBeLessThan(500);
        expect(checkOf(take, 'source'), name).toBeUndefined();
      }
    }, 180_000);

    it('finds a WAV’s claim past 100 kB of chunks before its sound, and refuses a copy cut right after its header', async () => {
      const wav = readFileSync(speech(90));
      const junk = Buffer.alloc(8 + 100_000);
      junk.write('JUNK', 0, 'latin1');
      junk.writeUInt32LE(100_000, 4);
      const padded = Buffer.concat([wav.subarray(0, 12), junk, wav.subarray(12)]);
      writeFileSync(at('junk-cut.wav'), padded.subarray(0, Math.floor(padded.length / 2)));
      const take = await importFile(draftId, at('junk-cut.wav'));
      expect(checkOf(take, 'source')?.reason).toMatch(/header says 1:30, but its sound decodes to 0:4\d/);
      // Only the header and a few bytes of an M4A whose index comes first: nothing to take.
      ffmpeg('-i', speech(90), '-c:a', 'aac', '-movflags', '+faststart', at('index-first.m4a'));
      const m4a = readFileSync(at('index-first.m4a'));
      writeFileSync(at('header-only.m4a'), m4a.subarray(0, m4a.indexOf('mdat') + 4));
      const refused = await importFile(draftId, at('header-only.m4a')).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StudioError);
      expect((refused as StudioError).message).toMatch(/holds no sound or picture after its header, as a copy or download that stopped early leaves a file/);
      expect((await drafts.get(draftId)).voice.takes.some((item) => item.originalName === 'header-only.m4a')).toBe(false);
    }, 180_000);

    it('refuses a recording too long to take from its measured length', async () => {
      ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=16000', '-t', '1300', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '16k', at('long.mp3'));
      const error = await importFile(draftId, at('long.mp3')).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(StudioError);
      // Decoding stopped past the limit (20:00 and its 5 s margin): the file's full 21:40 is never decoded.
      expect((error as StudioError).message).toMatch(/longer than 20:05 \(measured: decoding stopped there\); the studio takes recordings up to 20:00/);
      expect((await drafts.get(draftId)).voice.takes.every((take) => take.originalName !== 'long.mp3')).toBe(true);
    }, 240_000);
  });

  it('stops measuring a sound at the limit it is given, and says the file is at least that long', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=16000', '-t', '90', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '32k', at('ninety.mp3'));
    const cut = await engine.probe(at('ninety.mp3'), { soundLimitMs: 30_000 });
    expect(cut.lengthAtLeast).toBe(true);
    expect(Math.abs(cut.durationMs! - 30_000)).toBeLessThan(100);
    const whole = await engine.probe(at('ninety.mp3'), { soundLimitMs: 120_000 });
    expect(whole.lengthAtLeast).toBeUndefined();
    expect(Math.abs(whole.durationMs! - 90_000)).toBeLessThan(100);
    // A video's sound is measured the same way when it is analysed.
    ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=64x64:r=5',
      '-i',
      at('ninety.mp3'),
      '-shortest',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      at('ninety.mp4'),
    );
    const limited = createMediaEngine({ log: quiet, soundLimitMs: 30_000 });
    try {
      await expect(limited.analyseVoice(at('ninety.mp4'))).rejects.toThrow(/longer than 0:30 \(measured: decoding stopped there\)/);
    } finally {
      await limited.close();
    }
  }, 120_000);

  describe('sound in a container the service does not list is kept in one, without loss', () => {
    /** Samples as native ffmpeg decodes them, as 32-bit integers (exact for 16- and 24-bit sources), track `track`. */
    const exactSamples = (file: string, track = 0) => {
      const bytes = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', `0:a:${track}`, '-f', 's32le', '-c:a', 'pcm_s32le', '-'], {
        maxBuffer: 1 << 30,
      });
      return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    };
    const probeCodecs = (file: string) =>
      execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' })
        .trim()
        .split('\n');

    const kinds = [
      { name: 'memo.aiff', args: ['-c:a', 'pcm_s16be', '-f', 'aiff'], stored: 'wav', codecs: ['pcm_s16le'], exact: true },
      { name: 'studio-24bit.aif', args: ['-c:a', 'pcm_s24be', '-f', 'aiff'], stored: 'wav', codecs: ['pcm_s24le'], exact: true },
      { name: 'logic.caf', args: ['-c:a', 'alac', '-f', 'caf'], stored: 'm4a', codecs: ['alac'], exact: true },
      { name: 'float.caf', args: ['-c:a', 'pcm_f32be', '-f', 'caf'], stored: 'wav', codecs: ['pcm_f32le'], exact: true },
      { name: 'recorder.aac', args: ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'], stored: 'm4a', codecs: ['aac'], exact: false },
      { name: 'meeting.wma', args: ['-c:a', 'wmav2', '-b:a', '64k', '-f', 'asf'], stored: 'flac', codecs: ['flac'], exact: false },
    ] as const;

    it.each(kinds)(
      'imports $name, keeps its sound as $stored and checks it',
      async ({ name, args, stored, codecs, exact }) => {
        ffmpeg('-i', speech(65), ...args, at(name));
        const take = await importFile(draftId, at(name));
        expect(take.fileName).toMatch(new RegExp(`\\.${stored}$`));
        expect(take.originalName).toBe(name);
        const file = drafts.mediaFile(draftId, take.fileName);
        expect(probeCodecs(file)).toEqual(codecs);
        expect(Math.abs((take.durationMs ?? 0) - 65_000)).toBeLessThan(200);
        expect(checkOf(take, 'duration')?.verdict).toBe('pass');
        if (exact) {
          // Lossless: every sample of the stored take is the imported file's.
          const [source, kept] = [exactSamples(at(name)), exactSamples(file)];
          expect(kept.length).toBe(source.length);
          expect(kept.every((sample, index) => sample === source[index])).toBe(true);
        } else {
          // The engine's own decode, kept: it matches native ffmpeg's decode of the file within float rounding.
          const [source, kept] = [nativePcm(at(name)), nativePcm(file)];
          expect(Math.abs(kept.length - source.length)).toBeLessThan(4800);
          const rms = (values: Float32Array) => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / values.length);
          expect(Math.abs(20 * Math.log10(rms(kept) / rms(source)))).toBeLessThan(0.1);
        }
      },
      120_000,
    );

    it('keeps float samples above full scale as they are, so the clipping check does not blame the speaker', async () => {
      ffmpeg('-i', speech(65), '-af', 'volume=8dB', '-c:a', 'pcm_f32be', '-f', 'caf', at('hot.caf'));
      const take = await importFile(draftId, at('hot.caf'));
      const file = drafts.mediaFile(draftId, take.fileName);
      expect(probeCodecs(file)).toEqual(['pcm_f32le']);
      const samples = nativePcm(file);
      expect(samples.reduce((peak, sample) => Math.max(peak, Math.abs(sample)), 0)).toBeGreaterThan(1.2);
      expect(checkOf(take, 'clipping')?.verdict).toBe('pass');
    }, 120_000);

    it('keeps every track of a two-track file as Apple Lossless in M4A (FLAC and WAV hold one)', async () => {
      ffmpeg(
        '-i',
        speech(65),
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=300:sample_rate=48000:duration=65',
        '-map',
        '0:a',
        '-map',
        '1:a',
        '-c:a',
        'pcm_s16le',
        at('two.mka'),
      );
      const take = await importFile(draftId, at('two.mka'));
      expect(take.fileName).toMatch(/\.m4a$/);
      const file = drafts.mediaFile(draftId, take.fileName);
      expect(probeCodecs(file)).toEqual(['alac', 'alac']);
      for (const track of [0, 1]) expect(exactSamples(file, track)).toEqual(exactSamples(at('two.mka'), track));
      expect(take.voiceSource?.tracks.map((each) => each.track)).toEqual([0, 1]);
    }, 120_000);
  });

  describe('the right sound', () => {
    it('chooses the speech track of a two-track file, prepares from it, and lets the person pick the other', async () => {
      twoTrackVoice(at('two-tracks.m4a'), { seconds: 70 });
      const take = await importFile(draftId, at('two-tracks.m4a'));
      expect(take.voiceSource?.track).toBe(1);
      expect(take.voiceSource?.chosenBy).toBe('auto');
      expect(take.voiceSource?.tracks.map((track) => track.track)).toEqual([0, 1]);
      expect(checkOf(take, 'source')?.reason).toMatch(/Track 2 of 2 .* sounds most like speech/);
      expect(checkOf(take, 'silence')?.verdict).not.toBe('fail');

      const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), at('two-tracks-prepared.mp3'), { source: take.voiceSource });
      // The prepared voice has the pauses of speech, not the steady chord of the other track.
      const analysis = analyseAudio(nativePcm(prepared.file), 48000);
      expect(analysis.silenceShare).toBeGreaterThan(0.05);
      expect(analysis.levelSpreadDb).toBeGreaterThan(5);

      // Before choosing, each track can be heard: a few seconds of it, from a third of the way in.
      const handlers = mediaHandlers(engine, drafts);
      const previews = [];
      for (const track of [0, 1]) {
        const made = await handlers['media/trackPreview']({ draftId, takeId: take.id, track });
        expect(made.fileName).toBe(`preview-${take.id}-track${track}.webm`);
        expect(Math.abs(made.startMs - take.durationMs! / 3)).toBeLessThan(2);
        expect(Math.abs(made.durationMs - 8000)).toBeLessThan(100);
        const stream = JSON.parse(
          execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', drafts.mediaFile(draftId, made.fileName)]).toString(),
        ) as { streams: { codec_name: string }[] };
        expect(stream.streams.map((item) => item.codec_name)).toEqual(['opus']);
        previews.push(analyseAudio(nativePcm(drafts.mediaFile(draftId, made.fileName)), 48000));
      }
      // The microphone's preview is speech (pauses, spread levels); the system sound's a steady chord.
      expect(speechScore(previews[1]!)).toBeGreaterThan(speechScore(previews[0]!));
      expect(previews[0]!.levelSpreadDb).toBeLessThan(3);
      await expect(handlers['media/trackPreview']({ draftId, takeId: take.id, track: 2 })).rejects.toThrow(/no such sound track/);

      const picked = await takes.chooseSound(draftId, take.id, { track: 0 });
      expect(picked.voiceSource).toMatchObject({ track: 0, chosenBy: 'person' });
      expect(picked.voiceSource?.tracks).toHaveLength(2);
      expect(checkOf(picked, 'source')?.reason).toMatch(/System sound.*as chosen in the review/);
    }, 240_000);

    it('keeps the voice of stereo whose channels cancel, and of stereo with a dead channel', async () => {
      const reference = (await engine.analyseVoice(speech(70))).analysis.speechRmsDbfs;
      invertedStereo(at('inverted.wav'), 70);
      ffmpeg('-i', speech(70), '-af', 'pan=stereo|c0=c0|c1=0*c0', '-c:a', 'pcm_s16le', at('dead-right.wav'));
      for (const [name, mix] of [
        ['inverted.wav', 'difference'],
        ['dead-right.wav', 'left'],
      ] as const) {
        const take = await importFile(draftId, at(name));
        expect(take.voiceSource?.mix, name).toBe(mix);
        expect(checkOf(take, 'level')?.verdict, name).not.toBe('fail');
        expect(Math.abs((checkOf(take, 'level')?.value ?? -120) - reference), name).toBeLessThanOrEqual(3);
        expect(checkOf(take, 'source')?.reason, name).toMatch(mix === 'difference' ? /cancel when added/ : /right channel is silent/);
        const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), at(`${name}.mp3`), { source: take.voiceSource });
        expect(prepared.loudnessLufs, name).not.toBeNull();
        expect(Math.abs((prepared.loudnessLufs ?? 0) + 19), name).toBeLessThanOrEqual(1);
      }
    }, 240_000);
  });

  describe('channel layouts', () => {
    /** A WAV's WAVE_FORMAT_EXTENSIBLE channel mask set to 0, as plain multichannel writers leave it: no layout at all. */
    function withoutLayout(source: string, target: string): void {
      const bytes = readFileSync(source);
      const fmt = bytes.indexOf('fmt ');
      expect(bytes.readUInt16LE(fmt + 8)).toBe(0xfffe);
      bytes.writeUInt32LE(0, fmt + 8 + 20);
      writeFileSync(target, bytes);
    }

    it('keeps a voice in the centre of a surround track at its own level, whatever the layout or its absence', async () => {
      // The mono source as a take of its own: what every layout below must measure as.
      const source = await importFile(draftId, speech(70));
      const reference = checkOf(source, 'level')?.value ?? 0;
      const centre51 = 'pan=5.1|FL=0*c0|FR=0*c0|FC=c0|LFE=0*c0|BL=0*c0|BR=0*c0';
      ffmpeg('-i', speech(70), '-af', centre51, '-c:a', 'pcm_s16le', at('centre-5.1.wav'));
      ffmpeg('-i', speech(70), '-af', centre51, '-c:a', 'aac', '-b:a', '384k', at('centre-5.1.m4a'));
      ffmpeg('-i', speech(70), '-af', 'pan=7.1|FL=0*c0|FR=0*c0|FC=c0|LFE=0*c0|BL=0*c0|BR=0*c0|SL=0*c0|SR=0*c0', '-c:a', 'flac', at('centre-7.1.flac'));
      withoutLayout(at('centre-5.1.wav'), at('centre-6ch-no-layout.wav'));
      // A voice on one front channel of a 5.1 track reaches one side alone: the dead-channel rule keeps it.
      ffmpeg('-i', speech(70), '-af', 'pan=5.1|FL=c0|FR=0*c0|FC=0*c0|LFE=0*c0|BL=0*c0|BR=0*c0', '-c:a', 'pcm_s16le', at('left-5.1.wav'));
      for (const name of ['centre-5.1.wav', 'centre-5.1.m4a', 'centre-7.1.flac', 'centre-6ch-no-layout.wav', 'left-5.1.wav']) {
        const take = await importFile(draftId, at(name));
        expect(checkOf(take, 'level')?.verdict, name).toBe(checkOf(source, 'level')?.verdict);
        expect(Math.abs((checkOf(take, 'level')?.value ?? -120) - reference), name).toBeLessThanOrEqual(1);
        const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), at(`${name}.mp3`), { source: take.voiceSource });
        expect(Math.abs((prepared.loudnessLufs ?? 0) + 19), name).toBeLessThanOrEqual(1);
        // The prepared voice is the source's speech, not a fold that lost it: its pauses are intact.
        expect(analyseAudio(nativePcm(prepared.file), 48000).silenceShare, name).toBeGreaterThan(0.05);
      }
    }, 400_000);
  });

  describe('faults judged as what they are', () => {
    it('removes DC offset before the analysis and in the prepared file', async () => {
      ffmpeg('-i', speech(70), '-af', 'aeval=val(0)+0.05', '-c:a', 'pcm_s16le', at('dc.wav'));
      const before = nativePcm(at('dc.wav'));
      expect(before.reduce((sum, value) => sum + value, 0) / before.length).toBeGreaterThan(0.04);
      const take = await importFile(draftId, at('dc.wav'));
      expect(checkOf(take, 'noise')?.value).toBeLessThan(-60);
      expect(checkOf(take, 'noise')?.verdict).toBe('pass');
      // The review's waveform is drawn without the offset too: its quietest hundredths are near
      // silence, not a wall at 0.05 of full scale.
      const drawn = await takes.peaks(draftId, take.id);
      const quiet = Array.from(drawn.peaks).sort((a, b) => a - b)[Math.floor(drawn.peaks.length * 0.05)]!;
      expect(quiet / 255).toBeLessThan(0.01);
      const prepared = await engine.prepareVoice(drafts.mediaFile(draftId, take.fileName), at('dc.mp3'), { source: take.voiceSource });
      const after = nativePcm(prepared.file);
      expect(Math.abs(after.reduce((sum, value) => sum + value, 0) / after.length)).toBeLessThan(0.005);
    }, 240_000);

    it('does not call float peaks above full scale clipped, and fails a truly clipped 16-bit file', async () => {
      ffmpeg('-i', speech(70), '-af', 'volume=12dB', '-c:a', 'pcm_f32le', at('hot-float.wav'));
      expect(nativePcm(at('hot-float.wav')).reduce((peak, value) => Math.max(peak, Math.abs(value)), 0)).toBeGreaterThan(1.2);
      const float = await importFile(draftId, at('hot-float.wav'));
      expect(checkOf(float, 'clipping')?.verdict).toBe('pass');
      ffmpeg('-i', at('hot-float.wav'), '-c:a', 'pcm_s16le', at('clipped-16bit.wav'));
      const clipped = await importFile(draftId, at('clipped-16bit.wav'));
      expect(checkOf(clipped, 'clipping')?.verdict).toBe('fail');
    }, 240_000);

    it('warns about narrowband sound from the sample rate and from the spectrum', async () => {
      ffmpeg('-i', speech(70), '-ar', '8000', '-c:a', 'pcm_s16le', at('phone-8k.wav'));
      ffmpeg('-i', speech(70), '-ar', '16000', '-c:a', 'pcm_s16le', at('headset-16k.wav'));
      // A phone call (8 kHz) resampled to 48 kHz by an editor: the rate says nothing, the spectrum does.
      ffmpeg('-i', speech(70), '-af', 'aresample=8000,aresample=48000', '-c:a', 'pcm_s16le', at('phone-48k.wav'));
      for (const [name, reason] of [
        ['phone-8k.wav', /recorded at 8 kHz/],
        ['headset-16k.wav', /recorded at 16 kHz/],
        ['phone-48k.wav', /no sound above 4 kHz/],
      ] as const) {
        const take = await importFile(draftId, at(name));
        expect(checkOf(take, 'bandwidth')?.verdict, name).toBe('warn');
        expect(checkOf(take, 'bandwidth')?.reason, name).toMatch(/Narrowband/);
        expect(checkOf(take, 'bandwidth')?.reason, name).toMatch(reason);
      }
      const full = await importFile(draftId, speech(70));
      expect(checkOf(full, 'bandwidth')).toBeUndefined();
      await fs.rm(at('phone-48k.wav'), { force: true });
    }, 240_000);
  });
});
