/**
 * Binds the StudioApi to Electron IPC: one channel, generic over the contract. Every call is checked
 * for its sender (the app's own top-level frame) before the dispatcher parses its argument.
 * Only types come from `electron`, so the binding is unit-tested with a stand-in ipcMain.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { WireResult } from '../shared/errors';
import { ipcChannels } from '../shared/transport';
import { appOrigin, isTrustedSender } from './security/policy';
import type { Logger } from './services/log';
import type { Dispatch } from './studio/dispatch';

export type IpcBinding = { dispose(): void };

let bound = false;

export function bindStudioIpc(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  log: Logger;
  ownOrigin?: string;
}): IpcBinding {
  if (bound) throw new Error('The StudioApi is already bound to IPC.');
  bound = true;
  const ownOrigin = options.ownOrigin ?? appOrigin;
  options.ipcMain.handle(ipcChannels.call, async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<WireResult<unknown>> => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null, ownOrigin);
    if (!trusted) {
      options.log.warn('refused a call from an untrusted frame', { name: String(name), url: frame?.url });
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the studio’s own window.' } };
    }
    return options.dispatch(name, input);
  });
  return {
    dispose: () => {
      options.ipcMain.removeHandler(ipcChannels.call);
      bound = false;
    },
  };
}
