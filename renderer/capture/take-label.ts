/** A take's name wherever it is shown (the take list, the review, a recovered take, the consent record). */
import type { TakeKind } from '../../shared/contract/takes';
import type { Take } from '../../shared/drafts';

const nouns: Record<TakeKind, string> = { voice: 'Take', video: 'Video take', consent: 'Consent take' };

/** `number`: the take's place in its kind's list, from 1. A null take is one just recorded and not yet saved. */
export function takeLabel(kind: TakeKind, take: Take | null, number: number): string {
  if (!take) return `New ${nouns[kind].toLowerCase()}`;
  if (take.source === 'imported') return take.originalName ? `Imported: ${take.originalName}` : 'Imported recording';
  // Only the newest consent take counts: it needs no number.
  return kind === 'consent' ? nouns[kind] : `${nouns[kind]} ${number}`;
}
