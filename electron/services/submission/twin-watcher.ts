/**
 * Follows twins' generation status on the service by polling with backoff (there is no webhook):
 * often at first, then less and less often, because a v2 twin can take hours. Stops at a final status
 * (ready, completed, failed, blocked) or when the twin is gone, and tells its subscribers each change.
 */
import { type Companion, isFailedStatus, isReadyStatus } from '../../../shared/napster';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import type { NapsterClient } from '../napster/client';

export type WatchPolicy = { initialMs: number; factor: number; maxMs: number };
export const defaultWatchPolicy: WatchPolicy = { initialMs: 5_000, factor: 1.5, maxMs: 120_000 };

export type TwinUpdate = {
  id: string;
  companion: Companion | null;
  status: string | null;
  /** No further change will come: ready to use, completed, failed, blocked, or gone. */
  final: boolean;
  ready: boolean;
  failed: boolean;
  gone: boolean;
  /** The status differs from the last one seen (the first look always counts as a change). */
  changed: boolean;
};

type Watch = { delayMs: number; timer: NodeJS.Timeout | null; lastStatus: string | null | undefined };

export class TwinWatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly listeners = new Set<(update: TwinUpdate) => void>();
  private readonly policy: WatchPolicy;
  private closed = false;

  constructor(
    private readonly deps: {
      client: Pick<NapsterClient, 'getCompanion'>;
      log: Logger;
      policy?: Partial<WatchPolicy>;
    },
  ) {
    this.policy = { ...defaultWatchPolicy, ...deps.policy };
  }

  subscribe(listener: (update: TwinUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following a twin (a second call for the same twin looks again soon, nothing more). */
  watch(id: string, options: { lastStatus?: string | null; immediately?: boolean } = {}): void {
    if (this.closed) return;
    const existing = this.watches.get(id);
    if (existing) {
      if (options.immediately) this.schedule(id, existing, 0);
      return;
    }
    const watch: Watch = { delayMs: this.policy.initialMs, timer: null, lastStatus: options.lastStatus };
    this.watches.set(id, watch);
    this.schedule(id, watch, options.immediately === false ? this.policy.initialMs : 0);
  }

  stop(id: string): void {
    const watch = this.watches.get(id);
    if (watch?.timer) clearTimeout(watch.timer);
    this.watches.delete(id);
  }

  watching(): string[] {
    return [...this.watches.keys()];
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.watches.keys()]) this.stop(id);
  }

  private schedule(id: string, watch: Watch, delayMs: number): void {
    if (watch.timer) clearTimeout(watch.timer);
    watch.timer = setTimeout(() => void this.look(id, watch), delayMs);
  }

  private publish(update: TwinUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        this.deps.log.error('twin status listener failed', error);
      }
    }
  }

  private async look(id: string, watch: Watch): Promise<void> {
    watch.timer = null;
    if (this.watches.get(id) !== watch) return;
    let companion: Companion;
    try {
      companion = await this.deps.client.getCompanion(id, { timeoutMs: 15_000 });
    } catch (error) {
      if (this.watches.get(id) !== watch) return;
      if (error instanceof StudioError && error.code === 'NOT_FOUND') {
        this.stop(id);
        this.publish({ id, companion: null, status: null, final: true, ready: false, failed: true, gone: true, changed: true });
        return;
      }
      const wait = error instanceof StudioError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : watch.delayMs;
      this.deps.log.warn('could not look at a twin, will look again', { id, code: error instanceof StudioError ? error.code : 'INTERNAL', inMs: wait });
      watch.delayMs = Math.min(this.policy.maxMs, watch.delayMs * this.policy.factor);
      this.schedule(id, watch, Math.max(wait, watch.delayMs));
      return;
    }
    if (this.watches.get(id) !== watch) return;
    const status = companion.status ?? null;
    const ready = isReadyStatus(status);
    const failed = isFailedStatus(status);
    const final = ready || failed;
    const changed = status !== watch.lastStatus;
    watch.lastStatus = status;
    if (final) this.stop(id);
    else {
      // A change means generation is moving: look again soon; otherwise less and less often.
      watch.delayMs = changed ? this.policy.initialMs : Math.min(this.policy.maxMs, watch.delayMs * this.policy.factor);
      this.schedule(id, watch, watch.delayMs);
    }
    this.publish({ id, companion, status, final, ready, failed, gone: false, changed });
  }
}
