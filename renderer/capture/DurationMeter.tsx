/** How long a take is against its limits: the minimum and maximum marked, and a plain verdict. */
import { formatDuration } from '../../shared/audio-analysis';

export type DurationLimits = { minMs: number; maxMs: number; warnBeforeMaxMs: number };

/** A kind's length rules (shared/requirements.ts) as the meter reads them. */
export function durationLimits(rules: { minSeconds: number; maxSeconds: number; warnBeforeMaxSeconds?: number }): DurationLimits {
  return { minMs: rules.minSeconds * 1000, maxMs: rules.maxSeconds * 1000, warnBeforeMaxMs: (rules.warnBeforeMaxSeconds ?? 0) * 1000 };
}
export type DurationVerdict = 'too-short' | 'good' | 'approaching-limit' | 'at-limit';

export function durationVerdict(ms: number, limits: DurationLimits): DurationVerdict {
  if (ms < limits.minMs) return 'too-short';
  if (ms >= limits.maxMs) return 'at-limit';
  if (ms >= limits.maxMs - limits.warnBeforeMaxMs) return 'approaching-limit';
  return 'good';
}

function verdictText(ms: number, verdict: DurationVerdict, limits: DurationLimits): string {
  switch (verdict) {
    case 'too-short':
      return `Too short: ${formatDuration(limits.minMs - ms)} more needed`;
    case 'good':
      return 'Good length';
    case 'approaching-limit':
      return `Approaching the limit: ${formatDuration(limits.maxMs - ms)} left`;
    case 'at-limit':
      return 'At the limit';
  }
}

/** `idle`: nothing is being measured yet; the meter shows the limits instead of a verdict. */
export function DurationMeter({ ms, limits, label = 'Length', idle = false }: { ms: number; limits: DurationLimits; label?: string; idle?: boolean }) {
  const verdict = durationVerdict(ms, limits);
  const text = idle ? `Needs ${formatDuration(limits.minMs)} to ${formatDuration(limits.maxMs)}` : verdictText(ms, verdict, limits);
  const at = (value: number) => `${Math.min(100, (value / limits.maxMs) * 100)}%`;
  return (
    <div className="meter duration-meter" data-verdict={idle ? 'idle' : verdict}>
      <div className="meter-head">
        <span className="meter-label">{label}</span>
        <span className={`meter-state meter-state-${idle ? 'none' : verdict}`} data-testid="duration-state">
          {text}
        </span>
        <span className="meter-readout meter-clock" data-testid="duration-readout">
          {formatDuration(ms)} <span className="muted">/ {formatDuration(limits.maxMs)}</span>
        </span>
      </div>
      <div
        className="meter-track"
        role="meter"
        aria-label={`${label} in seconds`}
        aria-valuemin={0}
        aria-valuemax={limits.maxMs / 1000}
        aria-valuenow={Math.round(ms / 1000)}
        aria-valuetext={`${formatDuration(ms)}: ${text}`}
      >
        <div className="duration-zone duration-zone-short" style={{ width: at(limits.minMs) }} />
        <div className="duration-zone duration-zone-warn" style={{ left: at(limits.maxMs - limits.warnBeforeMaxMs), right: 0 }} />
        <div className="duration-fill" style={{ width: at(ms) }} />
        <div className="duration-mark" style={{ left: at(limits.minMs) }} title="Minimum" />
        <div className="duration-mark" style={{ left: at(limits.maxMs - limits.warnBeforeMaxMs) }} title="Approaching the limit" />
      </div>
      <div className="meter-scale" aria-hidden="true">
        <span style={{ left: '0%' }}>0:00</span>
        <span style={{ left: at(limits.minMs) }}>min {formatDuration(limits.minMs)}</span>
        <span style={{ left: '100%' }}>max {formatDuration(limits.maxMs)}</span>
      </div>
    </div>
  );
}
