import { useLayoutEffect, useRef, useState } from 'react';
import {
  canMove,
  describeBlockedMove,
  describeMove,
  describeVisibility,
  move,
  setHidden,
  WIDGET_TITLES,
  type Widget,
  type WidgetKind,
} from './layout';

type Action = 'up' | 'down' | 'toggle';

/**
 * Arranging the widgets with buttons only: move up, move down, hide or show, each said in the
 * live region below the list. Nothing is dragged, and nothing is saved until "Save layout".
 *
 * The buttons at an end of the list stay focusable (aria-disabled, not disabled) and say why
 * they did nothing, so focus is never lost when a widget reaches the top or bottom. React moves
 * a list item's DOM node when its place changes, which drops focus, so the button that was
 * pressed is focused again after every change.
 */
export function CustomisePanel({
  draft,
  onChange,
  onSave,
  onReset,
  onCancel,
}: {
  draft: readonly Widget[];
  onChange: (layout: Widget[]) => void;
  onSave: () => void;
  onReset: () => void;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  const [refocus, setRefocus] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);

  useLayoutEffect(() => heading.current?.focus(), []);
  useLayoutEffect(() => {
    if (refocus) buttons.current.get(refocus)?.focus();
  }, [refocus, draft]);

  // The same words twice in a row are not announced again by every screen reader: vary them.
  const say = (words: string) => setMessage((previous) => (previous === words ? `${words}\u00a0` : words));

  function act(kind: WidgetKind, action: Action) {
    setRefocus(`${kind}:${action}`);
    if (action === 'toggle') {
      const hidden = !draft.find((widget) => widget.kind === kind)?.hidden;
      onChange(setHidden(draft, kind, hidden));
      say(describeVisibility(kind, hidden));
      return;
    }
    const step = action === 'up' ? -1 : 1;
    if (!canMove(draft, kind, step)) {
      say(describeBlockedMove(kind, step));
      return;
    }
    const moved = move(draft, kind, step);
    onChange(moved);
    say(describeMove(moved, kind, step));
  }

  const keep = (key: string) => (element: HTMLButtonElement | null) => {
    if (element) buttons.current.set(key, element);
    else buttons.current.delete(key);
  };

  return (
    <section id="customise-panel" className="card customise" aria-labelledby="customise-heading">
      <h2 id="customise-heading" ref={heading} tabIndex={-1}>
        Customise your dashboard
      </h2>
      <p className="hint" id="customise-hint">
        Move widgets up or down, and hide the ones you do not need. Nothing changes until you choose Save layout.
      </p>
      <ol className="customise-list" aria-describedby="customise-hint">
        {draft.map((widget, index) => {
          const title = WIDGET_TITLES[widget.kind];
          const first = index === 0;
          const last = index === draft.length - 1;
          return (
            <li key={widget.kind} data-hidden={widget.hidden}>
              <div className="customise-row">
                <span className="customise-name">
                  {title} <span className={widget.hidden ? 'tag muted' : 'tag'}>{widget.hidden ? 'Hidden' : 'Shown'}</span>
                </span>
                <span className="customise-buttons">
                  <button
                    type="button"
                    ref={keep(`${widget.kind}:up`)}
                    className="button secondary small"
                    aria-label={`Move up: ${title}`}
                    aria-disabled={first || undefined}
                    onClick={() => act(widget.kind, 'up')}
                  >
                    Move up
                  </button>
                  <button
                    type="button"
                    ref={keep(`${widget.kind}:down`)}
                    className="button secondary small"
                    aria-label={`Move down: ${title}`}
                    aria-disabled={last || undefined}
                    onClick={() => act(widget.kind, 'down')}
                  >
                    Move down
                  </button>
                  <button
                    type="button"
                    ref={keep(`${widget.kind}:toggle`)}
                    className="button secondary small"
                    // The visible word starts the name (WCAG 2.5.3); the widget's title says which.
                    aria-label={`${widget.hidden ? 'Show' : 'Hide'}: ${title}`}
                    onClick={() => act(widget.kind, 'toggle')}
                  >
                    {widget.hidden ? 'Show' : 'Hide'}
                  </button>
                </span>
              </div>
            </li>
          );
        })}
      </ol>
      <p className="customise-status" role="status" aria-live="polite">
        {message}
      </p>
      <div className="customise-actions">
        <button type="button" className="button" onClick={onSave}>
          Save layout
        </button>
        <button type="button" className="button secondary" onClick={onReset}>
          Reset to default
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
