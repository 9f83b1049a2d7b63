/**
 * `npm run bench`: runs the benchmarks in scripts/bench/registry.ts and prints their figures, as a
 * table or, with `--json`, as exactly one JSON object on stdout with one key per benchmark.
 * `--only a,b` runs some of them. Notes go to stderr.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../electron/services/log';
import { benchmarks } from './bench/registry';
import type { BenchContext, Figures } from './bench/types';

function parseArgs(argv: string[]): { json: boolean; only: string[] | null } {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : null;
  return { json: argv.includes('--json'), only };
}

function table(results: Record<string, Figures>): string {
  const lines: string[] = [];
  for (const [key, figures] of Object.entries(results)) {
    lines.push(key);
    for (const [name, value] of Object.entries(figures)) lines.push(`  ${name.padEnd(18)} ${value === null ? '—' : String(value)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { json, only } = parseArgs(process.argv.slice(2));
  const unknown = (only ?? []).filter((key) => !benchmarks.some((benchmark) => benchmark.key === key));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.key).join(', ')}`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'twin-studio-bench-'));
  const cacheDir = path.join(tmpdir(), 'twin-studio-bench-inputs');
  mkdirSync(cacheDir, { recursive: true });
  const context: BenchContext = {
    workDir,
    cacheDir,
    note: (message) => process.stderr.write(`bench: ${message}\n`),
    quiet: createLogger('bench', () => undefined),
  };
  const results: Record<string, Figures> = {};
  try {
    for (const benchmark of benchmarks) {
      if (only && !only.includes(benchmark.key)) continue;
      context.note(`${benchmark.key} — ${benchmark.description}`);
      try {
        results[benchmark.key] = await benchmark.run(context);
      } catch (error) {
        // One failing benchmark is reported in its own key; the others still run.
        results[benchmark.key] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(json ? `${JSON.stringify(results)}\n` : `${table(results)}\n`);
  if (Object.values(results).some((figures) => 'error' in figures)) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
