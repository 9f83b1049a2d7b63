/** The dispatcher: the single door both transports go through. */
import { describe, expect, it, vi } from 'vitest';
import type { StudioHandlers } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import { createLogger } from '../../electron/services/log';
import { createDispatcher } from '../../electron/studio/dispatch';

const lines: string[] = [];
const log = createLogger('test', (line) => lines.push(line));

function handlersWith(overrides: Partial<StudioHandlers>): StudioHandlers {
  return new Proxy(overrides as StudioHandlers, {
    get: (target, name: string) =>
      (target as Record<string, unknown>)[name] ??
      (async () => {
        throw new Error(`unexpected ${name}`);
      }),
  });
}

describe('dispatcher', () => {
  it('refuses a call name that is not in the contract', async () => {
    const dispatch = createDispatcher(handlersWith({}), log);
    for (const name of ['nope', '__proto__', 'constructor', 42, null]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
  });

  it('rejects a bad argument with a schema error before the handler runs', async () => {
    const get = vi.fn();
    const dispatch = createDispatcher(handlersWith({ 'drafts/get': get }), log);
    const result = await dispatch('drafts/get', { id: '../../etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { id: expect.any(String) } } });
    expect(get).not.toHaveBeenCalled();
    const extraKey = await dispatch('drafts/get', { id: 'd_0123456789abcdef', path: '/etc' });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(get).not.toHaveBeenCalled();
  });

  it('passes a StudioError through as plain data', async () => {
    const dispatch = createDispatcher(
      handlersWith({
        'drafts/get': async () => {
          throw new StudioError('NOT_FOUND', 'This draft no longer exists.');
        },
      }),
      log,
    );
    expect(await dispatch('drafts/get', { id: 'd_0123456789abcdef' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This draft no longer exists.' },
    });
  });

  it('hides the details of an unexpected crash from the caller but logs them', async () => {
    const dispatch = createDispatcher(
      handlersWith({
        'drafts/list': async () => {
          throw new Error('ENOENT /home/secret/path');
        },
      }),
      log,
    );
    const result = await dispatch('drafts/list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('/home/secret');
    expect(lines.join('\n')).toContain('ENOENT /home/secret/path');
  });

  it('strips fields the contract does not name from an answer', async () => {
    const dispatch = createDispatcher(
      handlersWith({
        'system/info': async () => ({ appName: 'Twin Studio', version: '1', host: 'browser', platform: 'linux', dataDir: '/d', apiKey: 'sk-secret' }) as never,
      }),
      log,
    );
    const result = await dispatch('system/info', {});
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('sk-secret');
  });
});
