/** "Discard take" in a recorder's controls: asks first, then drops the take being recorded (other takes stay). */
import { useState } from 'react';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import type { TakeControl } from './use-take-recorder';

export function DiscardTake({ take, disabled }: { take: TakeControl; disabled: boolean }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className="button button-quiet" onClick={() => setAsking(true)} disabled={disabled}>
        Discard take
      </button>
      <ConfirmDialog
        open={asking}
        title="Discard this take?"
        message="What has been recorded in this take is deleted. Other takes are not affected."
        confirmLabel="Discard take"
        danger
        onConfirm={() => {
          setAsking(false);
          void take.discard();
        }}
        onCancel={() => setAsking(false)}
      />
    </>
  );
}
