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
  return error instanceof StudioError ? error : new StudioError('INTERNAL', String(error));
}

/** What to tell the person about a failure: the studio's message, or the browser's own words (a device, a format). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
