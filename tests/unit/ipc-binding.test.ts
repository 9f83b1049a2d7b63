/** The Electron IPC binding, with a stand-in ipcMain: sender checks come before anything else. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type IpcBinding, bindStudioIpc } from '../../electron/ipc';
import { createLogger } from '../../electron/services/log';
import type { Dispatch } from '../../electron/studio/dispatch';
import { createDispatcher } from '../../electron/studio/dispatch';
import { ipcChannels } from '../../shared/transport';
import type { StudioHandlers } from '../../shared/contract';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const mainFrame = (url: string) => ({ senderFrame: { url, parent: null } });
const log = createLogger('test', () => undefined);
let binding: IpcBinding | null = null;

afterEach(() => {
  binding?.dispose();
  binding = null;
});

describe('IPC binding', () => {
  it('refuses calls from other origins, iframes and unknown frames without dispatching', async () => {
    const ipcMain = fakeIpcMain();
    const dispatch = vi.fn<Dispatch>();
    binding = bindStudioIpc({ ipcMain: ipcMain as never, dispatch, log });
    const call = ipcMain.handlers.get(ipcChannels.call)!;
    const untrusted = [
      mainFrame('https://evil.example/index.html'),
      mainFrame('file:///etc/passwd'),
      { senderFrame: { url: 'app://studio/index.html', parent: {} } },
      { senderFrame: null },
      {},
    ];
    for (const event of untrusted) {
      const result = await call(event, 'drafts/list', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('parses the argument of a trusted call by its schema', async () => {
    const ipcMain = fakeIpcMain();
    const list = vi.fn(async () => ({ drafts: [], problems: [] }));
    const dispatch = createDispatcher({ 'drafts/list': list } as unknown as StudioHandlers, log);
    binding = bindStudioIpc({ ipcMain: ipcMain as never, dispatch, log });
    const call = ipcMain.handlers.get(ipcChannels.call)!;
    expect(await call(mainFrame('app://studio/index.html'), 'drafts/list', { unexpected: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(list).not.toHaveBeenCalled();
    expect(await call(mainFrame('app://studio/index.html#/draft/x'), 'drafts/list', {})).toEqual({
      ok: true,
      value: { drafts: [], problems: [] },
    });
    expect(list).toHaveBeenCalledOnce();
  });

  it('can be bound only once', () => {
    const ipcMain = fakeIpcMain();
    binding = bindStudioIpc({ ipcMain: ipcMain as never, dispatch: vi.fn<Dispatch>(), log });
    expect(() => bindStudioIpc({ ipcMain: ipcMain as never, dispatch: vi.fn<Dispatch>(), log })).toThrow(/already bound/);
  });
});
