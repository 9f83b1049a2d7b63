/** The live exposure check in plain words (good light, too dark, blown highlights…) with the numbers behind it. */
import { type ExposureAnalysis, exposureVerdict } from '../../../shared/exposure';
import { exposureQuality } from '../../../shared/requirements';

const percent = (share: number) => `${Math.round(share * 100)} %`;

export function ExposureMeter({ exposure, mirrored = false }: { exposure: ExposureAnalysis | null; mirrored?: boolean }) {
  if (!exposure) {
    return (
      <div className="meter exposure-meter" data-verdict="none">
        <div className="meter-head">
          <span className="meter-label">Light</span>
          <span className="meter-state meter-state-none">Measured once the camera is on</span>
        </div>
      </div>
    );
  }
  const verdict = exposureVerdict(exposure, { mirrored });
  const band = exposureQuality.meanLuma;
  return (
    <div className="meter exposure-meter" data-verdict={verdict.verdict} data-testid="exposure-meter">
      <div className="meter-head">
        <span className="meter-label">Light</span>
        <span className={`meter-state exposure-state-${verdict.verdict}`} role="status" data-testid="exposure-verdict">
          {verdict.headline}
        </span>
        <span className="meter-readout">
          brightness {percent(exposure.meanLuma)} · white {percent(exposure.clippedShare)} · black {percent(exposure.crushedShare)}
        </span>
      </div>
      <div
        className="meter-track exposure-track"
        role="meter"
        aria-label="Average brightness"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(exposure.meanLuma * 100)}
        aria-valuetext={`${percent(exposure.meanLuma)}: ${verdict.headline}`}
      >
        <div className="exposure-band" style={{ left: `${band.min * 100}%`, width: `${(band.max - band.min) * 100}%` }} title="The brightness to aim for" />
        <div className="exposure-mark" style={{ left: `${exposure.meanLuma * 100}%` }} />
      </div>
      <p className="exposure-detail">{verdict.detail}</p>
    </div>
  );
}
