/**
 * The operator's session: filming one person after another with the same settings. Kept in this
 * window's local storage (it is a way of working at this desk, not part of any draft): the twin
 * version and tags every new draft starts with, and the people filmed so far.
 */
import { useSyncExternalStore } from 'react';
import type { PersonDraft } from '../../../shared/drafts';

export type OperatorSession = {
  startedAt: string;
  avatarVersion: PersonDraft['avatarVersion'];
  tags: Record<string, string>;
  draftIds: string[];
};

const storageKey = 'twin-studio-operator-session';
const listeners = new Set<() => void>();
let cached: { text: string | null; value: OperatorSession | null } = { text: null, value: null };

function read(): OperatorSession | null {
  let text: string | null;
  try {
    text = localStorage.getItem(storageKey);
  } catch {
    return null;
  }
  if (text === cached.text) return cached.value;
  let value: OperatorSession | null;
  try {
    value = text ? (JSON.parse(text) as OperatorSession) : null;
  } catch {
    value = null;
  }
  cached = { text, value };
  return value;
}

function write(session: OperatorSession | null): void {
  try {
    if (session) localStorage.setItem(storageKey, JSON.stringify(session));
    else localStorage.removeItem(storageKey);
  } catch {
    // Storage refused: the session lasts as long as this page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => event.key === storageKey && listener();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useOperatorSession(): OperatorSession | null {
  return useSyncExternalStore(subscribe, read);
}

export function startSession(settings: Pick<OperatorSession, 'avatarVersion' | 'tags'>): void {
  write({ ...settings, startedAt: new Date().toISOString(), draftIds: [] });
}

export function endSession(): void {
  write(null);
}

export function addToSession(draftId: string): void {
  const session = read();
  if (session) write({ ...session, draftIds: [...session.draftIds, draftId] });
}

export const shortcutKeys = { record: 'R', stop: 'S', retake: 'T', next: 'N' } as const;
