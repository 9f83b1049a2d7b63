/**
 * The Settings switch between sandbox mode and the real service. It takes effect on the next launch:
 * the sandbox has its own data folder, emulator and storage, which cannot be swapped under open work.
 */
import { useState } from 'react';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';

export function SandboxSection() {
  const studio = useStudio();
  const status = useCall('sandbox/status', {});
  const [error, setError] = useState<string | null>(null);
  if (status.state === 'loading') return <p className="muted">…</p>;
  if (status.state === 'error') return <Notice tone="error">{status.error.message}</Notice>;
  const { active, nextLaunch, emulatorUrl, mediaHostUrl } = status.value;

  async function choose(mode: 'sandbox' | 'service') {
    setError(null);
    try {
      await studio.call('sandbox/setNextLaunch', { mode });
      status.reload();
    } catch (caught) {
      setError(asStudioError(caught).message);
    }
  }

  return (
    <div className="panel sandbox-settings" data-testid="sandbox-settings">
      <p className="notice-text">
        {active ? (
          <>
            This launch is a <strong>sandbox</strong>: the service is an emulator at <span className="path">{emulatorUrl}</span> and uploads go to{' '}
            <span className="path">{mediaHostUrl}</span>, both on this computer. Sandbox drafts and twins are kept apart from real ones.
          </>
        ) : (
          <>This launch talks to the real service. The sandbox runs the whole flow on this computer with no account: good for learning the studio.</>
        )}
      </p>
      <fieldset className="field">
        <legend>When Twin Studio next starts</legend>
        <label className="choice">
          <input type="radio" name="next-launch" checked={nextLaunch === 'service'} onChange={() => void choose('service')} /> Use the Napster service
        </label>
        <label className="choice">
          <input type="radio" name="next-launch" checked={nextLaunch === 'sandbox'} onChange={() => void choose('sandbox')} /> Use the sandbox
        </label>
      </fieldset>
      {(nextLaunch === 'sandbox') !== active && <Notice tone="info">Restart Twin Studio to switch.</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}
