/** The takes calls at the boundary: chunks survive the browser host's JSON, and bad input never reaches the service. */
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/contract';
import { takeStreaming } from '../../shared/contract/takes';
import { decodeWire, encodeWire } from '../../shared/wire';

const ids = { draftId: 'd_0123456789abcdef0123', takeId: 't_0123456789abcdef0123' };

describe('takes contract', () => {
  it('carries a recorded chunk through the wire encoding byte for byte', () => {
    const bytes = new Uint8Array(4096).map((_, index) => (index * 31) % 256);
    const decoded = decodeWire(encodeWire({ ...ids, seq: 3, bytes }));
    const parsed = calls['takes/append'].input.parse(decoded);
    expect(parsed.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(parsed.bytes)).toEqual(Array.from(bytes));
    expect(parsed.seq).toBe(3);
  });

  it('refuses a chunk that is too large, a negative seq, a path instead of an id, and unknown keys', () => {
    const append = calls['takes/append'].input;
    expect(append.safeParse({ ...ids, seq: 0, bytes: new Uint8Array(takeStreaming.maxChunkBytes + 1) }).success).toBe(false);
    expect(append.safeParse({ ...ids, seq: -1, bytes: new Uint8Array(1) }).success).toBe(false);
    expect(append.safeParse({ ...ids, draftId: '../../etc', seq: 0, bytes: new Uint8Array(1) }).success).toBe(false);
    expect(append.safeParse({ ...ids, seq: 0, bytes: 'AAAA' }).success).toBe(false);
    expect(calls['takes/finish'].input.safeParse({ ...ids, path: '/tmp/x' }).success).toBe(false);
  });

  it('accepts a trim only when its end comes after its start', () => {
    const trim = calls['takes/trim'].input;
    expect(trim.safeParse({ ...ids, trim: { startMs: 1000, endMs: 61_000 } }).success).toBe(true);
    expect(trim.safeParse({ ...ids, trim: null }).success).toBe(true);
    expect(trim.safeParse({ ...ids, trim: { startMs: 5000, endMs: 5000 } }).success).toBe(false);
  });

  it('keeps the recorder timeslice within a second, so a crash loses at most that', () => {
    expect(takeStreaming.chunkMs).toBeLessThanOrEqual(1000);
    expect(takeStreaming.staleAfterMs).toBeGreaterThan(takeStreaming.keepAliveMs * 3);
  });
});
