/**
 * The fast-changing numbers of a capture (meter reading, elapsed time, bytes) in a tiny store that
 * only the meters subscribe to: redrawing them 20 times a second must not re-render the screen
 * around them (the review, the take list, the teleprompter).
 */
import { useSyncExternalStore } from 'react';
import { type MeterReading, silentReading } from './audio-monitor';

export type MeterSnapshot = { reading: MeterReading; elapsedMs: number; bytes: number };

export class MeterStore {
  private snapshot: MeterSnapshot = { reading: silentReading, elapsedMs: 0, bytes: 0 };
  private readonly listeners = new Set<() => void>();

  get = (): MeterSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(change: Partial<MeterSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}

export function useMeters(store: MeterStore): MeterSnapshot {
  return useSyncExternalStore(store.subscribe, store.get);
}
