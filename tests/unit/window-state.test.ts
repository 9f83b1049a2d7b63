/** Window placement is restored only where a display can still show it. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, fitToDisplays, loadWindowState, saveWindowState } from '../../electron/services/window-state';

describe('window state', () => {
  const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }];

  it('keeps a position that is on a display', () => {
    const state = { x: 100, y: 80, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, laptop)).toEqual(state);
  });

  it('drops a position left on an unplugged monitor', () => {
    const state = { x: 2500, y: 100, width: 1200, height: 800, maximized: true };
    expect(fitToDisplays(state, laptop)).toEqual({ width: 1200, height: 800, maximized: true });
  });

  it('round-trips through the data folder and survives a damaged file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
    expect(await loadWindowState(dir)).toEqual(defaultWindowState);
    await saveWindowState(dir, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(await loadWindowState(dir)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
