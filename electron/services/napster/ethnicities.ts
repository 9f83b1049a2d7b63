/**
 * The service's list of ethnicity values, kept on disk with the time it was fetched so the Person
 * form works offline and does not ask the service on every visit.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Ethnicities } from '../../../shared/contract/service';
import { StudioError } from '../../../shared/errors';
import { writeFileAtomic } from '../files/atomic-write';
import type { Logger } from '../log';
import type { NapsterClient } from './client';

/** A list younger than this is served from the cache without asking the service. */
export const ethnicitiesMaxAgeMs = 24 * 60 * 60 * 1000;

const cacheFileSchema = z.object({
  /** By API base URL: staging and production may list different values. */
  entries: z.record(z.string(), z.object({ values: z.array(z.string()), fetchedAt: z.string() })).default({}),
});
type CacheFile = z.infer<typeof cacheFileSchema>;

export type EthnicitiesDeps = {
  client: Pick<NapsterClient, 'ethnicities'>;
  /** Whether a key is set: without one the service is not asked at all. */
  hasApiKey: () => Promise<boolean>;
  baseUrl: () => Promise<string>;
  /** The cache file, e.g. `<data>/cache/ethnicities.json`. */
  file: string;
  log: Logger;
  now?: () => Date;
};

export class EthnicityService {
  private readonly now: () => Date;

  constructor(private readonly deps: EthnicitiesDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async get({ refresh = false }: { refresh?: boolean } = {}): Promise<Ethnicities> {
    const baseUrl = await this.deps.baseUrl();
    const cached = (await this.readCache()).entries[baseUrl];
    const age = cached ? this.now().getTime() - Date.parse(cached.fetchedAt) : Infinity;
    if (cached && !refresh && age >= 0 && age < ethnicitiesMaxAgeMs) {
      return { values: cached.values, fetchedAt: cached.fetchedAt, source: 'cache', notice: null };
    }
    if (!(await this.deps.hasApiKey())) {
      if (cached) return { ...cached, source: 'cache', notice: 'Set the API key in Settings to refresh this list.' };
      throw new StudioError('UNAUTHORIZED', 'Set the API key in Settings to load the list of ethnicities from the service.');
    }
    try {
      const values = await this.deps.client.ethnicities({ timeoutMs: 10_000 });
      const fetchedAt = this.now().toISOString();
      await this.writeCache(baseUrl, { values, fetchedAt });
      return { values, fetchedAt, source: 'service', notice: null };
    } catch (error) {
      if (!cached || !(error instanceof StudioError)) throw error;
      this.deps.log.warn('ethnicities not refreshed, using the cached list', { code: error.code });
      return { ...cached, source: 'cache', notice: `The list could not be refreshed: ${error.message}` };
    }
  }

  private async readCache(): Promise<CacheFile> {
    try {
      const parsed = cacheFileSchema.safeParse(JSON.parse(await fs.readFile(this.deps.file, 'utf8')));
      if (parsed.success) return parsed.data;
      this.deps.log.warn('ethnicities cache unreadable, ignoring it');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.deps.log.warn('ethnicities cache unreadable, ignoring it');
    }
    return { entries: {} };
  }

  private async writeCache(baseUrl: string, entry: { values: string[]; fetchedAt: string }): Promise<void> {
    const current = await this.readCache();
    current.entries[baseUrl] = entry;
    await fs.mkdir(path.dirname(this.deps.file), { recursive: true });
    await writeFileAtomic(this.deps.file, `${JSON.stringify(current, null, 2)}\n`);
  }
}
