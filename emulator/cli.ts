/**
 * `npm run emulator -- --port P --api-key K [--consent off] [--v2 off] [--tags off] [--allow-http-media]
 * [--generation-seconds N] [--data-dir DIR]`: serves the emulated Napster API until stopped. Prints one line,
 * `Emulator: http://127.0.0.1:P`; its log goes to stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

const usage = `Usage: npm run emulator -- --port P --api-key K [--consent on|off] [--v2 on|off] [--tags on|off]
                            [--allow-http-media] [--generation-seconds N] [--data-dir DIR] [--rate-limit N/S]
  --port P                 port on 127.0.0.1 (0 or absent: a free one)
  --api-key K              the key clients must send as X-Api-Key (or set NAPSTER_EMULATOR_API_KEY)
  --consent off            the organisation has not enabled digital twins: creates fail with DigitalTwinConsentRequired
  --v2 off                 v2 avatars are not enabled for the organisation: v2 creates fail with CompanionV2NotEnabled
  --tags off               twins are listed and fetched without their tags, and the tags filter is ignored
  --allow-http-media       accept http:// media URLs on loopback hosts (for local tests); otherwise HTTPS only
  --generation-seconds N   how long a new twin stays pending (default 30)
  --data-dir DIR           keep twins and agents in DIR/emulator-state.json across restarts
  --rate-limit N/S         at most N requests every S seconds, then 429 with Retry-After (default 120/60; 0 for none)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}`);
  process.exit(2);
}

function number(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) fail(`--${name} must be a number from ${min} to ${max}, not "${raw}".`);
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'api-key': { type: 'string' },
        consent: { type: 'string' },
        v2: { type: 'string' },
        tags: { type: 'string' },
        'allow-http-media': { type: 'boolean' },
        'generation-seconds': { type: 'string' },
        'data-dir': { type: 'string' },
        'rate-limit': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const apiKey = values['api-key'] ?? process.env.NAPSTER_EMULATOR_API_KEY;
  if (!apiKey) fail('--api-key is required: it is the key the studio must send.');
  for (const name of ['consent', 'v2', 'tags'] as const) {
    const value = values[name];
    if (value !== undefined && value !== 'on' && value !== 'off') fail(`--${name} is "on" or "off", not "${value}".`);
  }
  let rateLimit: { requests: number; windowSeconds: number } | null | undefined;
  if (values['rate-limit'] !== undefined) {
    const match = /^(\d+)(?:\/(\d+))?$/.exec(values['rate-limit']);
    if (!match) fail('--rate-limit is written N/S, e.g. 60/60.');
    rateLimit = Number(match[1]) === 0 ? null : { requests: Number(match[1]), windowSeconds: Number(match[2] ?? 60) };
  }
  const emulator = await startEmulator({
    apiKey,
    port: number('port', values.port, 0, 65535) ?? 0,
    consent: values.consent !== 'off',
    v2: values.v2 !== 'off',
    showTags: values.tags !== 'off',
    allowHttpMedia: values['allow-http-media'] ?? false,
    generationSeconds: number('generation-seconds', values['generation-seconds'], 0, 7 * 24 * 3600),
    dataDir: values['data-dir'] ? path.resolve(values['data-dir']) : undefined,
    rateLimit,
    log: (line) => process.stderr.write(`${new Date().toISOString()} [emulator] ${line}\n`),
  });
  process.stdout.write(`Emulator: ${emulator.url}\n`);
  const stop = () => {
    void emulator.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') process.stderr.write('That port is already in use: choose another with --port.\n');
  else process.stderr.write(`The emulator could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
