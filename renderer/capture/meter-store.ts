/**
 * The fast-changing numbers of a capture (meter reading, elapsed time, bytes) in a store that only
 * the meters subscribe to: redrawing them many times a second must not re-render the screen around
 * them (the review, the take list, the teleprompter).
 */
import { type MeterReading, silentReading } from './audio-monitor';
import { Store, useStore } from './store';

export type MeterSnapshot = { reading: MeterReading; elapsedMs: number; bytes: number };

export class MeterStore extends Store<MeterSnapshot> {
  constructor() {
    super({ reading: silentReading, elapsedMs: 0, bytes: 0 });
  }
}

export const useMeters: (store: MeterStore) => MeterSnapshot = useStore;
