/**
 * Tags as key/value rows. Rows are edited freely; only a set without blanks or duplicates is saved
 * to the draft, and what is wrong is said beside the row.
 */
import { useRef, useState } from 'react';
import { twinTagsSchema } from '../../../shared/napster';
import { twinRequestRules } from '../../../shared/requirements';

type Row = { id: number; key: string; value: string };

function rowsOf(tags: Record<string, string>): Row[] {
  return Object.entries(tags).map(([key, value], index) => ({ id: index + 1, key, value }));
}

/** Per-row problems, and the tags to save when there are none. */
export function checkRows(rows: Row[]): { errors: Map<number, string>; tags: Record<string, string> | null } {
  const errors = new Map<number, string>();
  const seen = new Map<string, number>();
  const tags: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!key) errors.set(row.id, 'Give this tag a name.');
    else if (key.length > twinRequestRules.tagKeyMaxChars) errors.set(row.id, `A tag name has at most ${twinRequestRules.tagKeyMaxChars} characters.`);
    else if (row.value.length > twinRequestRules.tagValueMaxChars)
      errors.set(row.id, `A tag value has at most ${twinRequestRules.tagValueMaxChars} characters.`);
    else if (seen.has(key)) errors.set(row.id, `“${key}” is already used above.`);
    else {
      seen.set(key, row.id);
      tags[key] = row.value.trim();
    }
  }
  const counted = twinTagsSchema.safeParse(tags);
  if (!counted.success && errors.size === 0) {
    const last = rows.at(-1);
    if (last) errors.set(last.id, `At most ${twinRequestRules.maxTags} tags.`);
  }
  return { errors, tags: errors.size ? null : tags };
}

export function TagsEditor({ tags, onChange }: { tags: Record<string, string>; onChange: (tags: Record<string, string>) => void }) {
  const [{ rows, nextId }, setRows] = useState(() => ({ rows: rowsOf(tags), nextId: Object.keys(tags).length + 1 }));
  const { errors } = checkRows(rows);
  const lastSaved = useRef(JSON.stringify(tags));

  /** The rows as edited; the tags are saved whenever they form a valid set that differs from the last saved. */
  function edit(next: Row[], id = nextId) {
    setRows({ rows: next, nextId: id });
    const { tags: valid } = checkRows(next);
    if (!valid) return;
    const text = JSON.stringify(valid);
    if (text === lastSaved.current) return;
    lastSaved.current = text;
    onChange(valid);
  }

  const update = (id: number, patch: Partial<Row>) => edit(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <fieldset className="field tags">
      <legend>Tags</legend>
      <p className="hint" id="person-tags-hint">
        Labels for finding this twin later, such as department: sales or region: emea. Optional.
      </p>
      {rows.length > 0 && (
        <ul className="tag-rows">
          {rows.map((row, index) => {
            const error = errors.get(row.id);
            return (
              <li key={row.id} className="tag-row">
                <input
                  className="input"
                  aria-label={`Tag ${index + 1} name`}
                  placeholder="name"
                  value={row.key}
                  aria-invalid={error ? true : undefined}
                  onChange={(event) => update(row.id, { key: event.target.value })}
                />
                <input
                  className="input"
                  aria-label={`Tag ${index + 1} value`}
                  placeholder="value"
                  value={row.value}
                  onChange={(event) => update(row.id, { value: event.target.value })}
                />
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={`Remove tag ${index + 1}`}
                  onClick={() => edit(rows.filter((item) => item.id !== row.id))}
                >
                  Remove
                </button>
                <span className="field-error tag-error" role={error ? 'alert' : undefined}>
                  {error}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <div>
        <button
          type="button"
          className="button"
          disabled={rows.length >= twinRequestRules.maxTags}
          onClick={() => edit([...rows, { id: nextId, key: '', value: '' }], nextId + 1)}
        >
          Add tag
        </button>
      </div>
    </fieldset>
  );
}
