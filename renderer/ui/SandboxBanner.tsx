/**
 * The sandbox marker: a strip that says this launch runs against the local emulator, so nobody takes a
 * sandbox twin for a real one. Mounted by the app frame and by every screen of the submission flow.
 */
import { useEffect } from 'react';
import { useCall } from '../api/studio-context';

/** Whether this launch is a sandbox (false while unknown). */
export function useSandbox(): boolean {
  const status = useCall('sandbox/status', {});
  return status.state === 'ready' && status.value.active;
}

export function SandboxBanner() {
  const active = useSandbox();
  useEffect(() => {
    if (!active) return;
    const previous = document.title;
    document.title = `Sandbox · ${previous.replace(/^Sandbox · /, '')}`;
    return () => {
      document.title = previous;
    };
  }, [active]);
  if (!active) return null;
  return (
    <div className="sandbox-banner" role="status" data-testid="sandbox-banner">
      <strong>Sandbox</strong> — everything here stays on this computer: an emulated service with a made-up key and a local media host. Twins and agents made
      here are not real.
    </div>
  );
}

/** A small badge for headings and cards. */
export function SandboxBadge() {
  const active = useSandbox();
  return active ? (
    <span className="badge badge-sandbox" title="Made in the sandbox: not a real twin">
      Sandbox
    </span>
  ) : null;
}
