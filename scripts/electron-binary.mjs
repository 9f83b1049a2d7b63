// Finds the Electron executable without `require('electron')`, which would start a noisy download.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The executable's path, or null with the reason it is missing. */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const candidate = relative ? path.join(distDir, relative) : null;
  if (candidate && existsSync(candidate)) return { path: candidate, reason: null };
  return { path: null, reason: "Electron's binary has not been downloaded and no download host is reachable" };
}

/** Tries Electron's own installer once, quietly; true when the binary is then present. */
export function tryDownloadElectron() {
  let installer;
  try {
    installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return false;
  }
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 120_000 });
  return result.status === 0 && findElectronBinary().path !== null;
}
