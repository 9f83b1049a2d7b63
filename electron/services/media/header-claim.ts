/**
 * What a file's header claims its length is (the claim the take's checks set beside the length
 * measured from its content). ffprobe's figure is the claim where the container states a length in
 * a field ffprobe reads: an MP3's Xing or Info header, an MP4's movie header, an AIFF's `COMM`, a
 * FLAC's `STREAMINFO`, a Matroska `Duration`. It sizes a WAV's `data` and a CAF's `data` by the
 * bytes the file really has, and gives a WMA the length of the packets present, so a copy cut short
 * shows its true length and the claim is lost: these three are read here. ADTS AAC, AMR and Ogg
 * state no length (ffprobe's figure is its estimate), so they make no claim. music-metadata, the tag
 * library the emulator uses, clamps WAV sizes the same way and reads neither RF64 nor CAF.
 */
import { promises as fs } from 'node:fs';
import type { MediaContainer } from '../../../shared/media';

/**
 * How far into the file a claim may lie: broadcast WAVs put `bext`, `iXML`, `LIST` and `JUNK`
 * chunks before `data`, a CAF its `chan`, `kuki`, `info` and `free` chunks; a few kB in practice,
 * 100 kB of `JUNK` seen in a test.
 */
const headBytes = 1024 * 1024;

/** WAVE format tags whose bytes a second are exact: PCM, IEEE float, A-law, µ-law, and WAVE_FORMAT_EXTENSIBLE (PCM or float in practice). */
const constantRateFormats: ReadonlySet<number> = new Set([0x0001, 0x0003, 0x0006, 0x0007, 0xfffe]);

/** The four-character code at `offset` (a RIFF or CAF chunk's id, a form type). */
const fourCC = (bytes: Uint8Array, offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));

/** A `data` size that streaming writers leave in place of the real one: no claim. */
const placeholder = (size: number) => size === 0 || size === 0xffffffff;

/**
 * The length the header of a RIFF, RF64 or BW64 WAV claims, ms: its `data` chunk's size (RF64 and
 * BW64: the `ds64` chunk's) over the `fmt ` chunk's average bytes a second (EBU Tech 3306 for RF64,
 * ITU-R BS.2088 for BW64); for a compressed format (ADPCM, GSM, MP3 in WAV), the `fact` chunk's
 * sample frames over the sample rate. Null when `head` is not such a WAV, a chunk is missing from it,
 * or the size is a placeholder (0 or 0xFFFFFFFF: a recorder that never came back to write it).
 */
export function wavClaimedMs(head: Uint8Array): number | null {
  if (head.length < 12) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (offset: number) => fourCC(head, offset);
  const form = tag(0);
  if (!['RIFF', 'RF64', 'BW64'].includes(form) || tag(8) !== 'WAVE') return null;
  let bytesPerSecond: number | null = null;
  let sampleRate = 0;
  let constantRate = true;
  let factFrames: number | null = null;
  let ds64DataSize: number | null = null;
  for (let offset = 12; offset + 8 <= head.length;) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'ds64' && body + 16 <= head.length) {
      ds64DataSize = Number(view.getBigUint64(body + 8, true));
    } else if (id === 'fmt ' && body + 12 <= head.length) {
      constantRate = constantRateFormats.has(view.getUint16(body, true));
      sampleRate = view.getUint32(body + 4, true);
      bytesPerSecond = view.getUint32(body + 8, true);
    } else if (id === 'fact' && body + 4 <= head.length) {
      factFrames = view.getUint32(body, true);
    } else if (id === 'data') {
      // A compressed format's average bytes a second is only a writer's estimate (ffmpeg's IMA ADPCM
      // says 16,000 for 22,500): its length is the `fact` chunk's sample frames.
      if (!constantRate) return factFrames && sampleRate ? Math.round((factFrames / sampleRate) * 1000) : null;
      const dataSize = form !== 'RIFF' && size === 0xffffffff ? ds64DataSize : size;
      if (dataSize === null || placeholder(dataSize) || !bytesPerSecond) return null;
      return Math.round((dataSize / bytesPerSecond) * 1000);
    }
    // Chunks are padded to an even length (RIFF's rule).
    offset = body + size + (size % 2);
  }
  return null;
}

/**
 * The length the header of a Core Audio Format file claims, ms (Apple's "Core Audio Format
 * Specification"; big-endian, chunk sizes 64-bit): its `pakt` chunk's valid frames over the `desc`
 * chunk's sample rate; without a `pakt` in `head` (PCM, or one written after the sound), the `data`
 * chunk's size (less its 4-byte edit count) in packets of the `desc`'s constant bytes and frames.
 * Null when `head` is not a CAF, `desc` is missing, or the `data` size is -1 (a writer that never came
 * back to set it).
 */
export function cafClaimedMs(head: Uint8Array): number | null {
  if (head.length < 8) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (offset: number) => fourCC(head, offset);
  if (tag(0) !== 'caff') return null;
  let desc: { sampleRate: number; bytesPerPacket: number; framesPerPacket: number } | null = null;
  for (let offset = 8; offset + 12 <= head.length;) {
    const id = tag(offset);
    const size = Number(view.getBigInt64(offset + 4, false));
    const body = offset + 12;
    if (id === 'desc' && body + 20 <= head.length) {
      desc = { sampleRate: view.getFloat64(body, false), bytesPerPacket: view.getUint32(body + 16, false), framesPerPacket: view.getUint32(body + 20, false) };
    } else if (id === 'pakt' && desc && body + 16 <= head.length) {
      const validFrames = Number(view.getBigInt64(body + 8, false));
      return desc.sampleRate > 0 && validFrames > 0 ? Math.round((validFrames / desc.sampleRate) * 1000) : null;
    } else if (id === 'data') {
      if (!desc || size < 4 || !desc.bytesPerPacket || !desc.framesPerPacket || !(desc.sampleRate > 0)) return null;
      const packets = Math.floor((size - 4) / desc.bytesPerPacket);
      return Math.round(((packets * desc.framesPerPacket) / desc.sampleRate) * 1000);
    }
    if (size < 0) return null;
    offset = body + size;
  }
  return null;
}

/** ASF GUIDs as stored (the first three fields little-endian): the Header Object and the File Properties Object. */
const asfHeaderObject = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
const asfFileProperties = Buffer.from('a1dcab8c47a9cf118ee400c00c205365', 'hex');

/**
 * The length the header of an ASF file (WMA, WMV) claims, ms (Microsoft's "Advanced Systems Format
 * Specification" 3.2): the File Properties Object's play duration (100 ns units) less its preroll
 * (ms). Null when `head` is not ASF, the object is not in it, or the broadcast flag says the
 * durations are not known.
 */
export function asfClaimedMs(head: Uint8Array): number | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length < 30 || !bytes.subarray(0, 16).equals(asfHeaderObject)) return null;
  for (let offset = 30; offset + 24 <= bytes.length;) {
    const size = Number(bytes.readBigUInt64LE(offset + 16));
    if (bytes.subarray(offset, offset + 16).equals(asfFileProperties) && offset + 92 <= bytes.length) {
      const playMs = Number(bytes.readBigUInt64LE(offset + 64)) / 10_000;
      const prerollMs = Number(bytes.readBigUInt64LE(offset + 80));
      const broadcast = (bytes.readUInt32LE(offset + 88) & 1) === 1;
      return broadcast || playMs <= prerollMs ? null : Math.round(playMs - prerollMs);
    }
    if (size < 24) return null;
    offset += size;
  }
  return null;
}

const claimReaders: Partial<Record<MediaContainer, (head: Uint8Array) => number | null>> = { wav: wavClaimedMs, caf: cafClaimedMs, asf: asfClaimedMs };

/** Containers whose header states a length in a field ffprobe reads: its `format.duration` is the claim. */
const reportedClaims: ReadonlySet<MediaContainer> = new Set(['mp3', 'mp4', 'm4a', 'mov', 'webm', 'matroska', 'flac', 'aiff']);

/**
 * The length the header of `file` claims, ms: read here for WAV, CAF and ASF, `reportedMs`
 * (ffprobe's figure) for the containers whose header states one ffprobe reads, and null for any
 * other container or when the header makes no claim.
 */
export async function headerClaimedMsOf(file: string, container: MediaContainer, reportedMs: number | null): Promise<number | null> {
  const read = claimReaders[container];
  if (!read) return reportedClaims.has(container) ? reportedMs : null;
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(headBytes);
    const { bytesRead } = await handle.read(head, 0, headBytes, 0);
    return read(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
