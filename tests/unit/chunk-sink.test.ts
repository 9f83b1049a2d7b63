/** The one receiver of bytes in pieces: order, repeats, gaps, caps, the sync policy and the sweep. */
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkSink, sweepStaleChunks } from '../../electron/services/files/chunk-sink';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'chunk-sink-'));
const bytes = (text: string) => new TextEncoder().encode(text);

describe('ChunkSink', () => {
  it('appends pieces in order, ignores a piece sent twice and refuses a gap', async () => {
    const file = path.join(dir(), 'take.rec.webm');
    const sink = await ChunkSink.open(file, { what: 'the take', maxBytes: 100 });
    expect(await sink.append(0, bytes('abc'))).toEqual({ nextSeq: 1, bytes: 3 });
    expect(await sink.append(0, bytes('abc'))).toEqual({ nextSeq: 1, bytes: 3 });
    await expect(sink.append(2, bytes('xyz'))).rejects.toThrow('Piece 2 of the take arrived before piece 1');
    expect(await sink.append(1, bytes('def'))).toEqual({ nextSeq: 2, bytes: 6 });
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe('abcdef');
    await expect(sink.append(2, bytes('g'))).rejects.toThrow('The take has already ended.');
  });

  it('handles pieces sent without waiting one after another, in arrival order', async () => {
    const file = path.join(dir(), 'photo');
    const sink = await ChunkSink.open(file, { what: 'the picture', maxBytes: 1000 });
    await Promise.all(Array.from({ length: 20 }, (_, seq) => sink.append(seq, bytes(String.fromCharCode(65 + seq)))));
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe('ABCDEFGHIJKLMNOPQRST');
  });

  it('refuses to grow beyond the cap and beyond the announced size', async () => {
    const capped = await ChunkSink.open(path.join(dir(), 'a'), { what: 'the take', maxBytes: 4 });
    await capped.append(0, bytes('abc'));
    await expect(capped.append(1, bytes('de'))).rejects.toThrow(/The take has grown beyond 0 KB; it was stopped there/);
    const announced = await ChunkSink.open(path.join(dir(), 'b'), { what: 'the archive', maxBytes: 100, expectedBytes: 3 });
    expect(announced.complete).toBe(false);
    await expect(announced.append(0, bytes('abcd'))).rejects.toThrow('More of the archive arrived than was announced.');
    await announced.append(0, bytes('abc'));
    expect(announced.complete).toBe(true);
    await expect(ChunkSink.open(path.join(dir(), 'c'), { what: 'the archive', maxBytes: 10, expectedBytes: 11 })).rejects.toThrow(
      /more than the 0 KB the archive may have/,
    );
  });

  it('forces what arrived to disk on the one policy: at most every syncEveryMs', async () => {
    let clock = 0;
    const file = path.join(dir(), 'take');
    const sink = await ChunkSink.open(file, { what: 'the take', maxBytes: 100, now: () => clock, syncEveryMs: 2_000 });
    const handle = (sink as unknown as { handle: { datasync(): Promise<void> } }).handle;
    let syncs = 0;
    const datasync = handle.datasync.bind(handle);
    handle.datasync = () => {
      syncs++;
      return datasync();
    };
    await sink.append(0, bytes('a'));
    clock = 1_999;
    await sink.append(1, bytes('b'));
    expect(syncs).toBe(0);
    clock = 2_000;
    await sink.append(2, bytes('c'));
    expect(syncs).toBe(1);
    expect(sink.lastActivity).toBe(2_000);
    await sink.close();
  });

  it('never overwrites an existing file, and discard removes its own', async () => {
    const folder = dir();
    const file = path.join(folder, 'x');
    await fs.writeFile(file, 'keep');
    await expect(ChunkSink.open(file, { what: 'the take', maxBytes: 10 })).rejects.toThrow(/Could not start a file for the take/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    const sink = await ChunkSink.open(path.join(folder, 'y'), { what: 'the take', maxBytes: 10 });
    await sink.append(0, bytes('z'));
    await sink.discard();
    expect(await fs.readdir(folder)).toEqual(['x']);
  });

  it('sweeps the leftovers of an earlier run but not a file being written', async () => {
    const folder = dir();
    await fs.writeFile(path.join(folder, '.import-old.part'), 'x');
    await fs.writeFile(path.join(folder, 'voice.webm'), 'x');
    const live = await ChunkSink.open(path.join(folder, '.import-live.part'), { what: 'the file', maxBytes: 10 });
    const removed = await sweepStaleChunks(folder, '.import-', new Set([live.file]));
    expect(removed.map((file) => path.basename(file))).toEqual(['.import-old.part']);
    expect((await fs.readdir(folder)).sort()).toEqual(['.import-live.part', 'voice.webm']);
    await live.discard();
  });
});
