/**
 * How a host ends: one close function, bounded in time. The browser host's SIGINT/SIGTERM and
 * Electron's `before-quit` both come here, so a quit behaves the same whichever host runs.
 */
import type { Logger } from '../services/log';

/**
 * The longest a quit may take before the host exits anyway (ms). A person who quits expects the
 * window gone at once; the issue that set it asks for an exit within 5 s whatever is connected,
 * and this leaves a margin for the process itself to unwind.
 */
export const shutdownDeadlineMs = 4_000;

export type ShutdownOutcome = 'closed' | 'timed-out' | 'failed';

/**
 * Runs `close` (cancel jobs, remove partial outputs, keep what is already on disk) and resolves when
 * it finishes or after `deadlineMs`, whichever is first; never rejects. Everything the studio keeps
 * is written atomically as it happens, so exiting at the deadline loses no saved state, only the
 * clean-up that did not finish (which the next start sweeps).
 */
export async function closeWithin(close: () => Promise<void>, log: Logger, deadlineMs = shutdownDeadlineMs): Promise<ShutdownOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ShutdownOutcome>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), deadlineMs);
    timer.unref();
  });
  const started = performance.now();
  const closing = close().then(
    (): ShutdownOutcome => 'closed',
    (error: unknown): ShutdownOutcome => {
      log.error('closing failed', error);
      return 'failed';
    },
  );
  const outcome = await Promise.race([closing, deadline]);
  clearTimeout(timer);
  const ms = Math.round(performance.now() - started);
  if (outcome === 'timed-out') log.warn('closing took too long; exiting anyway', { ms: deadlineMs });
  else log.info('closed', { ms });
  return outcome;
}

/**
 * For a host whose quit can be held (Electron's `before-quit`): the first quit is held while the
 * studio closes through `closeWithin`, then `exit(code)` ends the process; a quit while closing is
 * held too, so the app never exits half closed. Returns the listener: call it with a function that
 * holds this quit (Electron: `event.preventDefault`).
 */
export function createQuitGate(options: {
  close: () => Promise<void>;
  log: Logger;
  exit: (code: number) => void;
  deadlineMs?: number;
}): (hold: () => void) => void {
  let closing: Promise<void> | null = null;
  return (hold) => {
    hold();
    closing ??= closeWithin(options.close, options.log, options.deadlineMs).then((outcome) => options.exit(outcome === 'closed' ? 0 : 1));
  };
}
