/**
 * Operator shortcuts act on whatever recorder the current page shows, by pressing its buttons as a
 * person would: a button marked `data-operator-action="record|stop"` if the page marks one, else the
 * recorder's own button found by its label (Record, Stop, Turn on microphone). So a screen needs no
 * wiring to take part, and what a key does is always what the visible button does.
 */

export type OperatorAction = 'record' | 'stop' | 'retake';

const labels = {
  record: /^(record|record consent|record consent again|record again|start recording|resume|take photo)$/i,
  stop: /^stop$/i,
  enable: /^turn on (the )?(microphone|camera)/i,
} as const;

function visibleButtons(root: ParentNode): HTMLButtonElement[] {
  return [...root.querySelectorAll<HTMLButtonElement>('button')].filter((button) => !button.disabled && button.getClientRects().length > 0);
}

function find(root: ParentNode, kind: keyof typeof labels): HTMLButtonElement | null {
  const buttons = visibleButtons(root);
  if (kind !== 'enable') {
    const marked = buttons.find((button) => button.dataset.operatorAction === kind);
    if (marked) return marked;
  }
  return buttons.find((button) => labels[kind].test((button.textContent ?? '').replace(/\s+/g, ' ').trim())) ?? null;
}

async function waitFor(root: ParentNode, kind: keyof typeof labels, timeoutMs: number): Promise<HTMLButtonElement | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const button = find(root, kind);
    if (button || Date.now() > until) return button;
    await new Promise((resolve) => window.setTimeout(resolve, 100));
  }
}

/** Performs an action on the page; resolves to what happened, in words for the operator bar. */
export async function perform(action: OperatorAction, root: ParentNode = document.getElementById('main') ?? document): Promise<string> {
  if (action === 'stop') {
    const stop = find(root, 'stop');
    if (!stop) return 'Nothing is being recorded.';
    stop.click();
    return 'Stopped.';
  }
  if (action === 'retake') {
    const stop = find(root, 'stop');
    if (stop) stop.click();
    // Saving a take (remux and checks on ffmpeg.wasm) takes a moment, longer on a busy machine: the
    // recorder offers Record again when it is done.
    const again = await waitFor(root, 'record', 60_000);
    if (!again) return 'There is no recorder on this page.';
    again.click();
    return stop ? 'Kept the last take; recording a new one.' : 'Recording.';
  }
  let record = find(root, 'record');
  if (!record) {
    const enable = find(root, 'enable');
    if (!enable) return find(root, 'stop') ? 'Already recording.' : 'There is no recorder on this page: open Voice, Camera or Review.';
    enable.click();
    record = await waitFor(root, 'record', 8000);
    if (!record) return 'The device did not come on; check it and press R again.';
  }
  record.click();
  return 'Recording.';
}
