/**
 * The framing guides drawn over the preview, in the frame's own pixels (the SVG's viewBox), so they
 * sit where the recording and the photo crop will be: the v1 16:9 photo box (waist up) or the v2
 * head-and-shoulders box, the rule-of-thirds lines and the eye line. Symmetric, so a mirrored
 * preview needs no mirrored guides.
 */
import { framingGuide } from '../../../shared/camera';

export function FramingGuides({ version, width, height }: { version: 'v1' | 'v2'; width: number; height: number }) {
  const guide = framingGuide(version, width, height);
  const { box, head } = guide;
  const stroke = Math.max(2, width / 480);
  const text = Math.max(14, width / 60);
  // Everything outside the box is dimmed: the photo keeps only what is inside.
  const shade = `M0 0H${width}V${height}H0Z M${box.x} ${box.y}V${box.y + box.height}H${box.x + box.width}V${box.y}Z`;
  return (
    <svg className="framing-guides" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true" data-guide={version}>
      <path d={shade} className="guide-shade" fillRule="evenodd" />
      {guide.thirdsX.map((x) => (
        <line key={x} x1={x} x2={x} y1={box.y} y2={box.y + box.height} className="guide-third" strokeWidth={stroke / 2} />
      ))}
      <line
        x1={box.x}
        x2={box.x + box.width}
        y1={box.y + box.height * (2 / 3)}
        y2={box.y + box.height * (2 / 3)}
        className="guide-third"
        strokeWidth={stroke / 2}
      />
      <line x1={box.x} x2={box.x + box.width} y1={guide.eyeLineY} y2={guide.eyeLineY} className="guide-eyes" strokeWidth={stroke} />
      <text x={box.x + stroke * 4} y={guide.eyeLineY - stroke * 3} className="guide-label" fontSize={text}>
        eyes
      </text>
      <ellipse cx={head.cx} cy={head.cy} rx={head.rx} ry={head.ry} className="guide-head" strokeWidth={stroke} />
      <line
        x1={box.x + box.width * 0.12}
        x2={box.x + box.width * 0.88}
        y1={guide.lowerLineY}
        y2={guide.lowerLineY}
        className="guide-lower"
        strokeWidth={stroke}
      />
      <text x={box.x + box.width * 0.12} y={guide.lowerLineY - stroke * 3} className="guide-label" fontSize={text}>
        {version === 'v1' ? 'waist' : 'shoulders'}
      </text>
      <rect x={box.x} y={box.y} width={box.width} height={box.height} className="guide-box" strokeWidth={stroke} />
      <text x={box.x + box.width - stroke * 4} y={box.y + text + stroke * 3} className="guide-label guide-label-end" fontSize={text}>
        {guide.label}
      </text>
    </svg>
  );
}
