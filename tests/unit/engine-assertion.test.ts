/**
 * A run that stops on one of ffmpeg's internal assertions or traps (state leaked inside the wasm
 * core) is run once more on a fresh worker; a second failure stands. The worker here is a stand-in speaking the
 * media worker's protocol, since no input makes the real core assert on demand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/services/log';
import { WasmRunner, engineFailure, internalAssertion } from '../../electron/services/media/runner';

const dir = mkdtempSync(path.join(tmpdir(), 'engine-assertion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker that answers `ready`, then each run from a script of exit codes shared by every worker it is started as. */
function standIn(codes: (number | 'trap')[]): { entry: { file: string; eval: boolean }; started: () => number } {
  const script = path.join(dir, `codes-${codes.join('-')}.json`);
  writeFileSync(script, JSON.stringify({ codes, started: 0 }));
  const file = path.join(dir, `worker-${codes.join('-')}.cjs`);
  writeFileSync(
    file,
    `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const state = JSON.parse(fs.readFileSync(${JSON.stringify(script)}, 'utf8'));
state.started += 1;
fs.writeFileSync(${JSON.stringify(script)}, JSON.stringify(state));
parentPort.on('message', (request) => {
  const current = JSON.parse(fs.readFileSync(${JSON.stringify(script)}, 'utf8'));
  const exitCode = current.codes.shift() ?? 0;
  fs.writeFileSync(${JSON.stringify(script)}, JSON.stringify(current));
  if (exitCode === 'trap') return parentPort.postMessage({ type: 'failed', id: request.id, message: 'memory access out of bounds', fatal: true });
  const log = exitCode === 0 ? [] : ['Assertion pool->type == AVMEDIA_TYPE_AUDIO failed at libavfilter/framepool.c:180', 'Aborted()'];
  parentPort.postMessage({ type: 'done', id: request.id, exitCode, stdout: '', log, data: {}, heapBytes: 0 });
});
parentPort.postMessage({ type: 'ready', loadMs: 1 });
`,
  );
  return { entry: { file, eval: false }, started: () => (JSON.parse(readFileSync(script, 'utf8')) as { started: number }).started };
}

const spec = { program: 'ffmpeg' as const, args: ['-i', '/in/input', '/out/preview'], inputs: [], outputs: [] };

describe('an internal assertion in the media engine', () => {
  it('is told from ffmpeg’s log', () => {
    expect(internalAssertion(['Assertion pool->type == AVMEDIA_TYPE_AUDIO failed at libavfilter/framepool.c:180', 'Aborted()'])).toBe(true);
    expect(internalAssertion(['moov atom not found', 'Invalid data found when processing input'])).toBe(false);
  });

  it('runs the command again once, on a fresh worker', async () => {
    const lines: string[] = [];
    const worker = standIn([-1, 0]);
    const runner = new WasmRunner(
      createLogger('assertion-test', (line) => lines.push(line)),
      { entry: worker.entry },
    );
    try {
      const result = await runner.run(spec);
      expect(result.exitCode).toBe(0);
      expect(worker.started()).toBe(2);
      expect(lines.join('\n')).toMatch(/running the command again on a fresh worker.*Assertion .* failed at/);
    } finally {
      await runner.close();
    }
  });

  it('lets a second failure stand', async () => {
    const worker = standIn([-1, -1, 0]);
    const runner = new WasmRunner(
      createLogger('assertion-test', () => undefined),
      { entry: worker.entry },
    );
    try {
      const result = await runner.run(spec);
      expect(result.exitCode).toBe(-1);
      expect(worker.started()).toBe(2);
    } finally {
      await runner.close();
    }
  });

  it('runs a command that trapped again once, and then says so in plain words', async () => {
    const lines: string[] = [];
    const worker = standIn(['trap', 0]);
    const runner = new WasmRunner(
      createLogger('assertion-test', (line) => lines.push(line)),
      { entry: worker.entry },
    );
    try {
      expect((await runner.run(spec)).exitCode).toBe(0);
      expect(worker.started()).toBe(2);
      expect(lines.join('\n')).toMatch(/memory access out of bounds[\s\S]*running the command again on a fresh worker/);
    } finally {
      await runner.close();
    }
    const twice = standIn(['trap', 'trap', 0]);
    const again = new WasmRunner(
      createLogger('assertion-test', () => undefined),
      { entry: twice.entry },
    );
    try {
      await expect(again.run(spec)).rejects.toThrow(engineFailure);
    } finally {
      await again.close();
    }
  });
});
