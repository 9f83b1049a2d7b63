/**
 * The accepted voice formats as ffmpeg encodes them, and the bitrate (or sample rate, for PCM and
 * FLAC) chosen from a take's duration so that the file stays within the service's byte limit.
 */
import type { MediaInfo } from '../../../shared/media';
import { type VoiceFormat, voicePreparation, voiceRules } from '../../../shared/requirements';

type Lossy = {
  kind: 'lossy';
  codec: string;
  /** Bitrates the encoder offers for mono, in bits per second, ascending. */
  bitrates: readonly number[];
};
type Pcm = { kind: 'pcm' | 'lossless'; codec: string };

export type VoiceFormatProfile = {
  format: VoiceFormat;
  muxer: string;
  mimeType: string;
  extension: string;
  /** What the muxer needs beyond the codec, e.g. the index at the front for progressive reading. */
  muxerArgs: readonly string[];
} & (Lossy | Pcm);

const kbps = (...values: number[]) => values.map((value) => value * 1000);
const mp3Rates = kbps(32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320);
const aacRates = kbps(32, 48, 64, 96, 128, 160, 192, 256, 320);
/** libopus accepts any rate; these steps keep the choice readable. Above 256 kbit/s mono it gains nothing. */
const opusRates = kbps(32, 48, 64, 96, 128, 160, 192, 256);

export const voiceFormatProfiles: Record<VoiceFormat, VoiceFormatProfile> = {
  mp3: { format: 'mp3', kind: 'lossy', codec: 'libmp3lame', bitrates: mp3Rates, muxer: 'mp3', mimeType: 'audio/mpeg', extension: 'mp3', muxerArgs: [] },
  m4a: {
    format: 'm4a',
    kind: 'lossy',
    codec: 'aac',
    bitrates: aacRates,
    muxer: 'ipod',
    mimeType: 'audio/mp4',
    extension: 'm4a',
    muxerArgs: ['-movflags', '+faststart'],
  },
  mp4: {
    format: 'mp4',
    kind: 'lossy',
    codec: 'aac',
    bitrates: aacRates,
    muxer: 'mp4',
    mimeType: 'audio/mp4',
    extension: 'mp4',
    muxerArgs: ['-movflags', '+faststart'],
  },
  ogg: { format: 'ogg', kind: 'lossy', codec: 'libopus', bitrates: opusRates, muxer: 'ogg', mimeType: 'audio/ogg', extension: 'ogg', muxerArgs: [] },
  webm: { format: 'webm', kind: 'lossy', codec: 'libopus', bitrates: opusRates, muxer: 'webm', mimeType: 'audio/webm', extension: 'webm', muxerArgs: [] },
  wav: { format: 'wav', kind: 'pcm', codec: 'pcm_s16le', muxer: 'wav', mimeType: 'audio/wav', extension: 'wav', muxerArgs: [] },
  flac: { format: 'flac', kind: 'lossless', codec: 'flac', muxer: 'flac', mimeType: 'audio/flac', extension: 'flac', muxerArgs: [] },
};

/** Sample rates tried for PCM and FLAC, best first; 16 kHz still carries all of speech's formants. */
const pcmSampleRates = [48000, 44100, 32000, 24000, 22050, 16000] as const;

export type EncodingPlan = { sampleRate: number; bitrate: number | null; codecArgs: string[] };

/**
 * The best encoding of `durationMs` of mono speech that still fits the byte limit: the highest
 * bitrate a lossy encoder offers within the budget, or the highest sample rate whose 16-bit PCM
 * fits (FLAC is planned like PCM, so it fits even when speech compresses badly). `shrink` lowers
 * the budget for a second attempt when a file came out too big.
 */
export function planEncoding(format: VoiceFormat, durationMs: number, shrink = 1): EncodingPlan {
  const profile = voiceFormatProfiles[format];
  const seconds = Math.max(durationMs, 1) / 1000;
  const budgetBytes = voiceRules.maxBytes * voicePreparation.byteBudgetShare * shrink;
  if (profile.kind === 'lossy') {
    const affordable = (budgetBytes * 8) / seconds;
    const bitrate = [...profile.bitrates].reverse().find((rate) => rate <= affordable) ?? profile.bitrates[0] ?? 32000;
    const codecArgs = ['-c:a', profile.codec, '-b:a', String(bitrate)];
    // Unconstrained Opus VBR overshoots its target by 20-60 % on speech (measured): keep it to the budget.
    if (profile.codec === 'libopus') codecArgs.push('-vbr', 'constrained');
    return { sampleRate: 48000, bitrate, codecArgs: [...codecArgs, ...profile.muxerArgs] };
  }
  const sampleRate = pcmSampleRates.find((rate) => rate * 2 * seconds <= budgetBytes) ?? 16000;
  const codecArgs = ['-c:a', profile.codec, ...(profile.kind === 'lossless' ? ['-compression_level', '8'] : [])];
  return { sampleRate, bitrate: null, codecArgs: [...codecArgs, ...profile.muxerArgs] };
}

/** The accepted format a probed container stands for, if any (m4a and mp4 differ only in brand). */
export function voiceFormatOfContainer(container: string): VoiceFormat | null {
  return (voiceRules.formats as readonly string[]).includes(container) ? (container as VoiceFormat) : null;
}

/**
 * Sound codecs each container a voice import may move into carries as they are: the MP4 family's
 * (AAC, Apple Lossless, MP3), WAV's PCM and FLAC's own. All hold sound alone, so a picture in the
 * file is left behind. A codec outside its target's set is encoded by losslessCodecFor (remux.ts).
 */
export const soundCodecsHeld = {
  m4a: new Set(['aac', 'alac', 'mp3']),
  wav: new Set(['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_f64le', 'pcm_alaw', 'pcm_mulaw']),
  flac: new Set(['flac']),
} as const satisfies Partial<Record<VoiceFormat, ReadonlySet<string>>>;

/**
 * The codec that carries `codec`'s samples unchanged into `target`, or null: WAV takes big-endian
 * PCM (AIFF's, CAF's) as the same samples little-endian, and signed 8-bit as WAV's unsigned 8-bit;
 * M4A takes any integer PCM as Apple Lossless; FLAC takes integer PCM up to 24 bits. Float samples
 * go to WAV only: FLAC and ALAC hold integers, which would clip a float peak above full scale.
 */
export function losslessCodecFor(target: VoiceFormat, codec: string): string | null {
  if (target === 'wav') {
    const little = codec === 'pcm_s8' ? 'pcm_u8' : codec.replace(/be$/, 'le');
    return soundCodecsHeld.wav.has(little) ? little : null;
  }
  if (target === 'm4a') return 'alac';
  if (target === 'flac') return 'flac';
  return null;
}

/** The codec of each sound track, in the file's order (the probe's first track when it lists none). */
export function trackCodecs(info: Pick<MediaInfo, 'audio' | 'audioTracks'>): string[] {
  const tracks = info.audioTracks?.length ? info.audioTracks : info.audio ? [info.audio] : [];
  return tracks.map((track) => track.codec);
}

/**
 * The service's format a voice import is kept in, by content. A file already in one stays as it is.
 * Any other sound the engine reads (ADTS AAC, AIFF, CAF, WMA, AMR, Matroska or QuickTime audio) is
 * moved into one, its sound alone: M4A when every track's codec fits it (copied), WAV for one track
 * of PCM (the same samples), otherwise FLAC for one track (a lossy codec decoded once, then kept
 * without further loss) or Apple Lossless in M4A for several (FLAC and WAV hold one). Null without sound.
 */
export function storedVoiceFormat(info: Pick<MediaInfo, 'container' | 'audio' | 'audioTracks'>): VoiceFormat | null {
  if (!info.audio) return null;
  const kept = voiceFormatOfContainer(info.container);
  if (kept) return kept;
  const codecs = trackCodecs(info);
  const fits = (held: ReadonlySet<string>) => codecs.every((codec) => held.has(codec));
  if (fits(soundCodecsHeld.m4a)) return 'm4a';
  // PCM keeps its very samples in a WAV, float ones above full scale included.
  if (codecs.length === 1 && losslessCodecFor('wav', codecs[0]!)) return 'wav';
  return codecs.length === 1 ? 'flac' : 'm4a';
}
