/**
 * The capture devices this machine has, kept current as they are plugged in and out
 * (`devicechange`), and the choice among them, remembered per machine by the device's label
 * (device ids change between sessions; labels do not).
 */
import { useCallback, useEffect, useState } from 'react';

export type DeviceKind = 'audioinput' | 'videoinput';

export type CaptureDevice = { deviceId: string; label: string };

export async function listDevices(kind: DeviceKind): Promise<CaptureDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return (
    all
      .filter((device) => device.kind === kind && device.deviceId !== '')
      // Chromium lists "default" (and on Windows "communications") as aliases of a real device.
      .filter((device) => device.deviceId !== 'communications')
      .map((device, index) => ({
        deviceId: device.deviceId,
        label: device.label || `${kind === 'audioinput' ? 'Microphone' : 'Camera'} ${index + 1}`,
      }))
  );
}

/** The remembered device if it is plugged in, else the first one. */
export function pickDevice(devices: CaptureDevice[], preferredLabel: string | null, current: string | null): CaptureDevice | null {
  return (
    devices.find((device) => device.deviceId === current) ??
    devices.find((device) => preferredLabel !== null && device.label === preferredLabel) ??
    devices[0] ??
    null
  );
}

/** The devices of one kind, refreshed on `devicechange` and whenever `refresh()` is called (after permission, labels appear). */
export function useDevices(kind: DeviceKind): { devices: CaptureDevice[]; refresh: () => void; loaded: boolean } {
  const [devices, setDevices] = useState<CaptureDevice[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    let live = true;
    void listDevices(kind).then(
      (list) => {
        if (!live) return;
        setDevices((previous) => (JSON.stringify(previous) === JSON.stringify(list) ? previous : list));
        setLoaded(true);
      },
      () => live && setLoaded(true),
    );
    return () => {
      live = false;
    };
  }, [kind, generation]);

  useEffect(() => {
    const media = navigator.mediaDevices;
    if (!media) return;
    media.addEventListener('devicechange', refresh);
    return () => media.removeEventListener('devicechange', refresh);
  }, [refresh]);

  return { devices, refresh, loaded };
}
