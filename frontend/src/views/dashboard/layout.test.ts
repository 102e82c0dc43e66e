import { describe, expect, it } from 'vitest';
import {
  canMove,
  DEFAULT_LAYOUT,
  describeBlockedMove,
  describeLayout,
  describeMove,
  describeVisibility,
  fromServer,
  move,
  sameLayout,
  setHidden,
  toInput,
  visibleWidgets,
  WIDGET_KINDS,
  type Widget,
} from './layout';

const three: Widget[] = [
  { kind: 'QUICK_ACTIONS', hidden: false },
  { kind: 'NOTIFICATIONS', hidden: true },
  { kind: 'RECENT_MESSAGES', hidden: false },
];

describe('dashboard layout', () => {
  it('keeps the kinds it knows, once each, in the order the server sent', () => {
    const layout = fromServer([
      { kind: 'NOTIFICATIONS', hidden: true },
      { kind: 'WEATHER', hidden: false },
      { kind: 'QUICK_ACTIONS', hidden: false },
      { kind: 'NOTIFICATIONS', hidden: false },
    ]);
    expect(layout).toEqual([
      { kind: 'NOTIFICATIONS', hidden: true },
      { kind: 'QUICK_ACTIONS', hidden: false },
    ]);
    expect(fromServer(null)).toEqual([]);
    expect(fromServer(undefined)).toEqual([]);
  });

  it('draws only the shown widgets, in order', () => {
    expect(visibleWidgets(three)).toEqual(['QUICK_ACTIONS', 'RECENT_MESSAGES']);
    expect(visibleWidgets(DEFAULT_LAYOUT)).toEqual([...WIDGET_KINDS]);
  });

  it('moves a widget one place, and not past either end', () => {
    expect(move(three, 'RECENT_MESSAGES', -1).map((w) => w.kind)).toEqual(['QUICK_ACTIONS', 'RECENT_MESSAGES', 'NOTIFICATIONS']);
    expect(move(three, 'QUICK_ACTIONS', 1).map((w) => w.kind)).toEqual(['NOTIFICATIONS', 'QUICK_ACTIONS', 'RECENT_MESSAGES']);
    expect(move(three, 'QUICK_ACTIONS', -1)).toEqual(three);
    expect(move(three, 'RECENT_MESSAGES', 1)).toEqual(three);
    expect(move(three, 'PROGRESS_CHART', 1)).toEqual(three);
    expect(canMove(three, 'QUICK_ACTIONS', -1)).toBe(false);
    expect(canMove(three, 'QUICK_ACTIONS', 1)).toBe(true);
    expect(canMove(three, 'RECENT_MESSAGES', 1)).toBe(false);
    expect(canMove(three, 'PROGRESS_CHART', -1)).toBe(false);
    // The input is never changed in place: a rollback can keep the old array.
    expect(three.map((w) => w.kind)).toEqual(['QUICK_ACTIONS', 'NOTIFICATIONS', 'RECENT_MESSAGES']);
  });

  it('hides and shows a widget in its place', () => {
    const hidden = setHidden(three, 'QUICK_ACTIONS', true);
    expect(hidden[0]).toEqual({ kind: 'QUICK_ACTIONS', hidden: true });
    expect(setHidden(hidden, 'QUICK_ACTIONS', false)).toEqual(three);
    expect(three[0]!.hidden).toBe(false);
  });

  it('compares layouts by order and visibility', () => {
    expect(sameLayout(three, [...three])).toBe(true);
    expect(sameLayout(three, setHidden(three, 'NOTIFICATIONS', false))).toBe(false);
    expect(sameLayout(three, move(three, 'NOTIFICATIONS', 1))).toBe(false);
    expect(sameLayout(three, three.slice(0, 2))).toBe(false);
  });

  it('sends every widget with its visibility', () => {
    expect(toInput(three)).toEqual([
      { kind: 'QUICK_ACTIONS', hidden: false },
      { kind: 'NOTIFICATIONS', hidden: true },
      { kind: 'RECENT_MESSAGES', hidden: false },
    ]);
  });

  it('says in words what changed', () => {
    const moved = move(three, 'RECENT_MESSAGES', -1);
    expect(describeMove(moved, 'RECENT_MESSAGES', -1)).toBe('Recent messages moved up: now 2 of 3.');
    expect(describeMove(move(three, 'QUICK_ACTIONS', 1), 'QUICK_ACTIONS', 1)).toBe('Quick actions moved down: now 2 of 3.');
    expect(describeBlockedMove('QUICK_ACTIONS', -1)).toBe('Quick actions is already first.');
    expect(describeBlockedMove('RECENT_MESSAGES', 1)).toBe('Recent messages is already last.');
    expect(describeVisibility('NOTIFICATIONS', true)).toMatch(/^Notifications hidden\. It keeps its place/);
    expect(describeVisibility('NOTIFICATIONS', false)).toBe('Notifications shown.');
    expect(describeLayout(three)).toBe('2 of 3 widgets shown.');
    expect(describeLayout(three.map((w) => ({ ...w, hidden: true })))).toMatch(/^Every widget is hidden/);
  });
});
