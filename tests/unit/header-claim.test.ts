/** The length a WAV's, CAF's or ASF's header claims (header-claim.ts), from headers built here chunk by chunk. */
import { describe, expect, it } from 'vitest';
import { asfClaimedMs, cafClaimedMs, wavClaimedMs } from '../../electron/services/media/header-claim';

type Chunk = { id: string; body: Buffer; size?: number };

/** `fmt ` for PCM: 48 kHz, `channels`, 16-bit. */
function fmt(channels = 1, rate = 48_000): Chunk {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE(rate * channels * 2, 8);
  body.writeUInt16LE(channels * 2, 12);
  body.writeUInt16LE(16, 14);
  return { id: 'fmt ', body };
}

/** The `data` chunk's header only (the samples would follow): `size` is what it claims. */
const data = (size: number): Chunk => ({ id: 'data', body: Buffer.alloc(0), size });

function wav(form: string, chunks: Chunk[]): Buffer {
  const parts = chunks.map(({ id, body, size }) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(size ?? body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
  });
  const riff = Buffer.alloc(12);
  riff.write(form, 0, 'latin1');
  riff.writeUInt32LE(0xffffffff, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, ...parts]);
}

function ds64(dataSize: bigint): Chunk {
  const body = Buffer.alloc(28);
  body.writeBigUInt64LE(dataSize + 100n, 0);
  body.writeBigUInt64LE(dataSize, 8);
  return { id: 'ds64', body };
}

describe('the length a WAV header claims', () => {
  it('is the data size over the bytes a second', () => {
    expect(wavClaimedMs(wav('RIFF', [fmt(), data(96_000 * 90)]))).toBe(90_000);
    expect(wavClaimedMs(wav('RIFF', [fmt(2, 44_100), data(176_400 * 12.5)]))).toBe(12_500);
  });

  it('finds the data chunk past broadcast chunks, odd-sized ones padded', () => {
    const chunks = [
      fmt(),
      { id: 'bext', body: Buffer.alloc(602) },
      { id: 'LIST', body: Buffer.alloc(33) },
      { id: 'JUNK', body: Buffer.alloc(4095) },
      data(96_000 * 45),
    ];
    expect(wavClaimedMs(wav('RIFF', chunks))).toBe(45_000);
  });

  it('reads the 64-bit size of RF64 and BW64 files from their ds64 chunk', () => {
    const size = 192_000n * 7n * 3600n; // seven hours of 48 kHz 16-bit stereo: more than 32 bits hold
    expect(size).toBeGreaterThan(0xffffffffn);
    expect(wavClaimedMs(wav('RF64', [ds64(size), fmt(2), data(0xffffffff)]))).toBe(7 * 3600 * 1000);
    expect(wavClaimedMs(wav('BW64', [ds64(96_000n * 70n), fmt(), data(0xffffffff)]))).toBe(70_000);
  });

  it('reads a compressed format’s length from its fact chunk, not from its estimated bytes a second', () => {
    // IMA ADPCM at 22.05 kHz as ffmpeg writes it: 16,000 bytes a second claimed, the sound's 90 s in fact.
    const ima = { id: 'fmt ', body: Buffer.alloc(20) };
    ima.body.writeUInt16LE(0x11, 0);
    ima.body.writeUInt16LE(1, 2);
    ima.body.writeUInt32LE(22_050, 4);
    ima.body.writeUInt32LE(16_000, 8);
    const fact = (frames: number) => {
      const body = Buffer.alloc(4);
      body.writeUInt32LE(frames);
      return { id: 'fact', body };
    };
    expect(wavClaimedMs(wav('RIFF', [ima, fact(22_050 * 90), data(1_012_500)]))).toBe(90_000);
    expect(wavClaimedMs(wav('RIFF', [ima, data(1_012_500)]))).toBeNull();
  });

  it('makes no claim for placeholder sizes, a missing format, or what is not a WAV', () => {
    expect(wavClaimedMs(wav('RIFF', [fmt(), data(0)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [fmt(), data(0xffffffff)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [data(96_000)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [fmt()]))).toBeNull();
    expect(wavClaimedMs(Buffer.from('ID3\u0004\u0000 not a wave file at all'))).toBeNull();
    expect(wavClaimedMs(new Uint8Array(4))).toBeNull();
  });
});

/** A CAF chunk: four-character type, 64-bit big-endian size (`size` overrides the body's), body. */
function cafChunk(type: string, body: Buffer, size?: bigint): Buffer {
  const head = Buffer.alloc(12);
  head.write(type, 0, 'latin1');
  head.writeBigInt64BE(size ?? BigInt(body.length), 4);
  return Buffer.concat([head, body]);
}

/** `desc`: sample rate, format, and the constant bytes and frames a packet (0: variable). */
function cafDesc(rate: number, format: string, bytesPerPacket: number, framesPerPacket: number): Buffer {
  const body = Buffer.alloc(32);
  body.writeDoubleBE(rate, 0);
  body.write(format, 8, 'latin1');
  body.writeUInt32BE(bytesPerPacket, 16);
  body.writeUInt32BE(framesPerPacket, 20);
  body.writeUInt32BE(1, 24);
  body.writeUInt32BE(format === 'lpcm' ? 16 : 0, 28);
  return cafChunk('desc', body);
}

function pakt(packets: bigint, validFrames: bigint): Buffer {
  const body = Buffer.alloc(24);
  body.writeBigInt64BE(packets, 0);
  body.writeBigInt64BE(validFrames, 8);
  body.writeInt32BE(2112, 16);
  return cafChunk('pakt', body);
}

/** The `data` chunk's header and edit count only: `size` (edit count included) is what it claims. */
const cafData = (size: bigint) => cafChunk('data', Buffer.alloc(4), size);
const caf = (...chunks: Buffer[]) => Buffer.concat([Buffer.from('caff\u0000\u0001\u0000\u0000', 'latin1'), ...chunks]);

describe('the length a CAF header claims', () => {
  it('is the data size in packets of constant size for PCM, past other chunks', () => {
    const chan = cafChunk('chan', Buffer.alloc(12));
    expect(cafClaimedMs(caf(cafDesc(48_000, 'lpcm', 2, 1), chan, cafChunk('free', Buffer.alloc(4000)), cafData(4n + 96_000n * 90n)))).toBe(90_000);
    expect(cafClaimedMs(caf(cafDesc(44_100, 'lpcm', 4, 1), cafData(4n + 176_400n * 12n)))).toBe(12_000);
  });

  it('is the valid frames of the packet table for compressed sound (AAC, ALAC)', () => {
    const frames = 44_100n * 75n;
    expect(cafClaimedMs(caf(cafDesc(44_100, 'aac ', 0, 1024), pakt(frames / 1024n + 3n, frames), cafData(4n + 900_000n)))).toBe(75_000);
  });

  it('makes no claim for a size never written back, variable packets without a table, or what is not a CAF', () => {
    expect(cafClaimedMs(caf(cafDesc(48_000, 'lpcm', 2, 1), cafData(-1n)))).toBeNull();
    expect(cafClaimedMs(caf(cafDesc(44_100, 'aac ', 0, 1024), cafData(4n + 900_000n)))).toBeNull();
    expect(cafClaimedMs(caf(cafData(4n + 96_000n)))).toBeNull();
    expect(cafClaimedMs(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE'))).toBeNull();
    expect(cafClaimedMs(new Uint8Array(6))).toBeNull();
  });
});

const guid = (hex: string) => Buffer.from(hex, 'hex');
const asfHeader = guid('3026b2758e66cf11a6d900aa0062ce6c');
const asfFilePropertiesId = guid('a1dcab8c47a9cf118ee400c00c205365');

/** An ASF object: GUID, 64-bit little-endian size (the whole object), body. */
function asfObject(id: Buffer, body: Buffer): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(24 + body.length));
  return Buffer.concat([id, size, body]);
}

/** The File Properties Object: play duration (100 ns units), preroll (ms), flags (bit 0: broadcast). */
function fileProperties(playMs: number, prerollMs: number, flags = 2): Buffer {
  const body = Buffer.alloc(80);
  body.writeBigUInt64LE(BigInt(playMs) * 10_000n, 40);
  body.writeBigUInt64LE(BigInt(prerollMs), 56);
  body.writeUInt32LE(flags, 64);
  return asfObject(asfFilePropertiesId, body);
}

function asf(...objects: Buffer[]): Buffer {
  const head = Buffer.alloc(14);
  head.writeBigUInt64LE(BigInt(30 + objects.reduce((sum, item) => sum + item.length, 0)), 0);
  head.writeUInt32LE(objects.length, 8);
  head.writeUInt8(1, 12);
  head.writeUInt8(2, 13);
  return Buffer.concat([asfHeader, head, ...objects]);
}

describe('the length an ASF (WMA) header claims', () => {
  it('is the play duration less the preroll, found past other header objects', () => {
    const other = asfObject(guid('b503bf5f2ea9cf118ee300c00c205365'), Buffer.alloc(22));
    expect(asfClaimedMs(asf(other, fileProperties(93_100, 3100)))).toBe(90_000);
    expect(asfClaimedMs(asf(fileProperties(60_000, 0)))).toBe(60_000);
  });

  it('makes no claim for a broadcast, no duration, or what is not ASF', () => {
    expect(asfClaimedMs(asf(fileProperties(93_100, 3100, 1)))).toBeNull();
    expect(asfClaimedMs(asf(fileProperties(0, 3100)))).toBeNull();
    expect(asfClaimedMs(asf(asfObject(guid('b503bf5f2ea9cf118ee300c00c205365'), Buffer.alloc(8))))).toBeNull();
    expect(asfClaimedMs(Buffer.from('caff and more bytes than thirty of them, surely'))).toBeNull();
  });
});
