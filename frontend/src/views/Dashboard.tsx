import { lazy, Suspense, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError, describeTypedError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { useSession } from '../session';
import { AppointmentsWidget } from './dashboard/AppointmentsWidget';
import { CustomisePanel } from './dashboard/Customise';
import { ExercisesWidget } from './dashboard/ExercisesWidget';
import { DEFAULT_LAYOUT, describeLayout, fromServer, sameLayout, toInput, visibleWidgets, type Widget, type WidgetKind } from './dashboard/layout';
import { MessagesWidget } from './dashboard/MessagesWidget';
import { NotificationsWidget } from './dashboard/NotificationsWidget';
import { QuickActions } from './dashboard/QuickActions';
import { WidgetFrame } from './dashboard/WidgetFrame';
import './dashboard/dashboard.css';

// The chart widget (and, through it, Chart.js) loads only when the widget is shown.
const ProgressWidget = lazy(() => import('./dashboard/ProgressWidget'));

graphql(`
  fragment DashboardLayoutFields on DashboardLayout {
    widgets {
      kind
      hidden
    }
    isDefault
    updatedAt
  }
`);

const DashboardPageQuery = graphql(`
  query DashboardPage {
    dashboardLayout {
      ...DashboardLayoutFields
    }
    myPatient {
      id
      givenName
      preferredName
    }
  }
`);

const SaveDashboardLayoutMutation = graphql(`
  mutation SaveDashboardLayout($widgets: [DashboardWidgetInput!]!) {
    saveDashboardLayout(widgets: $widgets) {
      __typename
      ... on DashboardLayout {
        ...DashboardLayoutFields
      }
      ... on DashboardErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const ResetDashboardLayoutMutation = graphql(`
  mutation ResetDashboardLayout {
    resetDashboardLayout {
      ...DashboardLayoutFields
    }
  }
`);

function WidgetBody({ kind, patientId }: { kind: WidgetKind; patientId: string | null }) {
  switch (kind) {
    case 'UPCOMING_APPOINTMENTS':
      return <AppointmentsWidget patientId={patientId} />;
    case 'RECENT_MESSAGES':
      return <MessagesWidget />;
    case 'PROGRESS_CHART':
      return (
        <Suspense fallback={<Loading label="Loading your pain chart…" />}>
          <ProgressWidget patientId={patientId} />
        </Suspense>
      );
    case 'TODAYS_EXERCISES':
      return <ExercisesWidget />;
    case 'NOTIFICATIONS':
      return <NotificationsWidget />;
    case 'QUICK_ACTIONS':
      return <QuickActions />;
  }
}

/**
 * The home page: widgets in the order the user saved, hidden ones left out. "Customise
 * dashboard" opens a list to move and hide them with buttons. Saving shows the new layout at
 * once and puts the old one back, with the reason in words, when the server refuses.
 */
export default function Dashboard() {
  const { viewer } = useSession();
  const heading = usePageHeading('Your dashboard');
  const [{ data, fetching, error }] = useQuery({ query: DashboardPageQuery, requestPolicy: 'cache-and-network' });
  const [, saveLayout] = useMutation(SaveDashboardLayoutMutation);
  const [, resetLayout] = useMutation(ResetDashboardLayoutMutation);
  // The layout on screen when it is ahead of the query: an optimistic change, or the answer to one.
  const [shown, setShown] = useState<Widget[] | null>(null);
  // Non-null while customising: the layout being arranged, not yet saved.
  const [draft, setDraft] = useState<Widget[] | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [returnFocus, setReturnFocus] = useState(0);
  const customiseButton = useRef<HTMLButtonElement>(null);
  // Only the newest save or reset may put its answer (or a rollback) on screen.
  const latest = useRef(0);

  const stored = useMemo(() => (data ? fromServer(data.dashboardLayout.widgets) : null), [data]);
  // Without a layout (it could not be read) the default one still shows every widget.
  const layout: readonly Widget[] = shown ?? stored ?? (error ? DEFAULT_LAYOUT : []);
  const ready = Boolean(data || error);

  useLayoutEffect(() => {
    if (returnFocus) customiseButton.current?.focus();
  }, [returnFocus]);

  const patient = data?.myPatient ?? null;
  const isPatient = viewer?.roles.includes('PATIENT') ?? false;
  const name = (isPatient && (patient?.preferredName || patient?.givenName)) || viewer?.displayName;

  function close(message: string) {
    setDraft(null);
    setNote(message);
    setReturnFocus((count) => count + 1);
  }

  async function save() {
    if (!draft) return;
    const previous = [...layout];
    const next = draft;
    const attempt = ++latest.current;
    setProblem(null);
    if (sameLayout(previous, next)) return close('Nothing was changed.');
    setShown(next);
    close('Saving your dashboard…');
    const result = await saveLayout({ widgets: toInput(next) });
    if (attempt !== latest.current) return;
    const payload = result.data?.saveDashboardLayout;
    if (payload?.__typename === 'DashboardLayout') {
      const saved = fromServer(payload.widgets);
      setShown(saved);
      setNote(`Your dashboard is saved. ${describeLayout(saved)}`);
      return;
    }
    setShown(previous);
    setNote('');
    const reason =
      payload?.__typename === 'DashboardErrors' ? payload.errors.map(describeTypedError).join(' ') : (describeRequestError(result.error) ?? describeCode('INTERNAL'));
    setProblem(`Your dashboard could not be saved, so it is back as it was. ${reason}`);
  }

  async function reset() {
    const previous = [...layout];
    const attempt = ++latest.current;
    setProblem(null);
    setShown([...DEFAULT_LAYOUT]);
    close('Putting your dashboard back to the default…');
    const result = await resetLayout({});
    if (attempt !== latest.current) return;
    const payload = result.data?.resetDashboardLayout;
    if (payload) {
      const saved = fromServer(payload.widgets);
      setShown(saved);
      setNote(`Your dashboard is back to the default. ${describeLayout(saved)}`);
      return;
    }
    setShown(previous);
    setNote('');
    setProblem(`Your dashboard could not be reset, so it is back as it was. ${describeRequestError(result.error) ?? describeCode('INTERNAL')}`);
  }

  const onScreen = draft ?? layout;
  const kinds = visibleWidgets(onScreen);

  return (
    <section aria-labelledby="dash-heading" className="dashboard">
      <h1 id="dash-heading" ref={heading} tabIndex={-1}>
        Your dashboard
      </h1>
      {name && <p className="lead">Welcome back, {name}.</p>}
      <div className="dashboard-tools">
        <button
          ref={customiseButton}
          type="button"
          className="button secondary"
          aria-expanded={draft !== null}
          aria-controls={draft ? 'customise-panel' : undefined}
          disabled={!ready}
          onClick={() => {
            if (draft) return close('No changes were made.');
            setProblem(null);
            setNote('');
            setDraft([...layout]);
          }}
        >
          Customise dashboard
        </button>
        <p className="dashboard-note" role="status" aria-live="polite">
          {note}
        </p>
      </div>
      <ErrorNote>{problem}</ErrorNote>
      {fetching && !data && <Loading label="Loading your dashboard…" />}
      <ErrorNote>{data ? null : describeRequestError(error)}</ErrorNote>
      {draft && (
        <CustomisePanel
          draft={draft}
          onChange={setDraft}
          onSave={() => void save()}
          onReset={() => void reset()}
          onCancel={() => close('No changes were made.')}
        />
      )}
      {ready && kinds.length === 0 && (
        <p>{draft ? 'Every widget is hidden. Choose Show next to one to see it here.' : 'Every widget is hidden. Choose Customise dashboard to show some again.'}</p>
      )}
      {ready && kinds.length > 0 && (
        <div className="widgets" aria-label={draft ? 'Preview of your dashboard' : undefined} role={draft ? 'group' : undefined}>
          {kinds.map((kind) => (
            <WidgetFrame key={kind} kind={kind}>
              <WidgetBody kind={kind} patientId={patient?.id ?? null} />
            </WidgetFrame>
          ))}
        </div>
      )}
    </section>
  );
}
