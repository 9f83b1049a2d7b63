/**
 * A stored photo shown upright (the browser applies its EXIF orientation, as the studio does) and,
 * when the studio will crop it (an imported picture that is not 16:9), the crop marked on it: the
 * parts left out are dimmed and the 16:9 box the avatar is made from is outlined and labelled.
 */
import type { ReactNode } from 'react';
import { photoCrop } from '../../../shared/camera';
import type { Photo } from '../../../shared/drafts';

/** Taller pictures are shown at most this high, so a portrait photo does not push its checks off screen. */
const maxHeightPx = 520;
/** About the widest the photo detail column shows a picture. */
const maxWidthPx = 640;

export function PhotoView({ photo, src, alt }: { photo: Photo; src: string; alt: string }) {
  // The shape check names the crop when there is one to make (shared/camera.ts photoShapeCheck).
  const cropped = photo.checks.some((check) => check.id === 'shape' && check.verdict === 'warn');
  // The picture on screen is the whole upright original; `photo.width`×`height` is only its 16:9 part.
  const { width, height } = photo.original ?? photo;
  const crop = photoCrop(width, height);
  // The mark is drawn in the picture's pixels but read on screen: size its line and label for the
  // width it is shown at (at most maxHeightPx tall, and no wider than the detail column).
  const pixelsPerScreenPx = width / Math.min(maxWidthPx, (maxHeightPx * width) / height);
  const stroke = 2 * pixelsPerScreenPx;
  const text = 12 * pixelsPerScreenPx;
  const shade = `M0 0H${width}V${height}H0Z M${crop.x} ${crop.y}V${crop.y + crop.height}H${crop.x + crop.width}V${crop.y}Z`;
  return (
    <PhotoFrame width={width} height={height} src={src} alt={alt}>
      {cropped && (
        <svg className="photo-crop-mark" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" data-testid="photo-crop-mark" role="img">
          <title>{`The avatar is made from the marked 16:9 part, ${crop.width}×${crop.height}`}</title>
          <path d={shade} className="crop-shade" fillRule="evenodd" />
          <rect
            x={crop.x}
            y={crop.y}
            width={crop.width}
            height={crop.height}
            className="crop-box"
            strokeWidth={stroke}
            strokeDasharray={`${stroke * 6} ${stroke * 3}`}
          />
          <text x={crop.x + stroke * 4} y={crop.y + text + stroke * 3} className="crop-label" fontSize={text}>
            16:9 used for the avatar
          </text>
        </svg>
      )}
    </PhotoFrame>
  );
}

/** A `width`×`height` picture shown whole, at most `maxHeightPx` tall, with anything drawn over it. */
export function PhotoFrame({ width, height, src, alt, children }: { width: number; height: number; src: string; alt: string; children?: ReactNode }) {
  return (
    <div className="photo-frame" style={{ width: `min(100%, ${Math.round((maxHeightPx * width) / height)}px)` }}>
      <img className="photo-large" src={src} alt={alt} />
      {children}
    </div>
  );
}
