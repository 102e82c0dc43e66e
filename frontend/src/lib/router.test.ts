import { describe, expect, it } from 'vitest';
import { isPlainClick, matchRoute, queryParam } from './router';
import { safeNext } from '../views/SignIn';

const routes = [
  { pattern: '/', value: 'home' },
  { pattern: '/messages', value: 'list' },
  { pattern: '/messages/new', value: 'new' },
  { pattern: '/messages/:id', value: 'thread' },
];

describe('matchRoute', () => {
  it('matches static paths before parameters, in order', () => {
    expect(matchRoute(routes, '/')?.value).toBe('home');
    expect(matchRoute(routes, '/messages/')?.value).toBe('list');
    expect(matchRoute(routes, '/messages/new')?.value).toBe('new');
  });

  it('decodes parameters and ignores the query string', () => {
    expect(matchRoute(routes, '/messages/TWVzc2FnZVRocmVhZDox?x=1')).toEqual({ value: 'thread', params: { id: 'TWVzc2FnZVRocmVhZDox' } });
    expect(matchRoute(routes, '/messages/a%3Db')?.params.id).toBe('a=b');
  });

  it('returns null for unknown paths and broken escapes', () => {
    expect(matchRoute(routes, '/nope')).toBeNull();
    expect(matchRoute(routes, '/messages/a/b')).toBeNull();
    expect(matchRoute(routes, '/messages/%E0%A4%A')).toBeNull();
  });
});

describe('queryParam and safeNext', () => {
  it('reads a parameter', () => {
    expect(queryParam('/verify-email?token=abc%2Bd', 'token')).toBe('abc+d');
    expect(queryParam('/verify-email', 'token')).toBeNull();
  });

  it('only follows next= inside the app', () => {
    expect(safeNext('/messages')).toBe('/messages');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('isPlainClick', () => {
  const base = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
  it('leaves modified clicks to the browser', () => {
    expect(isPlainClick(base)).toBe(true);
    expect(isPlainClick({ ...base, ctrlKey: true })).toBe(false);
    expect(isPlainClick({ ...base, button: 1 })).toBe(false);
    expect(isPlainClick({ ...base, defaultPrevented: true })).toBe(false);
  });
});
