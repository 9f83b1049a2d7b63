// The media engine as the Electron build ships it: bundled to CommonJS, starting media-worker.cjs from beside itself.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/studio-host';
import { missingPrerequisite } from '../support/prerequisites';

const skip = missingPrerequisite(['ffmpeg'], 'the bundled media engine test');

describe.skipIf(skip !== null)('bundled media engine', () => {
  let dir = '';
  beforeAll(() => {
    // Inside the repository, so that the bundle finds @ffmpeg/core in node_modules as the app does.
    mkdirSync(path.join(repoRoot, 'dist'), { recursive: true });
    dir = mkdtempSync(path.join(repoRoot, 'dist', '.media-bundle-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts its workers from the bundle: probes a file, measures its sound, and measures it as a recording', async () => {
    const common: BuildOptions = {
      bundle: true,
      platform: 'node',
      format: 'cjs', // As scripts/build-electron.mjs: native and wasm packages stay outside the bundle.
      external: ['@ffmpeg/core', 'sharp'],
      logLevel: 'error',
    };
    await build({ ...common, entryPoints: [path.join(repoRoot, 'electron/services/media/worker.ts')], outfile: path.join(dir, 'media-worker.cjs') });
    await build({ ...common, entryPoints: [path.join(repoRoot, 'electron/services/media/measure-worker.ts')], outfile: path.join(dir, 'measure-worker.cjs') });
    await build({
      ...common,
      entryPoints: [path.join(repoRoot, 'electron/services/takes/live-voice-worker.ts')],
      outfile: path.join(dir, 'live-voice-worker.cjs'),
    });
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { createMediaEngine } from ${JSON.stringify(path.join(repoRoot, 'electron/services/media/engine'))};
       import { createLogger } from ${JSON.stringify(path.join(repoRoot, 'electron/services/log'))};
       import { LiveVoice } from ${JSON.stringify(path.join(repoRoot, 'electron/services/takes/live-voice'))};
       import { readFileSync } from 'node:fs';
       const log = createLogger('bundle', () => undefined);
       const engine = createMediaEngine({ log });
       (async () => {
         const info = await engine.probe(process.argv[2]);
         const measured = await engine.analyseVoice(process.argv[2]);
         const live = new LiveVoice(log);
         live.push(new Uint8Array(readFileSync(process.argv[2])));
         const recorded = await live.finish();
         process.stdout.write(JSON.stringify({ info, measuredMs: measured.durationMs, liveMs: recorded?.durationMs ?? null }));
         await engine.close();
       })();`,
    );
    await build({ ...common, entryPoints: [entry], outfile: path.join(dir, 'main.cjs'), logOverride: { 'empty-import-meta': 'silent' } });
    const sample = path.join(dir, 'tone.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=2', '-c:a', 'libopus', sample]);
    const { info, measuredMs, liveMs } = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'main.cjs'), sample], { encoding: 'utf8' }));
    expect(info).toMatchObject({ container: 'webm', audio: { codec: 'opus' } });
    expect(Math.abs(measuredMs - 2000)).toBeLessThan(30);
    expect(Math.abs(liveMs - 2000)).toBeLessThan(30);
  }, 60_000);
});
