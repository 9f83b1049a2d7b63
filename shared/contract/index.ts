/**
 * The StudioApi: every call the renderer can make and every event it can receive. Both transports
 * (Electron IPC, the browser host's HTTP) and the typed client are generic over these two tables,
 * so a new call is one entry in a feature's table and one handler in the main process.
 */
import type { z } from 'zod';
import { cameraCalls, cameraEvents } from './camera';
import { reviewCalls, reviewEvents } from './review';
import { draftCalls, draftEvents } from './drafts';
import { libraryCalls, libraryEvents } from './library';
import { mediaCalls, mediaEvents } from './media';
import { sandboxCalls, sandboxEvents } from './sandbox';
import { serviceCalls, serviceEvents } from './service';
import { storageCalls, storageEvents } from './storage';
import { submissionCalls, submissionEvents } from './submission';
import { systemCalls, systemEvents } from './system';
import { takeCalls, takeEvents } from './takes';
import { twinsCalls, twinsEvents } from './twins';

export const calls = {
  ...systemCalls,
  ...draftCalls,
  ...mediaCalls,
  ...serviceCalls,
  ...storageCalls,
  ...submissionCalls,
  ...twinsCalls,
  ...sandboxCalls,
  ...takeCalls,
  ...cameraCalls,
  ...libraryCalls,
  ...reviewCalls,
};

export const events = {
  ...systemEvents,
  ...draftEvents,
  ...mediaEvents,
  ...serviceEvents,
  ...storageEvents,
  ...submissionEvents,
  ...twinsEvents,
  ...sandboxEvents,
  ...takeEvents,
  ...cameraEvents,
  ...libraryEvents,
  ...reviewEvents,
};

export type Calls = typeof calls;
export type Events = typeof events;
export type CallName = keyof Calls;
export type EventName = keyof Events;

/** What the renderer passes (defaults not yet applied). */
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
/** What the renderer receives. */
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** The main-process side: one handler per call, receiving the parsed input. */
export type StudioHandlers = {
  [K in CallName]: (input: z.output<Calls[K]['input']>) => Promise<z.input<Calls[K]['output']>>;
};

/** The renderer side, the same for either transport. */
export interface StudioClient {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}

export type EventSink = <K extends EventName>(name: K, payload: EventPayload<K>) => void;
