/**
 * The labels of a take's time scale (shared/format.ts), as the review's waveform timeline draws
 * them: one style per scale, minutes and seconds from a take of a minute on.
 */
import { describe, expect, it } from 'vitest';
import { formatTimelineLabel } from '../../shared/format';

/** The labels the review's timeline asks for: a notch every 5 s from 0 while inside the take. */
function scale(takeSeconds: number): string[] {
  const labels: string[] = [];
  for (let seconds = 0; seconds < takeSeconds; seconds += 5) labels.push(formatTimelineLabel(seconds, takeSeconds));
  return labels;
}

describe('formatTimelineLabel', () => {
  it('reads a minute as 1:00, never 60, on a take of a minute or more', () => {
    expect(formatTimelineLabel(45, 75)).toBe('0:45');
    expect(formatTimelineLabel(60, 75)).toBe('1:00');
    expect(formatTimelineLabel(75, 80)).toBe('1:15');
    expect(formatTimelineLabel(0, 75)).toBe('0:00');
    expect(formatTimelineLabel(125, 300)).toBe('2:05');
    expect(formatTimelineLabel(600, 700)).toBe('10:00');
  });

  it('uses one style for the whole scale of a take of a minute or more', () => {
    const labels = scale(75);
    expect(labels).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20', '0:25', '0:30', '0:35', '0:40', '0:45', '0:50', '0:55', '1:00', '1:05', '1:10']);
    expect(scale(60).every((label) => /^\d+:\d\d$/.test(label))).toBe(true);
    expect(scale(62).slice(-1)).toEqual(['1:00']);
  });

  it('keeps plain seconds on a take shorter than a minute', () => {
    expect(scale(50)).toEqual(['0', '5', '10', '15', '20', '25', '30', '35', '40', '45']);
    expect(scale(59.9).slice(-1)).toEqual(['55']);
    expect(formatTimelineLabel(2.5, 10)).toBe('2.5');
  });

  it('rounds a notch that lands a hair off a whole second', () => {
    expect(formatTimelineLabel(59.9996, 120)).toBe('1:00');
    expect(formatTimelineLabel(14.999999, 30)).toBe('15');
  });

  it('treats an unknown length as a short take rather than failing', () => {
    expect(formatTimelineLabel(5, Number.NaN)).toBe('5');
    expect(formatTimelineLabel(5, 0)).toBe('5');
  });
});
