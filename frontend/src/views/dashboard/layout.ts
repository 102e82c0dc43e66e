/**
 * The dashboard's widget layout on the client (pure; tested in layout.test.ts).
 *
 * The server owns the layout (`dashboardLayout`): every kind once, in order, shown or hidden.
 * The client only reorders and toggles a copy (the draft), then sends it whole. Kinds the
 * server sends that this build does not know (a newer server) are skipped, never shown broken.
 */

export const WIDGET_KINDS = [
  'UPCOMING_APPOINTMENTS',
  'RECENT_MESSAGES',
  'PROGRESS_CHART',
  'TODAYS_EXERCISES',
  'NOTIFICATIONS',
  'QUICK_ACTIONS',
] as const;

export type WidgetKind = (typeof WIDGET_KINDS)[number];

export interface Widget {
  kind: WidgetKind;
  hidden: boolean;
}

/** Each widget's heading: also its name in the customise list and in announcements. */
export const WIDGET_TITLES: Record<WidgetKind, string> = {
  UPCOMING_APPOINTMENTS: 'Upcoming appointments',
  RECENT_MESSAGES: 'Recent messages',
  PROGRESS_CHART: 'Your pain chart',
  TODAYS_EXERCISES: "Today's exercises",
  NOTIFICATIONS: 'Notifications',
  QUICK_ACTIONS: 'Quick actions',
};

/** The patient's default: every widget shown, in the server's default order. */
export const DEFAULT_LAYOUT: readonly Widget[] = WIDGET_KINDS.map((kind) => ({ kind, hidden: false }));

export function isWidgetKind(value: string): value is WidgetKind {
  return (WIDGET_KINDS as readonly string[]).includes(value);
}

/** The server's widgets this build knows, each once, in the server's order. */
export function fromServer(widgets: readonly { kind: string; hidden: boolean }[] | null | undefined): Widget[] {
  const seen = new Set<WidgetKind>();
  const result: Widget[] = [];
  for (const widget of widgets ?? []) {
    if (!isWidgetKind(widget.kind) || seen.has(widget.kind)) continue;
    seen.add(widget.kind);
    result.push({ kind: widget.kind, hidden: widget.hidden });
  }
  return result;
}

/** The widgets to draw, in order. */
export function visibleWidgets(layout: readonly Widget[]): WidgetKind[] {
  return layout.filter((widget) => !widget.hidden).map((widget) => widget.kind);
}

/** The layout with one widget moved one place up (-1) or down (+1); unchanged at an end. */
export function move(layout: readonly Widget[], kind: WidgetKind, step: -1 | 1): Widget[] {
  const from = layout.findIndex((widget) => widget.kind === kind);
  const to = from + step;
  if (from < 0 || to < 0 || to >= layout.length) return [...layout];
  const result = [...layout];
  [result[from], result[to]] = [result[to]!, result[from]!];
  return result;
}

export function canMove(layout: readonly Widget[], kind: WidgetKind, step: -1 | 1): boolean {
  const from = layout.findIndex((widget) => widget.kind === kind);
  const to = from + step;
  return from >= 0 && to >= 0 && to < layout.length;
}

/** The layout with one widget shown or hidden; it keeps its place either way. */
export function setHidden(layout: readonly Widget[], kind: WidgetKind, hidden: boolean): Widget[] {
  return layout.map((widget) => (widget.kind === kind ? { ...widget, hidden } : widget));
}

export function sameLayout(a: readonly Widget[], b: readonly Widget[]): boolean {
  return a.length === b.length && a.every((widget, index) => widget.kind === b[index]?.kind && widget.hidden === b[index]?.hidden);
}

/** What saveDashboardLayout takes. */
export function toInput(layout: readonly Widget[]): { kind: WidgetKind; hidden: boolean }[] {
  return layout.map(({ kind, hidden }) => ({ kind, hidden }));
}

/** What the live region says after a move: "Quick actions moved up: now 2 of 6." */
export function describeMove(layout: readonly Widget[], kind: WidgetKind, step: -1 | 1): string {
  const title = WIDGET_TITLES[kind];
  const index = layout.findIndex((widget) => widget.kind === kind);
  if (index < 0) return '';
  return `${title} moved ${step < 0 ? 'up' : 'down'}: now ${index + 1} of ${layout.length}.`;
}

/** Why a move did nothing: "Quick actions is already first." */
export function describeBlockedMove(kind: WidgetKind, step: -1 | 1): string {
  return `${WIDGET_TITLES[kind]} is already ${step < 0 ? 'first' : 'last'}.`;
}

export function describeVisibility(kind: WidgetKind, hidden: boolean): string {
  return hidden
    ? `${WIDGET_TITLES[kind]} hidden. It keeps its place, so you can show it again here.`
    : `${WIDGET_TITLES[kind]} shown.`;
}

/** A sentence for the layout as a whole ("4 of 6 widgets shown."), said after Save or Reset. */
export function describeLayout(layout: readonly Widget[]): string {
  const shown = visibleWidgets(layout).length;
  if (shown === 0) return 'Every widget is hidden. Choose Customise dashboard to show some again.';
  return `${shown} of ${layout.length} widgets shown.`;
}
