/** A labelled choice of capture device that follows plugging and unplugging. */
import type { CaptureDevice } from './devices';

export function DevicePicker({
  id,
  label,
  devices,
  value,
  disabled,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  devices: CaptureDevice[];
  value: string | null;
  disabled?: boolean;
  onChange: (device: CaptureDevice) => void;
  hint?: string;
}) {
  return (
    <div className="field device-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="input"
        value={value ?? ''}
        disabled={disabled || devices.length === 0}
        onChange={(event) => {
          const device = devices.find((item) => item.deviceId === event.target.value);
          if (device) onChange(device);
        }}
      >
        {devices.length === 0 && <option value="">No device found</option>}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
      </select>
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}
