/** The frame of every screen: a heading, a one-line purpose, then the content. */
import type { ReactNode } from 'react';

export function Screen({ title, intro, actions, children }: { title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <div>
          <h2 id="screen-title">{title}</h2>
          {intro && <p className="screen-intro">{intro}</p>}
        </div>
        {actions && <div className="screen-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** A labelled list of facts, for requirements and settings. */
export function FactList({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([term, detail]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{detail}</dd>
        </div>
      ))}
    </dl>
  );
}
