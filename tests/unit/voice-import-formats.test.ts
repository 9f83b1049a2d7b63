/** Which voice files may be sent (by name) and which service format an imported sound is kept in (by content). */
import { describe, expect, it } from 'vitest';
import type { MediaInfo } from '../../shared/media';
import { importRefusal } from '../../shared/take-import';
import { losslessCodecFor, storedVoiceFormat, trackCodecs } from '../../electron/services/media/voice-formats';

const sound = (container: MediaInfo['container'], ...codecs: string[]): Pick<MediaInfo, 'container' | 'audio' | 'audioTracks'> => ({
  container,
  audio: { codec: codecs[0]!, sampleRate: 48_000, channels: 1 },
  audioTracks: codecs.map((codec, index) => ({ index, codec, sampleRate: 48_000, channels: 1, title: null })),
});

describe('the format a voice import is kept in', () => {
  it('keeps the service’s formats as they are', () => {
    for (const container of ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'webm', 'mp4'] as const) expect(storedVoiceFormat(sound(container, 'aac'))).toBe(container);
  });

  it('moves AAC, ALAC and MP3 from other containers into M4A (copied)', () => {
    expect(storedVoiceFormat(sound('aac', 'aac'))).toBe('m4a');
    expect(storedVoiceFormat(sound('caf', 'alac'))).toBe('m4a');
    expect(storedVoiceFormat(sound('mov', 'aac'))).toBe('m4a');
    expect(storedVoiceFormat(sound('matroska', 'mp3', 'aac'))).toBe('m4a');
  });

  it('moves PCM into WAV with its very samples, floats above full scale included', () => {
    expect(storedVoiceFormat(sound('aiff', 'pcm_s16be'))).toBe('wav');
    expect(storedVoiceFormat(sound('aiff', 'pcm_s8'))).toBe('wav');
    expect(storedVoiceFormat(sound('caf', 'pcm_f32be'))).toBe('wav');
    expect(losslessCodecFor('wav', 'pcm_s24be')).toBe('pcm_s24le');
    expect(losslessCodecFor('wav', 'pcm_s8')).toBe('pcm_u8');
    expect(losslessCodecFor('wav', 'wmav2')).toBeNull();
  });

  it('moves anything else into FLAC, or into M4A as Apple Lossless when there are several tracks', () => {
    expect(storedVoiceFormat(sound('asf', 'wmav2'))).toBe('flac');
    expect(storedVoiceFormat(sound('amr', 'amr_nb'))).toBe('flac');
    expect(storedVoiceFormat(sound('matroska', 'opus'))).toBe('flac');
    expect(storedVoiceFormat(sound('matroska', 'pcm_s16le', 'pcm_s16le'))).toBe('m4a');
  });

  it('keeps nothing of a file without sound', () => {
    expect(storedVoiceFormat({ container: 'aiff', audio: null, audioTracks: [] })).toBeNull();
  });

  it('reads the tracks in order, or the first sound when the probe lists none', () => {
    const track = (codec: string, index = 0) => ({ index, codec, sampleRate: 48000, channels: 1, title: null });
    expect(trackCodecs({ audio: track('aac'), audioTracks: [track('aac'), track('opus', 1)] })).toEqual(['aac', 'opus']);
    expect(trackCodecs({ audio: track('alac'), audioTracks: [] })).toEqual(['alac']);
    expect(trackCodecs({ audio: null, audioTracks: [] })).toEqual([]);
  });
});

describe('the names a voice import may have', () => {
  it('lets the sound files of Macs, Windows and phones through to be judged by content', () => {
    for (const name of [
      'memo.aiff',
      'take.AIF',
      'logic.caf',
      'meeting.wma',
      'note.amr',
      'call.3gp',
      'recorder.aac',
      'voice.opus',
      'room.mka',
      'book.m4b',
      'clip.mov',
    ]) {
      expect(importRefusal('voice', name, 1000), name).toBeNull();
    }
  });

  it('still refuses what is no sound file, and says what to bring', () => {
    expect(importRefusal('voice', 'notes.docx', 1000)).toMatch(
      /“notes\.docx” is a \.docx file, which the studio cannot import as a recording\. Import mp3, wav, .* or mp4, or another sound file \(aiff, caf, aac, wma…\), kept without further loss\./,
    );
  });
});
