/**
 * The live face verdict drawn on a preview, like the guides: each face found outlined in the frame's
 * own pixels (mirrored with the preview), and a badge at the top saying what is wrong or that the
 * face is right. Everything is in the page's DOM (not on the video), so screenshots show it.
 */
import { useStore } from './store';
import type { FaceCheck } from './use-face-check';

const tone = { pass: 'good', warn: 'warn', fail: 'bad' } as const;

export function FaceOverlay({ check: face, mirrored }: { check: FaceCheck; mirrored: boolean }) {
  const check = useStore(face.store);
  if (check.status === 'off') return null;
  if (check.status !== 'live' || !check.frame || !check.verdict || !check.video) {
    const text = check.status === 'failed' ? (check.message ?? 'The face check could not start.') : 'Starting the face check…';
    return (
      <div className="face-badge face-badge-none" role="status" data-testid="face-verdict" data-verdict="none">
        {text}
      </div>
    );
  }
  const { width, height } = check.video;
  const { verdict, frame } = check;
  const stroke = Math.max(2, width / 400);
  return (
    <>
      <svg className="face-boxes" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
        {frame.faces.map((face, index) => {
          const x = (mirrored ? 1 - face.box.x - face.box.width : face.box.x) * width;
          return (
            <rect
              key={index}
              x={x}
              y={face.box.y * height}
              width={face.box.width * width}
              height={face.box.height * height}
              className={`face-box face-box-${tone[verdict.verdict]}`}
              strokeWidth={stroke}
              rx={stroke * 3}
            />
          );
        })}
      </svg>
      <div
        className={`face-badge face-badge-${tone[verdict.verdict]}`}
        role="status"
        data-testid="face-verdict"
        data-verdict={verdict.code}
        data-faces={frame.faces.length}
        data-elapsed-ms={Math.round(frame.elapsedMs)}
        title={verdict.detail}
      >
        <strong>{verdict.headline}</strong>
        <span className="face-badge-detail">{verdict.detail}</span>
        {check.fps !== null && <span className="face-badge-rate">{check.fps.toFixed(1)}/s</span>}
      </div>
    </>
  );
}
