/** A take's quality checks, each with its verdict and the reason in plain words. */
import type { CheckResult } from '../../shared/drafts';
import { overallVerdict } from '../../shared/audio-analysis';

const marks = { pass: '✓', warn: '!', fail: '✕' } as const;
const words = { pass: 'Pass', warn: 'Warning', fail: 'Fail' } as const;

export function verdictSummary(checks: readonly CheckResult[]): string {
  const verdict = overallVerdict(checks);
  if (verdict === null) return 'Not checked yet';
  const fails = checks.filter((check) => check.verdict === 'fail').length;
  const warns = checks.filter((check) => check.verdict === 'warn').length;
  if (fails > 0) return `${fails} ${fails === 1 ? 'check fails' : 'checks fail'}`;
  if (warns > 0) return `Usable · ${warns} ${warns === 1 ? 'warning' : 'warnings'}`;
  return 'All checks pass';
}

export function ChecksList({ checks, busy }: { checks: readonly CheckResult[]; busy?: string | null }) {
  return (
    <div className="checks" aria-busy={busy ? true : undefined}>
      {busy && <p className="checks-busy muted">{busy}</p>}
      <ul className="check-list" aria-label="Quality checks">
        {checks.map((check) => (
          <li key={check.id} className={`check check-${check.verdict}`} data-check={check.id} data-verdict={check.verdict}>
            <span className="check-mark" aria-hidden="true">
              {marks[check.verdict]}
            </span>
            <span className="check-label">{check.label}</span>
            <span className="check-verdict">{words[check.verdict]}</span>
            <span className="check-reason">{check.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
