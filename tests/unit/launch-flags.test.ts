/**
 * The main process's V8 flags (scripts/main-process-flags.mjs) are given at every launch of a process
 * that stands for it: V8 reads them only before it starts, so each launch repeats them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { mainV8Flags } from '../../scripts/main-process-flags.mjs';
import { repoRoot } from '../support/studio-host';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('the main process’s V8 flags', () => {
  it('are passed by every launch: the browser host, the benchmark, npm start, the tests’ hosts and the Linux package', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['studio:browser', 'bench']) {
      expect(scripts[name], name).toMatch(new RegExp(`\\btsx ${mainV8Flags.join(' ')} `));
    }
    expect(read('scripts/start-electron.mjs')).toContain("`--js-flags=${mainV8Flags.join(' ')}`");
    expect(read('tests/support/studio-host.ts')).toMatch(/process\.execPath,\s*\.\.\.mainV8Flags,/);
    const builder = load(read('electron-builder.yml')) as { linux: { executableArgs: string[] } };
    // electron-builder writes these verbatim into the desktop entry's Exec line, where a space splits arguments.
    expect(builder.linux.executableArgs).toEqual([`"--js-flags=${mainV8Flags.join(' ')}"`]);
  });

  it('are flags this Node knows (an unknown one would stop the process at launch)', () => {
    const out = execFileSync(process.execPath, [...mainV8Flags, '-e', 'process.stdout.write("started")'], { encoding: 'utf8' });
    expect(out).toBe('started');
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of mainV8Flags) expect(known).toContain(flag.replace(/^--no-/, '--').replace(/=.*/, ''));
  });
});
