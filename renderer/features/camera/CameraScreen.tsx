/** The avatar's source: a speaking video (v2) or a reference photo (v1), depending on the draft. */
import type { Draft } from '../../../shared/drafts';
import { photoRules, videoRules } from '../../../shared/requirements';
import { Notice } from '../../ui/Notice';
import { FactList, Screen } from '../../ui/Screen';

export function CameraScreen({ draft }: { draft: Draft }) {
  const v2 = draft.person.avatarVersion === 'v2';
  return (
    <Screen
      title="Camera"
      intro={v2 ? 'A video of the person speaking naturally, head and shoulders, evenly lit.' : 'A still photo, looking into the camera, framed from the waist up, well lit.'}
    >
      <FactList
        items={
          v2
            ? [
                ['Avatar model', 'v2, from a video'],
                ['Length', `${videoRules.minSeconds / 60}–${videoRules.maxSeconds / 60} minutes of natural speech`],
                ['Framing', 'head and shoulders, even light, clear audio'],
                ['Video takes in this draft', String(draft.camera.videoTakes.length)],
              ]
            : [
                ['Avatar model', 'v1, from a photo'],
                ['Shape', '16:9, landscape'],
                ['Size', `at least ${photoRules.minWidth}×${photoRules.minHeight}`],
                ['Photos in this draft', String(draft.camera.photos.length)],
              ]
        }
      />
      <Notice tone="info" title="Camera capture is not available in this build yet">
        The avatar model can be changed on the Person step. Nothing is recorded here for now.
      </Notice>
    </Screen>
  );
}
