import { useCallback, useEffect } from 'react';

export const APP_NAME = 'Relief';

export function documentTitle(page: string): string {
  return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

/**
 * Sets document.title, and moves focus to the page's heading whenever a new one appears: on
 * every route change, and when a page moves to its next step (a form's confirmation, a
 * conversation once loaded). A screen reader announces it and the keyboard starts from the
 * top of the new content. The heading carries tabIndex={-1}: focusable by script only.
 */
export function usePageHeading<T extends HTMLElement = HTMLHeadingElement>(title: string) {
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
  return useCallback((heading: T | null) => {
    heading?.focus();
  }, []);
}
