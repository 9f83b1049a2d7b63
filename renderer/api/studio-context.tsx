/** React access to the StudioClient, plus a hook that keeps a call's result fresh when events say so. */
import { type ReactNode, createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { CallInput, CallName, CallOutput, EventName, StudioClient } from '../../shared/contract';
import { StudioError } from '../../shared/errors';

const StudioContext = createContext<StudioClient | null>(null);

export function StudioProvider({ client, children }: { client: StudioClient; children: ReactNode }) {
  return <StudioContext.Provider value={client}>{children}</StudioContext.Provider>;
}

export function useStudio(): StudioClient {
  const client = useContext(StudioContext);
  if (!client) throw new Error('useStudio outside StudioProvider');
  return client;
}

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: StudioError };

export function asStudioError(error: unknown): StudioError {
  return error instanceof StudioError ? error : new StudioError('INTERNAL', messageOf(error));
}

/** A media element's failure in words (MediaError carries a code and often an empty message). */
const mediaErrorWords: Record<number, string> = {
  1: 'playback was stopped before the file was read',
  2: 'the file could not be read from the studio',
  3: 'this browser could not decode it',
  4: 'this browser cannot play this kind of file',
};

/**
 * What to tell the person about a failure, whatever was thrown: the studio's message, the browser's
 * own words (a device, a format), a media element's error in words; never "[object …]" or a stack.
 */
export function messageOf(error: unknown): string {
  if (typeof MediaError !== 'undefined' && error instanceof MediaError) return mediaErrorWords[error.code] ?? 'this browser could not play it';
  if (error instanceof Error) return error.message || `${error.name} (no details were given)`;
  if (typeof error === 'string' && error.trim()) return error;
  if (typeof Event !== 'undefined' && error instanceof Event) {
    const target = error.target as { error?: unknown } | null;
    return target?.error ? messageOf(target.error) : `the browser reported “${error.type}” with no details`;
  }
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' && error.message) return error.message;
  return 'an unexpected problem with no details';
}

/** Runs a piece of work (usually one call) for a button, keeping the failure's message to show beside it. */
export function useAct(): { error: string | null; act: (work: () => Promise<unknown>) => Promise<void> } {
  const [error, setError] = useState<string | null>(null);
  const act = useCallback(async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, []);
  return { error, act };
}

/** Runs a call, and runs it again whenever one of `refreshOn` fires (or `reload()` is called). */
export function useCall<K extends CallName>(name: K, input: CallInput<K> | null, refreshOn: EventName[] = []): Loaded<CallOutput<K>> & { reload: () => void } {
  const studio = useStudio();
  const [loaded, setLoaded] = useState<Loaded<CallOutput<K>>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  // The input and the events by value: a caller's fresh object literal every render is the same call.
  const request = JSON.stringify(input);
  const events = refreshOn.join(',');
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    const sent = JSON.parse(request) as CallInput<K> | null;
    if (sent === null) return;
    let live = true;
    studio.call(name, sent).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: unknown) => live && setLoaded({ state: 'error', error: asStudioError(error) }),
    );
    return () => {
      live = false;
    };
  }, [studio, name, request, generation]);

  useEffect(() => {
    const offs = events
      .split(',')
      .filter(Boolean)
      .map((event) => studio.on(event as EventName, reload));
    return () => offs.forEach((off) => off());
  }, [studio, reload, events]);

  return { ...loaded, reload };
}
