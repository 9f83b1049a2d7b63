/** Settings in the data folder (settings.json); a damaged file falls back to defaults and is kept aside. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Settings, settingsSchema } from '../../../shared/settings';
import type { Logger } from '../log';
import { writeFileAtomic } from '../files/atomic-write';
import { dataFile } from '../files/data-folders';

export class SettingsStore {
  private readonly file: string;
  private cached: Settings | null = null;

  constructor(
    dataDir: string,
    private readonly log: Logger,
    /** Values given on the command line win over the file for this launch (and are then saved). */
    private readonly overrides: Partial<Settings> = {},
  ) {
    this.file = dataFile(dataDir, 'settings');
  }

  async get(): Promise<Settings> {
    if (this.cached) return this.cached;
    let stored: unknown = {};
    try {
      stored = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const aside = `${this.file}.corrupt-${Date.now()}`;
        await fs.rename(this.file, aside).catch(() => undefined);
        this.log.warn('settings unreadable, using defaults', { keptAs: aside });
      }
    }
    const parsed = settingsSchema.safeParse({ ...(stored as object), ...this.overrides });
    this.cached = parsed.success ? parsed.data : settingsSchema.parse(this.overrides);
    return this.cached;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.cached = next;
    return next;
  }
}
