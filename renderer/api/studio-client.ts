/**
 * The renderer's one way to the main process: a StudioClient typed from the contract, over the
 * Electron preload's bridge when there is one, otherwise over the browser host's HTTP API.
 */
import type { CallName, EventName, StudioClient } from '../../shared/contract';
import { StudioError, type WireResult } from '../../shared/errors';
import { type StudioBridge, bridgeGlobal, httpRoutes, tokenHeader } from '../../shared/transport';
import { decodeWire, encodeWire } from '../../shared/wire';

type Listener = (payload: unknown) => void;

function unwrap(result: WireResult<unknown>): unknown {
  if (result.ok) return result.value;
  throw StudioError.fromWire(result.error);
}

/** Fans one stream of events out to listeners by name. */
class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  dispatch(name: string, payload: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }

  add(name: string, listener: Listener): () => void {
    const set = this.listeners.get(name) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(name, set);
    return () => set.delete(listener);
  }
}

function bridgeClient(bridge: StudioBridge): StudioClient {
  const hub = new EventHub();
  bridge.on((name, payload) => hub.dispatch(name, payload));
  return {
    call: async (name, input) => unwrap((await bridge.call(name, input)) as WireResult<unknown>) as never,
    on: (name, listener) => hub.add(name, listener as Listener),
  };
}

const tokenKey = 'twin-studio-token';

/** Takes the launch token out of the address bar (so it is not bookmarked or shared) and keeps it for this tab. */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(tokenKey) ?? '';
}

async function readEvents(token: string, hub: EventHub): Promise<void> {
  const response = await fetch(httpRoutes.events, { headers: { [tokenHeader]: token } });
  if (!response.ok || !response.body) throw new Error(`event stream refused (${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (!data) continue;
      const { name, payload } = decodeWire(data) as { name: string; payload: unknown };
      hub.dispatch(name, payload);
    }
  }
}

function httpClient(): StudioClient {
  const token = takeToken();
  const hub = new EventHub();
  const connect = (attempt: number) => {
    readEvents(token, hub)
      .then(() => connect(0))
      .catch(() => window.setTimeout(() => connect(attempt + 1), Math.min(10_000, 500 * 2 ** attempt)));
  };
  connect(0);
  return {
    call: async (name, input) => {
      let response: Response;
      try {
        response = await fetch(`${httpRoutes.call}${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [tokenHeader]: token },
          body: encodeWire(input ?? {}),
        });
      } catch {
        throw new StudioError('NETWORK', 'The studio host is not answering. Is it still running?');
      }
      const text = await response.text();
      let result: WireResult<unknown>;
      try {
        result = decodeWire(text) as WireResult<unknown>;
      } catch {
        throw new StudioError('INTERNAL', `The studio host answered ${response.status} with something unreadable.`);
      }
      return unwrap(result) as never;
    },
    on: (name, listener) => hub.add(name, listener as Listener),
  };
}

export function createStudioClient(): StudioClient {
  const bridge = (window as unknown as Record<string, StudioBridge | undefined>)[bridgeGlobal];
  return bridge ? bridgeClient(bridge) : httpClient();
}

export type { CallName, EventName, StudioClient };
