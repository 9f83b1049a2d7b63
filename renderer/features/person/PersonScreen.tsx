/** Who the twin is: the identity fields of the twin request, saved to the draft as they are typed. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Draft, type PersonDraft, genders } from '../../../shared/drafts';
import { describeIssues } from '../../../shared/errors';
import { suggestExternalClientId } from '../../../shared/napster';
import { twinRequestRules } from '../../../shared/requirements';
import { twinPersonSchema } from '../../../shared/twin';
import { asStudioError, useStudio } from '../../api/studio-context';
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';
import { EthnicityField } from './EthnicityField';
import { TagsEditor } from './TagsEditor';

const genderLabels: Record<(typeof genders)[number], string> = {
  male: 'Male',
  female: 'Female',
  nonBinary: 'Non-binary',
};

type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

export function PersonScreen({ draft }: { draft: Draft }) {
  const studio = useStudio();
  const [person, setPerson] = useState<PersonDraft>(draft.person);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const pending = useRef<Partial<PersonDraft>>({});
  const timer = useRef<number | undefined>(undefined);

  // The screen starts from the draft's values once: the workspace is keyed by draft, and our own
  // saves coming back must not reset what is being typed.
  const draftId = draft.id;
  const flush = useCallback(async () => {
    window.clearTimeout(timer.current);
    const patch = pending.current;
    pending.current = {};
    if (Object.keys(patch).length === 0) return;
    setSaveState('saving');
    try {
      await studio.call('drafts/updatePerson', { id: draftId, person: patch });
      setSaveState(Object.keys(pending.current).length ? 'unsaved' : 'saved');
      setSaveError(null);
    } catch (caught) {
      pending.current = { ...patch, ...pending.current };
      setSaveState('failed');
      setSaveError(asStudioError(caught).message);
    }
  }, [studio, draftId]);

  // What is left is saved when the screen closes.
  useEffect(() => () => void flush(), [flush]);

  function change<K extends keyof PersonDraft>(key: K, value: PersonDraft[K]) {
    setPerson((current) => ({ ...current, [key]: value }));
    pending.current = { ...pending.current, [key]: value };
    setSaveState('unsaved');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), 500);
  }

  const touch = (key: string) => {
    setTouched((current) => new Set(current).add(key));
    void flush();
  };

  const suggestion = suggestExternalClientId(person.firstName, person.lastName);
  const check = twinPersonSchema.safeParse(person);
  const fieldErrors = check.success ? {} : describeIssues(check.error.issues).fields;
  const errorFor = (key: string) => (touched.has(key) ? fieldErrors[key] : undefined);

  const statusText: Record<SaveState, string> = {
    saved: 'All changes saved',
    saving: 'Saving…',
    unsaved: 'Unsaved changes',
    failed: 'Not saved',
  };

  return (
    <Screen
      title="Person"
      intro="Who the twin is. These fields become the twin’s identity, and the description becomes its agent’s instructions."
      actions={
        <span className={`save-state save-${saveState}`} aria-live="polite">
          {statusText[saveState]}
        </span>
      }
    >
      {saveError && (
        <Notice tone="error" title="Changes could not be saved">
          {saveError}
        </Notice>
      )}
      <form className="form" onSubmit={(event) => event.preventDefault()} noValidate>
        <div className="form-row">
          <TextField
            label="First name"
            name="firstName"
            value={person.firstName}
            error={errorFor('firstName')}
            onChange={(v) => change('firstName', v)}
            onBlur={touch}
            autoComplete="given-name"
          />
          <TextField
            label="Last name"
            name="lastName"
            value={person.lastName}
            error={errorFor('lastName')}
            onChange={(v) => change('lastName', v)}
            onBlur={touch}
            autoComplete="family-name"
          />
        </div>
        <div className="field">
          <label htmlFor="person-description">Description</label>
          <div className="hint" id="person-description-hint">
            It becomes the agent’s instructions, so cover three things, in the second person:
            <ul className="plain-list">
              <li>
                <strong>Role</strong> · “You are the CFO of Acme, responsible for …”
              </li>
              <li>
                <strong>Personality</strong> · “You are calm, precise and quietly humorous …”
              </li>
              <li>
                <strong>Communication style</strong> · “You answer in short sentences and give one example …”
              </li>
            </ul>
          </div>
          <textarea
            id="person-description"
            className="input textarea"
            rows={6}
            value={person.description}
            aria-describedby="person-description-hint person-description-count"
            aria-invalid={errorFor('description') ? true : undefined}
            onChange={(event) => change('description', event.target.value)}
            onBlur={() => touch('description')}
          />
          <div className="field-foot">
            <span className="field-error" role={errorFor('description') ? 'alert' : undefined}>
              {errorFor('description')}
            </span>
            <span
              id="person-description-count"
              className={person.description.length > twinRequestRules.descriptionMaxChars ? 'field-error' : 'muted'}
              aria-live="polite"
            >
              {person.description.length} / {twinRequestRules.descriptionMaxChars} characters
            </span>
          </div>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="person-gender">Gender</label>
            <select
              id="person-gender"
              className="input"
              value={person.gender ?? ''}
              onChange={(event) => change('gender', (event.target.value || null) as PersonDraft['gender'])}
              onBlur={() => touch('gender')}
            >
              <option value="">Choose…</option>
              {genders.map((gender) => (
                <option key={gender} value={gender}>
                  {genderLabels[gender]}
                </option>
              ))}
            </select>
            <span className="field-error">{errorFor('gender')}</span>
          </div>
          <EthnicityField
            value={person.ethnicity}
            error={errorFor('ethnicity')}
            onChange={(value) => change('ethnicity', value)}
            onBlur={() => touch('ethnicity')}
          />
        </div>
        <div className="form-row">
          <div className="field">
            <TextField
              label="Client id"
              name="externalClientId"
              value={person.externalClientId}
              hint="Your stable id for this person, such as an employee or CRM id: 1–32 letters, digits, “_” or “-”."
              error={errorFor('externalClientId')}
              onChange={(v) => change('externalClientId', v)}
              onBlur={touch}
            />
            {suggestion && !person.externalClientId && (
              <button
                type="button"
                className="link-button suggestion"
                onClick={() => {
                  change('externalClientId', suggestion);
                  touch('externalClientId');
                }}
              >
                Use “{suggestion}” (from the name)
              </button>
            )}
          </div>
          <fieldset className="field">
            <legend>Avatar model</legend>
            <label className="choice">
              <input type="radio" name="avatarVersion" checked={person.avatarVersion === 'v2'} onChange={() => change('avatarVersion', 'v2')} />
              <span>
                <strong>v2, from a video</strong> · highest quality, generation can take hours; without a video, from a photo (chosen on the Camera step)
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="avatarVersion" checked={person.avatarVersion === 'v1'} onChange={() => change('avatarVersion', 'v1')} />
              <span>
                <strong>v1, from a photo</strong> · fast
              </span>
            </label>
          </fieldset>
        </div>
        <TagsEditor key={draft.id} tags={person.tags} onChange={(tags) => change('tags', tags)} />
      </form>
    </Screen>
  );
}

function TextField({
  label,
  name,
  value,
  hint,
  error,
  autoComplete,
  onChange,
  onBlur,
}: {
  label: string;
  name: string;
  value: string;
  hint?: string;
  error?: string;
  autoComplete?: string;
  onChange: (value: string) => void;
  onBlur: (name: string) => void;
}) {
  const id = `person-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        className="input"
        value={value}
        autoComplete={autoComplete ?? 'off'}
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
        onBlur={() => onBlur(name)}
      />
      <span className="field-error" role={error ? 'alert' : undefined}>
        {error}
      </span>
    </div>
  );
}
