// `npm start`: builds the studio and starts it in Electron, or says in one line why it cannot here.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary, tryDownloadElectron } from './electron-binary.mjs';
import { mainV8Flags } from './main-process-flags.mjs';

let binary = findElectronBinary().path;
if (!binary && tryDownloadElectron()) binary = findElectronBinary().path;
if (!binary) {
  console.error(
    "Twin Studio cannot start as a desktop app here: Electron's binary could not be downloaded (no network to its download host). " +
      'Run it in your browser instead: npm run studio:browser',
  );
  process.exit(1);
}
const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const child = spawn(binary, [`--js-flags=${mainV8Flags.join(' ')}`, '.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
