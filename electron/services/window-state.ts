/** Remembers where the main window was, and puts it back only where a display still shows it. */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './files/atomic-write';
import { dataFile } from './files/data-folders';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(10000),
  height: z.number().int().min(480).max(10000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;
export type Rect = { x: number; y: number; width: number; height: number };

export const defaultWindowState: WindowState = { width: 1280, height: 820, maximized: false };

/** Drops the position when no display's work area holds the window's title bar any more. */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = workAreas.some((area) => x + 100 > area.x && x < area.x + area.width - 100 && y >= area.y && y < area.y + area.height - 50);
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}

export async function loadWindowState(dataDir: string): Promise<WindowState> {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(await fs.readFile(dataFile(dataDir, 'windowState'), 'utf8')));
    return parsed.success ? parsed.data : defaultWindowState;
  } catch {
    return defaultWindowState;
  }
}

export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(dataFile(dataDir, 'windowState'), JSON.stringify(windowStateSchema.parse(state)));
}
