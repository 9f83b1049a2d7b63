/** Names both transports (Electron IPC, the browser host's HTTP) agree on. */

export const ipcChannels = { call: 'studio:call', event: 'studio:event' } as const;

export const httpRoutes = {
  call: '/api/call/',
  events: '/api/events',
  media: '/media/',
} as const;

export const tokenHeader = 'x-studio-token';

/** The window global the Electron preload exposes. */
export const bridgeGlobal = 'studioBridge';

export interface StudioBridge {
  call(name: string, input: unknown): Promise<unknown>;
  on(listener: (name: string, payload: unknown) => void): () => void;
}

/** Relative URL of a draft's media file; served by `app://studio` and by the browser host alike. */
export function mediaPath(draftId: string, fileName: string): string {
  return `${httpRoutes.media}${encodeURIComponent(draftId)}/${encodeURIComponent(fileName)}`;
}
