/**
 * State kept in one place that both React and plain callbacks read: a snapshot that a callback reads
 * as it is now (not as it was when the callback was made) and that components render through
 * useStore. A recorder's phase lives here once, rather than in a ref for the callbacks and again in
 * React state for the screen; fast numbers (meters) live here so they re-render only their readers.
 */
import { useSyncExternalStore } from 'react';

export class Store<T extends object> {
  private snapshot: T;
  private readonly listeners = new Set<() => void>();

  constructor(initial: T) {
    this.snapshot = initial;
  }

  get = (): T => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(change: Partial<T>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}

export function useStore<T extends object>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
