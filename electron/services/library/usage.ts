/** How much space the data folder takes, by what it holds, and how much the disk has left. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StorageUsage } from '../../../shared/contract/library';
import { dataFolders } from '../files/data-folders';

/** Bytes of every file under `folder` (symbolic links are not followed); 0 when it does not exist. */
export async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile())
      total += await fs.lstat(full).then(
        (stat) => stat.size,
        () => 0,
      );
  }
  return total;
}

export async function freeBytes(folder: string): Promise<number | null> {
  try {
    const stat = await fs.statfs(folder);
    return stat.bavail * stat.bsize;
  } catch {
    return null;
  }
}

export async function storageUsage(dataDir: string): Promise<StorageUsage> {
  const [totalBytes, draftsBytes, trashBytes, exportsBytes, receiptsBytes, free] = await Promise.all([
    folderBytes(dataDir),
    folderBytes(path.join(dataDir, dataFolders.drafts)),
    folderBytes(path.join(dataDir, dataFolders.trash)),
    folderBytes(path.join(dataDir, dataFolders.exports)),
    folderBytes(path.join(dataDir, dataFolders.receipts)),
    freeBytes(dataDir),
  ]);
  return {
    dataDir,
    totalBytes,
    draftsBytes,
    trashBytes,
    exportsBytes,
    receiptsBytes,
    otherBytes: Math.max(0, totalBytes - draftsBytes - trashBytes - exportsBytes - receiptsBytes),
    freeBytes: free,
    exportsFolder: path.join(dataDir, dataFolders.exports),
    receiptsFolder: path.join(dataDir, dataFolders.receipts),
  };
}
