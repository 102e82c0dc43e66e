/** Small helpers the access log and the emergency views share (a chunk of their own). */

/** Today on this device's clock, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

interface RequestErrorLike {
  networkError?: unknown;
  graphQLErrors?: readonly { extensions?: Record<string, unknown> }[];
}

/** The code of a failed request: NETWORK, or the first GraphQL error's (INTERNAL without one). */
export function requestErrorCode(error: RequestErrorLike | null | undefined): string | null {
  if (!error) return null;
  if (error.networkError) return 'NETWORK';
  const code = error.graphQLErrors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}
