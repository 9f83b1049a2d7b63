/**
 * What a WAV file's header claims its length is. ffprobe clamps a WAV's `data` size to the bytes
 * the file really has, so a copy cut short reports its true length and the header's claim is lost;
 * this reads the claim itself, so the take's checks can say the two differ (as for an MP3's Xing
 * header or an MP4's movie header).
 */
import { promises as fs } from 'node:fs';

/**
 * How far into the file the `data` chunk's header may start: broadcast WAVs put `bext`, `iXML`,
 * `LIST` and `JUNK` chunks before it, a few kB in practice.
 */
const headBytes = 64 * 1024;

/** A `data` size that streaming writers leave in place of the real one: no claim. */
const placeholder = (size: number) => size === 0 || size === 0xffffffff;

/**
 * The length the header of a RIFF, RF64 or BW64 WAV claims, ms: its `data` chunk's size (RF64 and
 * BW64: the `ds64` chunk's) over the `fmt ` chunk's average bytes a second (EBU Tech 3306 for RF64,
 * ITU-R BS.2088 for BW64). Null when `head` is not such a WAV, a chunk is missing from it, or the
 * size is a placeholder (0 or 0xFFFFFFFF: a recorder that never came back to write it).
 */
export function wavClaimedMs(head: Uint8Array): number | null {
  if (head.length < 12) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (offset: number) => String.fromCharCode(...head.subarray(offset, offset + 4));
  const form = tag(0);
  if (!['RIFF', 'RF64', 'BW64'].includes(form) || tag(8) !== 'WAVE') return null;
  let bytesPerSecond: number | null = null;
  let ds64DataSize: number | null = null;
  for (let offset = 12; offset + 8 <= head.length;) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'ds64' && body + 16 <= head.length) {
      ds64DataSize = Number(view.getBigUint64(body + 8, true));
    } else if (id === 'fmt ' && body + 12 <= head.length) {
      bytesPerSecond = view.getUint32(body + 8, true);
    } else if (id === 'data') {
      const dataSize = form !== 'RIFF' && size === 0xffffffff ? ds64DataSize : size;
      if (dataSize === null || placeholder(dataSize) || !bytesPerSecond) return null;
      return Math.round((dataSize / bytesPerSecond) * 1000);
    }
    // Chunks are padded to an even length (RIFF's rule).
    offset = body + size + (size % 2);
  }
  return null;
}

/** wavClaimedMs of the file's first 64 kB. */
export async function wavClaimedMsOf(file: string): Promise<number | null> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(headBytes);
    const { bytesRead } = await handle.read(head, 0, headBytes, 0);
    return wavClaimedMs(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
