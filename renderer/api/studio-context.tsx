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

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'error'; error: StudioError };

export function asStudioError(error: unknown): StudioError {
  return error instanceof StudioError ? error : new StudioError('INTERNAL', String(error));
}

/** Runs a call, and runs it again whenever one of `refreshOn` fires (or `reload()` is called). */
export function useCall<K extends CallName>(
  name: K,
  input: CallInput<K> | null,
  refreshOn: EventName[] = [],
): Loaded<CallOutput<K>> & { reload: () => void } {
  const studio = useStudio();
  const [loaded, setLoaded] = useState<Loaded<CallOutput<K>>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(input);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    if (input === null) return;
    let live = true;
    studio.call(name, input).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: unknown) => live && setLoaded({ state: 'error', error: asStudioError(error) }),
    );
    return () => {
      live = false;
    };
    // `key` stands for `input`, compared by value rather than by identity.
  }, [studio, name, key, generation]);

  useEffect(() => {
    const offs = refreshOn.map((event) => studio.on(event, reload));
    return () => offs.forEach((off) => off());
  }, [studio, reload, refreshOn.join(',')]);

  return { ...loaded, reload };
}
