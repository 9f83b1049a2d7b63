/** Numbers as the studio shows them on its own scales and meters. */

/**
 * A frequency in a sentence, Hz → "5.5 kHz", "4 kHz": to a tenth of a kilohertz, which is all a band
 * edge means to a person (a sample rate keeps its exact name, 11.025 or 44.1 kHz, where it is named).
 */
export function formatKhz(hz: number): string {
  return `${Math.round(hz / 100) / 10} kHz`;
}

/**
 * A label on a take's time scale (under its waveform): plain seconds ("15", "45") on a take shorter
 * than a minute, minutes and seconds ("0:15", "0:45", "1:00", "1:15") on one of a minute or more, so
 * one scale never reads "45 · 60 · 1:15".
 */
export function formatTimelineLabel(seconds: number, takeSeconds: number): string {
  if (!(takeSeconds >= 60)) return String(Math.round(Math.max(0, seconds) * 1000) / 1000);
  const total = Math.max(0, Math.round(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
