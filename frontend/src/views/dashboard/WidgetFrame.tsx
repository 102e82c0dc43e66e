import type { ReactNode } from 'react';
import { WIDGET_TITLES, type WidgetKind } from './layout';

/** One widget: a named region (its heading) that the page lays out in the saved order. */
export function WidgetFrame({ kind, children }: { kind: WidgetKind; children: ReactNode }) {
  const id = `widget-${kind.toLowerCase()}`;
  return (
    <section className="card widget" aria-labelledby={id} data-widget={kind}>
      <h2 id={id}>{WIDGET_TITLES[kind]}</h2>
      {children}
    </section>
  );
}
