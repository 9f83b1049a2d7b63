/** The voice the twin will speak with: what the service requires of it, and the takes recorded so far. */
import type { Draft } from '../../../shared/drafts';
import { voiceRules } from '../../../shared/requirements';
import { Notice } from '../../ui/Notice';
import { FactList, Screen } from '../../ui/Screen';

export function VoiceScreen({ draft }: { draft: Draft }) {
  return (
    <Screen title="Voice" intro="A recording of natural speech the twin’s voice is cloned from. Longer and more natural is better.">
      <FactList
        items={[
          ['Length', `${voiceRules.minSeconds}–${voiceRules.maxSeconds} seconds`],
          ['File size', `at most ${voiceRules.maxBytes / 1024 / 1024} MB after preparation`],
          ['Formats', voiceRules.formats.join(', ')],
          ['Takes in this draft', String(draft.voice.takes.length)],
        ]}
      />
      <Notice tone="info" title="Recording is not available in this build yet">
        Voice capture with live meters, review and import is the next part of the studio to land. Nothing is recorded here for now.
      </Notice>
    </Screen>
  );
}
