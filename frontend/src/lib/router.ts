import { createElement, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny history router: the path is the state, links push it, popstate follows it. */
type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** The current path with its query string, e.g. "/messages/abc?x=1". */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export interface Route<T> {
  pattern: string;
  value: T;
}

export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

/** Matches "/messages/:id" style patterns; query strings and a trailing slash are ignored. */
export function matchRoute<T>(routes: readonly Route<T>[], location: string): Match<T> | null {
  const path = location.split(/[?#]/, 1)[0] ?? '/';
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((segment, index) => {
      const part = parts[index] ?? '';
      if (segment.startsWith(':')) {
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      } else if (segment !== part) ok = false;
    });
    if (ok) return { value: route.value, params };
  }
  return null;
}

export function queryParam(location: string, name: string): string | null {
  const query = location.split('?')[1] ?? '';
  return new URLSearchParams(query).get(name);
}

/** Whether a click should be left to the browser (new tab, download, modified click). */
export function isPlainClick(event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

export function Link({ onClick, ...props }: LinkProps) {
  return createElement('a', {
    ...props,
    onClick(event: MouseEvent<HTMLAnchorElement>) {
      onClick?.(event);
      if (!isPlainClick(event) || props.target) return;
      event.preventDefault();
      navigate(props.href);
    },
  });
}
