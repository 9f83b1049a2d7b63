/** Crash-safe file writes: a reader sees the old content or the new, never half of either. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

/** Maps the file-system errors a person can do something about to studio errors. */
export function fileSystemError(error: unknown, what: string): StudioError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StudioError('DISK_FULL', `The disk is full: could not ${what}. Free some space and try again; nothing was lost.`);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StudioError('IO', `The studio is not allowed to ${what} (${code}). Check the data folder's permissions.`);
  }
  if (code === 'ENOENT') return new StudioError('NOT_FOUND', `Could not ${what}: the file is gone.`);
  return new StudioError('IO', `Could not ${what} (${code ?? 'unknown error'}).`);
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; the rename is durable enough there.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    await fsyncDirectory(dir);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw fileSystemError(error, `save ${path.basename(target)}`);
  }
}
