/**
 * The camera's rules as pure functions: what the avatar is made from, where the framing guides sit
 * in a frame (and so where a photo is cropped), and the checks of a photo and of a video take's
 * picture and length. The renderer draws and crops with them; the main process checks stored files
 * with them.
 */
import type { CheckResult, Draft } from './drafts';
import type { Rect } from './exposure';
import { orientationOf } from './media';
import { photoRules, videoRules } from './requirements';

/** The largest 16:9 rectangle centred in a frame, in whole even pixels: the v1 photo's crop and guide. */
export function photoCrop(width: number, height: number): Rect {
  const cropWidth = Math.min(width - (width % 2), Math.floor((height * photoRules.aspect) / 2) * 2);
  const cropHeight = Math.min(height - (height % 2), Math.floor(cropWidth / photoRules.aspect / 2) * 2);
  return { x: Math.floor((width - cropWidth) / 2), y: Math.floor((height - cropHeight) / 2), width: cropWidth, height: cropHeight };
}

export function isSixteenByNine(width: number, height: number): boolean {
  return height > 0 && Math.abs(width / height / photoRules.aspect - 1) <= photoRules.aspectTolerance;
}

/**
 * The framing guides of a frame, in its pixels. v1: the 16:9 photo box, the eye line on its upper
 * third, a head zone above it and the waist at its bottom edge. v2: a head-and-shoulders box, the
 * head's oval on the frame's upper-third eye line, and the shoulder line.
 */
export type FramingGuide = {
  box: Rect;
  eyeLineY: number;
  /** Vertical rule-of-thirds lines. */
  thirdsX: [number, number];
  head: { cx: number; cy: number; rx: number; ry: number };
  /** v2: where the shoulders should sit; v1: the waist, at the box's bottom. */
  lowerLineY: number;
  label: string;
};

export function framingGuide(version: 'v1' | 'v2', width: number, height: number): FramingGuide {
  if (version === 'v1') {
    const box = photoCrop(width, height);
    const eyeLineY = box.y + box.height / 3;
    // Waist-up: the head is a small part of the frame, about a sixth of its height.
    const ry = box.height * 0.11;
    return {
      box,
      eyeLineY,
      thirdsX: [box.x + box.width / 3, box.x + (box.width * 2) / 3],
      head: { cx: box.x + box.width / 2, cy: eyeLineY, rx: ry * 0.78, ry },
      lowerLineY: box.y + box.height * 0.97,
      label: 'Photo 16:9 · waist up',
    };
  }
  // Head and shoulders fill the middle of the frame: the box spans from just above the head to the bottom.
  const boxHeight = height * 0.9;
  const boxWidth = Math.min(width, boxHeight * 1.05);
  const box = { x: (width - boxWidth) / 2, y: height - boxHeight, width: boxWidth, height: boxHeight };
  const eyeLineY = height / 3;
  const ry = height * 0.21;
  return {
    box,
    eyeLineY,
    thirdsX: [width / 3, (width * 2) / 3],
    head: { cx: width / 2, cy: eyeLineY + ry * 0.15, rx: ry * 0.76, ry },
    lowerLineY: height * 0.8,
    label: 'Head and shoulders',
  };
}

/** What the avatar's appearance is made from: v1 always a photo; v2 the video unless the draft chose a photo. */
export function appearanceOf(draft: Draft): 'video' | 'photo' {
  return draft.person.avatarVersion === 'v2' && draft.camera.v2AppearanceFrom === 'video' ? 'video' : 'photo';
}

/** Whether the twin's voice comes from the chosen video's sound: only a v2 avatar made from a video can. */
export function voiceFromVideo(draft: Draft): boolean {
  return appearanceOf(draft) === 'video' && draft.camera.useVideoAudioAsVoice;
}

// ---- checks -----------------------------------------------------------------------------------

function check(id: string, label: string, verdict: CheckResult['verdict'], reason: string, value: number | null = null): CheckResult {
  return { id, label, verdict, reason, value };
}

const size = (width: number, height: number) => `${width}×${height}`;

/** Whether a picture is large enough for the v1 avatar. */
export function photoResolutionCheck(width: number, height: number): CheckResult {
  const minimum = size(photoRules.minWidth, photoRules.minHeight);
  if (width < photoRules.minWidth || height < photoRules.minHeight) {
    return check(
      'resolution',
      'Resolution',
      'fail',
      `${size(width, height)} is smaller than the ${minimum} the avatar needs. Use a camera with a higher resolution, or a larger picture.`,
      width,
    );
  }
  return check('resolution', 'Resolution', 'pass', `${size(width, height)}, at least ${minimum}.`, width);
}

/**
 * Whether a picture is 16:9. A camera shot or a still is stored already cropped, so another shape
 * fails. An imported picture is kept whole and cropped to its centred 16:9 box (photoCrop) when it
 * is prepared (`croppedWhenPrepared`): another shape then warns, naming the crop the person sees
 * marked on the photo, since a centred band of a portrait photo may cut off the head.
 */
export function photoShapeCheck(width: number, height: number, options: { croppedWhenPrepared?: boolean } = {}): CheckResult {
  if (isSixteenByNine(width, height)) return check('shape', 'Shape', 'pass', `${size(width, height)} is 16:9, landscape.`, width / height);
  if (!options.croppedWhenPrepared) {
    return check('shape', 'Shape', 'fail', `${size(width, height)} is not 16:9. Take the photo again, or import a 16:9 picture.`, width / height);
  }
  const crop = photoCrop(width, height);
  const kept = Math.round(((crop.width * crop.height) / (width * height)) * 100);
  const shape = height > width ? 'portrait' : width === height ? 'square' : 'not 16:9';
  return check(
    'shape',
    'Shape',
    'warn',
    `${size(width, height)} is ${shape}: the avatar is made from its 16:9 middle only, ${size(crop.width, crop.height)} (${kept} % of it, marked on the photo). Check that the head and shoulders are inside the mark, or import a 16:9 picture.`,
    width / height,
  );
}

/** Transparent parts of a picture are filled with neutral grey when it is prepared: said, so it is no surprise. */
export function photoTransparencyCheck(transparentShare: number): CheckResult | null {
  if (transparentShare <= 0) return null;
  const percent = Math.max(1, Math.round(transparentShare * 100));
  return check(
    'transparency',
    'Transparency',
    'warn',
    `${percent} % of the picture is transparent: it becomes a plain grey background in the avatar's photo, and is left out of the light checks.`,
    transparentShare,
  );
}

/**
 * Why an imported picture is refused outright, or null: too small is not worth keeping. Judged on
 * its centred 16:9 part, which is what preparation keeps.
 */
export function importedPhotoProblem(width: number, height: number): string | null {
  const crop = photoCrop(width, height);
  if (crop.width < photoRules.minWidth || crop.height < photoRules.minHeight) {
    const minimum = size(photoRules.minWidth, photoRules.minHeight);
    return isSixteenByNine(width, height)
      ? `It is ${size(width, height)}: the reference photo needs at least ${minimum}, in 16:9. Import a larger picture.`
      : `It is ${size(width, height)}, and its 16:9 middle is only ${size(crop.width, crop.height)}: the reference photo needs at least ${minimum}. Import a larger picture.`;
  }
  return null;
}

const clock = (ms: number) => {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
};

/** A video take's length against the service's 1–5 minutes. */
export function videoDurationCheck(durationMs: number): CheckResult {
  const length = clock(durationMs);
  if (durationMs < videoRules.minSeconds * 1000) {
    return check(
      'duration',
      'Length',
      'fail',
      `Too short: ${length}. The v2 avatar needs at least ${clock(videoRules.minSeconds * 1000)} of natural speech; record a longer take or widen the trim.`,
      durationMs,
    );
  }
  if (durationMs > videoRules.maxSeconds * 1000) {
    return check(
      'duration',
      'Length',
      'fail',
      `Too long: ${length}. The service accepts at most ${clock(videoRules.maxSeconds * 1000)}; trim the take.`,
      durationMs,
    );
  }
  return check('duration', 'Length', 'pass', `${length}, within ${clock(videoRules.minSeconds * 1000)}–${clock(videoRules.maxSeconds * 1000)}.`, durationMs);
}

/**
 * A video take's picture, as it is SHOWN (after its rotation and pixel aspect: a phone's portrait clip
 * stored 640×360 and turned 90° is 360×640 portrait): there must be one, and a small one makes a soft
 * avatar. A portrait picture is said to be one, since the avatar is framed from it as it is.
 */
/**
 * Whether a video's sound starts with its picture (`soundOffsetMs`, MediaInfo's): a warning past
 * videoRules.soundOffsetWarnMs either way, null (no check shown) within it or unknown.
 */
export function soundOffsetCheck(soundOffsetMs: number | null | undefined): CheckResult | null {
  if (soundOffsetMs === null || soundOffsetMs === undefined || Math.abs(soundOffsetMs) <= videoRules.soundOffsetWarnMs) return null;
  const secondsApart = (Math.abs(soundOffsetMs) / 1000).toFixed(1);
  const reason =
    soundOffsetMs > 0
      ? `The sound starts ${secondsApart} s after the picture: the first ${secondsApart} s show the person without their voice, or the voice is out of step with the lips. Play the start in the review; trim it off, or export the video again with its sound in place.`
      : `The sound starts ${secondsApart} s before the picture: the voice may be out of step with the lips. Play it in the review, and export the video again with its sound in place if it is.`;
  return check('sync', 'Sound and picture', 'warn', reason, soundOffsetMs);
}

export function videoPictureCheck(video: { codec: string; width: number; height: number; fps: number | null; rotation?: number } | null): CheckResult {
  if (!video) return check('picture', 'Picture', 'fail', 'The take has no picture: the camera delivered nothing.');
  const shape = orientationOf(video) === 'portrait' ? ' portrait' : '';
  const turned = video.rotation ? ` (stored turned, shown upright)` : '';
  const described = `${size(video.width, video.height)}${shape}${video.fps ? ` at ${Math.round(video.fps)} fps` : ''}, ${video.codec === 'h264' ? 'H.264' : video.codec.toUpperCase()}${turned}`;
  if (Math.min(video.width, video.height) < videoRules.minHeight) {
    return check(
      'picture',
      'Picture',
      'warn',
      `${described}: under ${videoRules.minHeight}p, the avatar will look soft. Choose a higher resolution if the camera offers one.`,
      video.height,
    );
  }
  return check('picture', 'Picture', 'pass', described, video.height);
}
