import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { EmergencyAccessReviewQuery } from '../../gql/graphql';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { useSession } from '../../session';
import { requestErrorCode } from '../accessLog/requests';
import { formatDateTime } from '../appointments/schedule';
import { clockTime, describeEmergencyError, describeRemaining, describeStatus, isOpen, patientLabel } from './emergency';
import { CloseEmergencyAccessDocument, EMERGENCY_CONTEXT, useNow } from './queries';
import { isAdmin } from './roles';
import './emergency.css';

const ReviewDocument = graphql(`
  query EmergencyAccessReview($first: Int, $after: String, $openOnly: Boolean!) {
    emergencyAccesses(first: $first, after: $after, openOnly: $openOnly) {
      edges {
        node {
          id
          reason
          openedAt
          expiresAt
          closedAt
          status
          openedByName
          patientId
          patient {
            id
            givenName
            familyName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 20;

type Access = EmergencyAccessReviewQuery['emergencyAccesses']['edges'][number]['node'];

export default function EmergencyReview() {
  const heading = usePageHeading('Emergency access review');
  const { viewer } = useSession();
  const [openOnly, setOpenOnly] = useState(false);
  return (
    <section aria-labelledby="review-heading" className="emergency">
      <h1 id="review-heading" ref={heading} tabIndex={-1}>
        Emergency access review
      </h1>
      {!isAdmin(viewer?.roles) ? (
        <p>Only the clinic&apos;s administrators review emergency access.</p>
      ) : (
        <>
          <p className="lead">
            Every time a clinician opened a record outside their caseload, newest first, with the reason they gave. Check that each
            reason fits; the patient has been told.
          </p>
          <div className="check">
            <input id="review-open-only" type="checkbox" checked={openOnly} onChange={(event) => setOpenOnly(event.target.checked)} />
            <label htmlFor="review-open-only">Show open accesses only</label>
          </div>
          <ReviewList key={String(openOnly)} openOnly={openOnly} />
        </>
      )}
    </section>
  );
}

function ReviewList({ openOnly }: { openOnly: boolean }) {
  const client = useClient();
  const now = useNow();
  const zone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const variables = useMemo(() => ({ openOnly, first: PAGE_SIZE }), [openOnly]);
  const [{ data, fetching, error }] = useQuery({ query: ReviewDocument, variables, context: EMERGENCY_CONTEXT, requestPolicy: 'cache-and-network' });
  const [more, setMore] = useState<{ items: Access[]; hasNextPage: boolean; endCursor: string | null }[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [{ fetching: closing }, close] = useMutation(CloseEmergencyAccessDocument);
  const [closeError, setCloseError] = useState<string | null>(null);
  const firstNew = useRef<HTMLLIElement>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  useEffect(() => {
    if (focusIndex !== null) firstNew.current?.focus();
  }, [focusIndex]);

  if (fetching && !data) return <Loading label="Loading emergency accesses…" />;
  if (!data) return <ErrorNote>{describeEmergencyError(requestErrorCode(error))}</ErrorNote>;

  const first = data.emergencyAccesses;
  // A later page may repeat one that the refreshed first page holds now: each id once.
  const seen = new Set<string>();
  const items = [...first.edges.map((edge) => edge.node), ...more.flatMap((page) => page.items)].filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
  const last = more[more.length - 1] ?? { hasNextPage: first.pageInfo.hasNextPage, endCursor: first.pageInfo.endCursor ?? null };

  async function showMore() {
    if (!last.endCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const answer = await client.query(ReviewDocument, { ...variables, after: last.endCursor }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = answer.data?.emergencyAccesses;
    if (!page) {
      setMoreError(describeEmergencyError(requestErrorCode(answer.error)));
      return;
    }
    setFocusIndex(items.length);
    setMore((pages) => [
      ...pages,
      { items: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor ?? null },
    ]);
  }

  return (
    <>
      <ErrorNote>{error ? describeEmergencyError(requestErrorCode(error)) : null}</ErrorNote>
      <ErrorNote>{closeError}</ErrorNote>
      {items.length === 0 ? (
        <p>{openOnly ? 'No emergency access is open now.' : 'Nobody has opened a record in an emergency yet.'}</p>
      ) : (
        <ol className="review-list">
          {items.map((access, index) => {
            const name = patientLabel(access.patient);
            const open = isOpen(access, now);
            return (
              <li
                key={access.id}
                ref={index === focusIndex ? firstNew : undefined}
                tabIndex={index === focusIndex ? -1 : undefined}
                className={`card review-item${open ? ' open' : ''}`}
              >
                <h2 className="review-title">
                  {access.openedByName} opened {name}&apos;s record
                </h2>
                <p>
                  <span className={`review-status${open ? ' open' : ''}`}>{describeStatus(access, now)}</span>{' '}
                  <span className="meta">
                    Opened {formatDateTime(access.openedAt, zone)}.{' '}
                    {access.closedAt
                      ? `Ended early at ${clockTime(access.closedAt)}.`
                      : open
                        ? `Until ${clockTime(access.expiresAt)} (${describeRemaining(access.expiresAt, now)}).`
                        : `Ran out at ${clockTime(access.expiresAt)}.`}
                  </span>
                </p>
                <p className="log-reason-label">Reason given:</p>
                <blockquote className="review-reason">{access.reason}</blockquote>
                <div className="actions">
                  <Link className="button small secondary" href={`/access-log?patient=${encodeURIComponent(access.patientId)}`}>
                    Who saw {name}&apos;s record
                  </Link>
                  {open && (
                    <button
                      type="button"
                      className="button small"
                      disabled={closing}
                      aria-busy={closing}
                      onClick={async () => {
                        setCloseError(null);
                        const result = await close({ id: access.id }, EMERGENCY_CONTEXT);
                        if (result.error) setCloseError(describeEmergencyError(requestErrorCode(result.error)));
                      }}
                    >
                      End this access<span className="visually-hidden"> to {name}&apos;s record</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <ErrorNote>{moreError}</ErrorNote>
      {loadingMore && <Loading label="Loading more…" />}
      {last.hasNextPage && !loadingMore && (
        <button type="button" className="button secondary" onClick={showMore}>
          Show more
        </button>
      )}
    </>
  );
}
