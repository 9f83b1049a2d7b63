/** Which service the studio talks to, with which key, and where it keeps its data. */
import { useState } from 'react';
import { asStudioError, useCall, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';
import { FactList, Screen } from '../../ui/Screen';
import { SandboxSection } from './SandboxSection';
import { StorageSection } from './StorageSection';
import { ApiKeySection } from './ApiKeySection';

export function SettingsScreen() {
  const studio = useStudio();
  const info = useCall('system/info', {});
  const settings = useCall('settings/get', {});
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  /** The main process's reason for refusing the address (shared/credential-url.ts), shown at the field. */
  const [baseUrlError, setBaseUrlError] = useState<string | null>(null);

  const savedUrl = settings.state === 'ready' ? settings.value.apiBaseUrl : null;
  // The field starts from the saved address, and starts again from it whenever it is saved anew.
  const [field, setField] = useState<{ from: string | null; text: string }>({ from: savedUrl, text: savedUrl ?? '' });
  if (savedUrl !== null && field.from !== savedUrl) setField({ from: savedUrl, text: savedUrl });
  const baseUrl = field.text;
  const setBaseUrl = (text: string) => setField((current) => ({ ...current, text }));

  async function save() {
    setMessage(null);
    setBaseUrlError(null);
    try {
      await studio.call('settings/update', { patch: { apiBaseUrl: baseUrl.trim() } });
      setMessage({ tone: 'success', text: 'Saved.' });
      settings.reload();
    } catch (caught) {
      const error = asStudioError(caught);
      // The main process checks the address (nothing is saved otherwise): its reason goes beside the field.
      const reason = error.code === 'BAD_REQUEST' ? error.fields?.['patch.apiBaseUrl'] : undefined;
      if (reason) setBaseUrlError(reason);
      else setMessage({ tone: 'error', text: error.message });
    }
  }

  return (
    <Screen title="Settings" intro="The service the studio talks to, its API key, and where your material is kept.">
      <h3>Service</h3>
      <form
        className="form form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="field grow">
          <label htmlFor="settings-base-url">API base URL</label>
          <input
            id="settings-base-url"
            className="input"
            type="url"
            value={baseUrl}
            spellCheck={false}
            aria-invalid={baseUrlError ? true : undefined}
            aria-describedby={baseUrlError ? 'settings-base-url-error' : undefined}
            onChange={(event) => {
              setBaseUrl(event.target.value);
              setBaseUrlError(null);
            }}
          />
          {baseUrlError && (
            <span id="settings-base-url-error" className="field-error" role="alert">
              {baseUrlError}
            </span>
          )}
        </div>
        <button type="submit" className="button button-primary">
          Save
        </button>
      </form>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <h3>API key</h3>
      <ApiKeySection />
      <h3>Storage</h3>
      <StorageSection />
      <h3>Sandbox</h3>
      <SandboxSection />
      <h3>This studio</h3>
      {info.state === 'ready' && (
        <FactList
          items={[
            ['Version', info.value.version],
            ['Running as', info.value.host === 'electron' ? 'desktop app' : 'browser host on this computer'],
            [
              'Data folder',
              <span className="path" key="path">
                {info.value.dataDir}
              </span>,
            ],
          ]}
        />
      )}
      {info.state === 'error' && <Notice tone="error">{info.error.message}</Notice>}
    </Screen>
  );
}
