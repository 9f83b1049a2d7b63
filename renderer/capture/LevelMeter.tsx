/**
 * A horizontal level meter in dBFS: the RMS bar against the target speech band, the peak with its
 * hold marker, and a clip light that stays on long enough to be seen.
 */
import { formatDb, minDbfs } from '../../shared/audio-analysis';
import type { MeterReading } from './audio-monitor';

export type LevelBand = { min: number; max: number };

/** The scale's left end: quieter than this reads as nothing. */
export const meterFloorDbfs = -60;

const position = (dbfs: number) => `${(Math.min(0, Math.max(meterFloorDbfs, dbfs)) / -meterFloorDbfs + 1) * 100}%`;

export type LevelVerdict = 'none' | 'quiet' | 'good' | 'loud' | 'clipping';

export function levelVerdict(reading: MeterReading, band: LevelBand): LevelVerdict {
  if (reading.clipping) return 'clipping';
  if (!reading.signal || reading.rmsDbfs <= meterFloorDbfs) return 'none';
  if (reading.rmsDbfs < band.min) return 'quiet';
  if (reading.rmsDbfs > band.max) return 'loud';
  return 'good';
}

const verdictText: Record<LevelVerdict, string> = {
  none: 'No sound',
  quiet: 'Too quiet',
  good: 'In the target band',
  loud: 'Loud',
  clipping: 'Clipping!',
};

export function LevelMeter({ reading, band, label = 'Input level' }: { reading: MeterReading; band: LevelBand; label?: string }) {
  const verdict = levelVerdict(reading, band);
  const ticks = [-60, -48, -36, -24, -18, -12, -6, 0];
  return (
    <div className="meter level-meter" data-verdict={verdict}>
      <div className="meter-head">
        <span className="meter-label">{label}</span>
        <span className={`meter-state meter-state-${verdict}`}>{verdictText[verdict]}</span>
        <span className="meter-readout" data-testid="level-readout">
          {formatDb(reading.rmsDbfs)} RMS · peak {formatDb(reading.peakHoldDbfs)}
        </span>
      </div>
      <div className="meter-track-row">
        <div
          className="meter-track"
          role="meter"
          aria-label={`${label} in dBFS`}
          aria-valuemin={meterFloorDbfs}
          aria-valuemax={0}
          aria-valuenow={Math.max(meterFloorDbfs, Math.round(reading.rmsDbfs))}
          aria-valuetext={`${formatDb(reading.rmsDbfs)} RMS, ${verdictText[verdict]}`}
        >
          <div
            className="meter-band"
            style={{ left: position(band.min), width: `calc(${position(band.max)} - ${position(band.min)})` }}
            title={`Target ${band.min} to ${band.max} dB RMS`}
          />
          <div className="meter-peak-bar" style={{ width: position(reading.peakDbfs) }} />
          <div className="meter-rms-bar" style={{ width: reading.rmsDbfs <= minDbfs ? '0%' : position(reading.rmsDbfs) }} />
          <div className="meter-hold" style={{ left: position(reading.peakHoldDbfs) }} />
        </div>
        <span className={reading.clipping ? 'clip-light on' : 'clip-light'} aria-live="polite">
          {reading.clipping ? 'CLIP' : 'clip'}
        </span>
      </div>
      <div className="meter-scale" aria-hidden="true">
        {ticks.map((tick) => (
          <span key={tick} style={{ left: position(tick) }}>
            {tick}
          </span>
        ))}
      </div>
    </div>
  );
}
