/** The length a WAV's header claims (wav-header.ts), from headers built here chunk by chunk. */
import { describe, expect, it } from 'vitest';
import { wavClaimedMs } from '../../electron/services/media/wav-header';

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

  it('makes no claim for placeholder sizes, a missing format, or what is not a WAV', () => {
    expect(wavClaimedMs(wav('RIFF', [fmt(), data(0)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [fmt(), data(0xffffffff)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [data(96_000)]))).toBeNull();
    expect(wavClaimedMs(wav('RIFF', [fmt()]))).toBeNull();
    expect(wavClaimedMs(Buffer.from('ID3\u0004\u0000 not a wave file at all'))).toBeNull();
    expect(wavClaimedMs(new Uint8Array(4))).toBeNull();
  });
});
