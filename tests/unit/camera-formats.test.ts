/** What the frame-rate picker may offer and say: the rates a camera can give, and the rate it really delivers, counted. */
import { describe, expect, it } from 'vitest';
import { FrameRateMeter, cameraOffer, frameRateDiffers } from '../../renderer/features/camera/camera-formats';

const camera = (capabilities: object) => ({ getCapabilities: () => capabilities as MediaTrackCapabilities });

describe('cameraOffer', () => {
  it('offers only the rates the camera can give', () => {
    expect(cameraOffer(camera({ frameRate: { min: 0, max: 30 } })).frameRates).toEqual([24, 25, 30]);
    expect(cameraOffer(camera({ frameRate: { min: 0, max: 60 } })).frameRates).toEqual([24, 25, 30, 60]);
    expect(cameraOffer(camera({ frameRate: { min: 0, max: 29.97 } })).frameRates).toEqual([24, 25, 30]);
  });

  it('a camera slower than every usual rate is offered at its own rate, never at 30 fps', () => {
    expect(cameraOffer(camera({ frameRate: { min: 0, max: 15 } })).frameRates).toEqual([15]);
  });

  it('without capabilities (or before the camera is on) offers the default only', () => {
    expect(cameraOffer(null).frameRates).toEqual([30]);
    expect(cameraOffer(camera({})).frameRates).toEqual([30]);
  });
});

describe('FrameRateMeter', () => {
  it('counts the frames delivered over two seconds', () => {
    const meter = new FrameRateMeter();
    expect(meter.push(100, 0)).toBeNull();
    expect(meter.push(107, 500)).toBeNull();
    expect(meter.push(115, 1000)).toBeNull();
    expect(meter.push(130, 2000)).toBe(15);
    // The window slides: a camera that slows down is seen within two seconds.
    expect(meter.push(135, 3000)).toBeCloseTo(10, 5);
    expect(meter.push(140, 4000)).toBe(5);
  });

  it('starts again when the counter goes back (a new track)', () => {
    const meter = new FrameRateMeter();
    meter.push(500, 0);
    expect(meter.push(10, 1000)).toBeNull();
    expect(meter.push(70, 3000)).toBe(30);
  });
});

describe('frameRateDiffers', () => {
  it('a 15 fps camera asked for 30 differs; a loaded machine counting 28 of 30 does not', () => {
    expect(frameRateDiffers(15, 30)).toBe(true);
    expect(frameRateDiffers(24, 30)).toBe(true);
    expect(frameRateDiffers(28, 30)).toBe(false);
    expect(frameRateDiffers(30, 30)).toBe(false);
    expect(frameRateDiffers(30, 60)).toBe(true);
  });
});
