/** Makes an agent from a ready twin (name, temperature, instructions) and shows its id. */
import { type FormEvent, useState } from 'react';
import type { AgentSummary } from '../../../shared/contract/twins';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';

export function AgentForm({ twinId, twinName, onCreated }: { twinId: string; twinName: string; onCreated: (agent: AgentSummary) => void }) {
  const studio = useStudio();
  const [name, setName] = useState(`${twinName} agent`);
  const [temperature, setTemperature] = useState('0.7');
  const [instructions, setInstructions] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `agent-${twinId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const value = temperature.trim() === '' ? null : Number(temperature);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > 2)) {
      setError('Temperature is a number from 0 (steady) to 2 (adventurous).');
      return;
    }
    setBusy(true);
    try {
      onCreated(await studio.call('twins/createAgent', { companionId: twinId, name, temperature: value, instructions: instructions.trim() || null }));
    } catch (caught) {
      setError(asStudioError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="agent-form" onSubmit={(event) => void submit(event)} aria-label={`New agent from ${twinName}`}>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${prefix}-name`}>Agent name</label>
          <input id={`${prefix}-name`} className="input" value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-temperature`}>Temperature</label>
          <input
            id={`${prefix}-temperature`}
            className="input"
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={temperature}
            onChange={(event) => setTemperature(event.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-instructions`}>Instructions (optional)</label>
        <textarea
          id={`${prefix}-instructions`}
          className="input textarea"
          rows={3}
          value={instructions}
          maxLength={20_000}
          onChange={(event) => setInstructions(event.target.value)}
          placeholder="What the agent is for and how it should answer. The twin’s description already sets its personality."
        />
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create agent'}
        </button>
      </div>
    </form>
  );
}
