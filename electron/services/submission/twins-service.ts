/**
 * The organisation's twins as the Twins screen shows them: the service's paged list, each twin's
 * status followed with backoff until it is ready (with an OS notification then), its preview fetched
 * by the main process (the page loads nothing remote), and agents made from ready twins. The service
 * has no call that lists agents, so the studio remembers the ones it made in `agents.json`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { draftTagKey } from '../../../shared/contract/submission';
import { type AgentSummary, type TwinPage, type TwinSummary, agentSummarySchema } from '../../../shared/contract/twins';
import { StudioError } from '../../../shared/errors';
import { type Companion, type CompanionStatus, isReadyStatus } from '../../../shared/napster';
import { writeFileAtomic } from '../files/atomic-write';
import type { Logger } from '../log';
import type { NapsterClient } from '../napster/client';
import { publicUrlProblem } from '../storage/public-check';
import type { TwinUpdate, TwinWatcher } from './twin-watcher';
import { dataFile } from '../files/data-folders';

const agentsFileSchema = z.object({ agents: z.array(agentSummarySchema).default([]) });
const maxMediaBytes = 40 * 1024 * 1024;

export type TwinsServiceDeps = {
  client: Pick<NapsterClient, 'listTwins' | 'getCompanion' | 'createAgent'>;
  watcher: TwinWatcher;
  dataDir: string;
  log: Logger;
  sandbox: boolean;
  /** Preview URLs on loopback http are fetched only in the sandbox and tests. */
  allowHttpLoopback: boolean;
  onStatus: (event: { id: string; status: string | null; name: string; final: boolean }) => void;
  onReady: (event: { id: string; name: string }) => void;
  /** An OS notification (Electron's Notification); the browser host leaves it out and the page shows one. */
  notify?: (title: string, body: string) => void;
  fetch?: typeof fetch;
  now?: () => Date;
};

function nameOf(companion: Pick<Companion, 'firstName' | 'lastName' | 'id'>): string {
  return `${companion.firstName ?? ''} ${companion.lastName ?? ''}`.trim() || companion.id;
}

export class TwinsService {
  private readonly file: string;
  private readonly notified = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly now: () => Date;

  constructor(private readonly deps: TwinsServiceDeps) {
    this.file = dataFile(deps.dataDir, 'agents');
    this.now = deps.now ?? (() => new Date());
    this.unsubscribe = deps.watcher.subscribe((update) => this.onUpdate(update));
  }

  close(): void {
    this.unsubscribe();
  }

  async list(query: { pageIndex: number; pageSize: number; search?: string; statuses?: CompanionStatus[] }): Promise<TwinPage> {
    const page = await this.deps.client.listTwins({
      pageIndex: query.pageIndex,
      pageSize: query.pageSize,
      search: query.search || undefined,
      statuses: query.statuses?.length ? query.statuses : undefined,
    });
    const agents = await this.agents();
    return {
      items: page.items.map((item) => this.summary(item, agents)),
      filteredCount: page.filteredCount,
      totalCount: page.totalCount,
      pageIndex: page.pageIndex,
      pageSize: page.pageSize || query.pageSize,
      sandbox: this.deps.sandbox,
    };
  }

  async get(id: string): Promise<TwinSummary> {
    return this.summary(await this.deps.client.getCompanion(id), await this.agents());
  }

  /** Follows the status of these twins; a twin whose status is already final is simply looked at once. */
  watch(ids: string[]): string[] {
    for (const id of ids) this.deps.watcher.watch(id);
    return this.deps.watcher.watching();
  }

  async media(id: string, kind: 'preview' | 'videoLoop'): Promise<{ contentType: string; bytes: Uint8Array<ArrayBuffer> }> {
    const companion = await this.deps.client.getCompanion(id);
    const url = kind === 'preview' ? companion.previewUrl : companion.videoLoopUrl;
    if (!url) throw new StudioError('NOT_FOUND', `This twin has no ${kind === 'preview' ? 'preview image' : 'video loop'} yet.`);
    const problem = publicUrlProblem(url, this.deps.allowHttpLoopback, 'The preview address');
    if (problem) throw new StudioError('NOT_AVAILABLE', problem);
    let response: Response;
    try {
      response = await (this.deps.fetch ?? fetch)(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
    } catch {
      throw new StudioError('NETWORK', 'The preview could not be loaded: the service’s media host cannot be reached.');
    }
    if (!response.ok) throw new StudioError('SERVICE', `The preview could not be loaded (HTTP ${response.status}).`);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxMediaBytes) throw new StudioError('MEDIA', 'The preview is too large to show here.');
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxMediaBytes) throw new StudioError('MEDIA', 'The preview is too large to show here.');
    return { contentType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim(), bytes };
  }

  async createAgent(input: { companionId: string; name: string; temperature?: number | null; instructions?: string | null }): Promise<AgentSummary> {
    const companion = await this.deps.client.getCompanion(input.companionId);
    if (!isReadyStatus(companion.status)) {
      throw new StudioError('CONFLICT', `This twin is ${companion.status ?? 'not ready'}: an agent can be made once it is readyToUse.`);
    }
    const providerSettings: { temperature?: number; instructions?: string } = {};
    if (input.temperature !== undefined && input.temperature !== null) providerSettings.temperature = input.temperature;
    if (input.instructions) providerSettings.instructions = input.instructions;
    const agent = await this.deps.client.createAgent({
      companionId: input.companionId,
      name: input.name,
      ...(Object.keys(providerSettings).length ? { providerSettings } : {}),
    });
    const summary: AgentSummary = {
      id: agent.id,
      name: agent.name ?? input.name,
      companionId: input.companionId,
      temperature: agent.providerSettings?.temperature ?? providerSettings.temperature ?? null,
      instructions: agent.providerSettings?.instructions ?? providerSettings.instructions ?? null,
      createdAt: this.now().toISOString(),
    };
    const agents = await this.agents();
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ agents: [...agents, summary] }, null, 2)}\n`);
    this.deps.log.info('agent created', { agentId: agent.id, companionId: input.companionId });
    return summary;
  }

  private summary(companion: Companion, agents: AgentSummary[]): TwinSummary {
    const draftId = companion.tags?.[draftTagKey] ?? null;
    return {
      id: companion.id,
      firstName: companion.firstName ?? '',
      lastName: companion.lastName ?? '',
      headline: companion.headline ?? null,
      status: companion.status ?? null,
      hasPreview: Boolean(companion.previewUrl),
      hasVideoLoop: Boolean(companion.videoLoopUrl),
      draftId: draftId && /^d_[a-z0-9]{10,40}$/.test(draftId) ? draftId : null,
      agents: agents.filter((agent) => agent.companionId === companion.id),
    };
  }

  private async agents(): Promise<AgentSummary[]> {
    try {
      const parsed = agentsFileSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      if (parsed.success) return parsed.data.agents;
      this.deps.log.warn('agents.json unreadable, ignoring it');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.deps.log.warn('agents.json unreadable, ignoring it');
    }
    return [];
  }

  private onUpdate(update: TwinUpdate): void {
    const name = update.companion ? nameOf(update.companion) : update.id;
    if (update.changed || update.final) this.deps.onStatus({ id: update.id, status: update.status, name, final: update.final });
    if (update.ready && update.changed && !this.notified.has(update.id)) {
      this.notified.add(update.id);
      this.deps.onReady({ id: update.id, name });
      this.deps.notify?.(`${name} is ready`, `The twin ${this.deps.sandbox ? '(sandbox) ' : ''}can now be attached to an agent.`);
    }
  }
}
