/** A media file's signature: the first bytes each format's specification fixes. */
import { promises as fs } from 'node:fs';

/**
 * Whether a file's first bytes carry the signature of a media format the studio reads (ISO BMFF
 * `ftyp`, EBML, RIFF, Ogg, FLAC, AIFF/CAF, an ID3 tag or an MPEG audio frame sync, JPEG, PNG): what
 * tells a damaged or cut-short media file from a file that never was one. Signatures from each
 * format's specification (ISO/IEC 14496-12 §4.3, RFC 8794 §8, RFC 3533, RFC 9639, ISO/IEC 11172-3).
 */
export async function startsLikeMedia(file: string): Promise<boolean> {
  const head = Buffer.alloc(16);
  let read = 0;
  try {
    const handle = await fs.open(file, 'r');
    try {
      ({ bytesRead: read } = await handle.read(head, 0, head.length, 0));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  const ascii = (from: number, text: string) => read >= from + text.length && head.toString('latin1', from, from + text.length) === text;
  return (
    ascii(4, 'ftyp') ||
    (read >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) ||
    ['RIFF', 'RF64', 'OggS', 'fLaC', 'FORM', 'caff', 'ID3', '\x89PNG'].some((magic) => ascii(0, magic)) ||
    (read >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) ||
    (read >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)
  );
}
