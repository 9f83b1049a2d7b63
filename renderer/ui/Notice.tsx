/** A message block: errors read out by screen readers, hints and "not yet available" notes. */
import type { ReactNode } from 'react';

export function Notice({ tone = 'info', title, children }: { tone?: 'info' | 'warn' | 'error' | 'success'; title?: string; children?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong className="notice-title">{title}</strong>}
      {children && <div className="notice-body">{children}</div>}
    </div>
  );
}

/** What went wrong with a device or a recorder (titled with what it concerns), and what it wants said more softly. */
export function Trouble({ title, error, notice }: { title: string; error: string | null; notice?: string | null }) {
  return (
    <>
      {error && (
        <Notice tone="error" title={title}>
          {error}
        </Notice>
      )}
      {notice && <Notice tone="warn">{notice}</Notice>}
    </>
  );
}
