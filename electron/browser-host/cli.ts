/**
 * `npm run studio:browser -- [--port P] [--data-dir DIR] [--api-base-url URL] [--sandbox]`: starts the browser
 * host and prints one line, `Twin Studio: http://127.0.0.1:P/?token=T`. Logs go to stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkCredentialUrl } from '../../shared/credential-url';
import { createLogger } from '../services/log';
import { createStudio } from '../studio/compose';
import { closeWithin } from '../studio/shutdown';
import { startBrowserHost } from './server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The same folder Electron's `app.getPath('userData')` gives, so both hosts see the same drafts. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Twin Studio');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Twin Studio');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Twin Studio');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'api-base-url': { type: 'string' },
      'static-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run studio:browser -- [--port P] [--data-dir DIR] [--api-base-url URL] [--sandbox]\n');
    return;
  }
  // Refused before anything starts: the key would otherwise go to this address on the first call.
  const apiBaseUrl = values['api-base-url'];
  if (apiBaseUrl !== undefined) {
    const checked = checkCredentialUrl(apiBaseUrl, 'api');
    if (!checked.ok) {
      process.stderr.write(`--api-base-url: ${checked.reason}\n`);
      process.exit(2);
    }
  }
  const log = createLogger('browser-host');
  const staticDir = path.resolve(values['static-dir'] ?? path.join(repoRoot, 'dist', 'renderer'));
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    process.stderr.write(`The renderer is not built (${staticDir} has no index.html). Run: npm run build:renderer\n`);
    process.exit(1);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, not "${values.port}".\n`);
    process.exit(2);
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const host = await startBrowserHost({
    port,
    staticDir,
    log,
    createStudio: (emit) =>
      createStudio({
        host: 'browser',
        dataDir,
        version,
        emit,
        log: log.child('studio'),
        settingsOverrides: apiBaseUrl ? { apiBaseUrl: apiBaseUrl.trim() } : {},
        // Left out without the flag, so the Settings switch decides (see electron/services/sandbox).
        sandbox: values.sandbox ? true : undefined,
      }),
  });
  process.stdout.write(`Twin Studio: ${host.url}\n`);
  log.info('serving', { dataDir });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal (Ctrl+C pressed again) means "now": state on disk is already safe.
    if (stopping) process.exit(130);
    stopping = true;
    log.info('stopping', { signal });
    void closeWithin(() => host.close(), log).then((outcome) => process.exit(outcome === 'closed' ? 0 : 1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') process.stderr.write('That port is already in use: choose another with --port, or leave it out for a free one.\n');
  else process.stderr.write(`Twin Studio could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
