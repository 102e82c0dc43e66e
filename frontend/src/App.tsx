import { lazy, Suspense, useEffect, useRef, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { useMutation } from 'urql';
import { resetRealtime } from './client';
import { NotificationBell } from './components/NotificationBell';
import { graphql } from './gql';
import { Link, matchRoute, navigate, useLocation, type Route } from './lib/router';
import { Loading } from './components/Status';
import { SessionProvider, useActing, useSession } from './session';
import { navigationFor, pathAllowed } from './lib/actingFor';
import { isTherapist } from './views/therapist/therapist';
import { canBreakGlass, isAdmin } from './views/emergency/roles';

type View = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;

const SignIn = lazy(() => import('./views/SignIn'));
const Register = lazy(() => import('./views/Register'));
const VerifyEmail = lazy(() => import('./views/VerifyEmail'));
const ForgotPassword = lazy(() => import('./views/ForgotPassword'));
const ResetPassword = lazy(() => import('./views/ResetPassword'));
const Dashboard = lazy(() => import('./views/Dashboard'));
const Messages = lazy(() => import('./views/Messages'));
const Thread = lazy(() => import('./views/Thread'));
const NewThread = lazy(() => import('./views/NewThread'));
const Account = lazy(() => import('./views/Account'));
const NotificationSettings = lazy(() => import('./views/NotificationSettings'));
const Notifications = lazy(() => import('./views/Notifications'));
const TreatmentPlan = lazy(() => import('./views/plan/PlanView'));
const Progress = lazy(() => import('./views/progress/ProgressView'));
const Appointments = lazy(() => import('./views/appointments/Appointments'));
const BookAppointment = lazy(() => import('./views/appointments/Book'));
const AppointmentDetail = lazy(() => import('./views/appointments/AppointmentDetail'));
const CalendarSettings = lazy(() => import('./views/appointments/CalendarSettings'));
const Waitlist = lazy(() => import('./views/appointments/Waitlist'));
const NotFound = lazy(() => import('./views/NotFound'));
const ConfirmEmailPending = lazy(() => import('./views/ConfirmEmailPending'));
const TherapistHome = lazy(() => import('./views/therapist/TherapistHome'));
const PatientDetail = lazy(() => import('./views/therapist/PatientDetail'));
const PlanEditor = lazy(() => import('./views/therapist/PlanEditor'));
const TherapistSchedule = lazy(() => import('./views/therapist/Schedule'));
const TherapistInbox = lazy(() => import('./views/therapist/Inbox'));
const AccessLog = lazy(() => import('./views/accessLog/AccessLog'));
const EmergencyAccess = lazy(() => import('./views/emergency/EmergencyAccess'));
const EmergencyReview = lazy(() => import('./views/emergency/EmergencyReview'));
// Only clinicians load the banner that says a record is open to them in an emergency.
const EmergencyBanner = lazy(() => import('./views/emergency/EmergencyBanner'));
const FamilyAccess = lazy(() => import('./views/family/FamilyAccess'));
const Profile = lazy(() => import('./views/profile/ProfileView'));
const AcceptInvitation = lazy(() => import('./views/caregiver/AcceptInvitation'));
const CaregiverHome = lazy(() => import('./views/caregiver/CaregiverHome'));
const NotShared = lazy(() => import('./views/caregiver/NotShared'));
// Only people who help someone load the switcher (and its banner).
const ActingBar = lazy(() => import('./views/caregiver/ActingBar'));
const ActingNotice = lazy(() => import('./views/caregiver/ActingBar').then((module) => ({ default: module.ActingNotice })));

/** Pages anyone can open; signed-in people are sent on to the dashboard from the auth forms. */
export const PUBLIC_ROUTES: readonly Route<View>[] = [
  { pattern: '/sign-in', value: SignIn },
  { pattern: '/register', value: Register },
  { pattern: '/verify-email', value: VerifyEmail },
  { pattern: '/forgot-password', value: ForgotPassword },
  { pattern: '/reset-password', value: ResetPassword },
  // The invitee may not have an account yet; the page itself offers sign-in or sign-up.
  { pattern: '/caregiver/accept', value: AcceptInvitation },
];

export const PRIVATE_ROUTES: readonly Route<View>[] = [
  { pattern: '/', value: Dashboard },
  { pattern: '/messages', value: Messages },
  { pattern: '/messages/new', value: NewThread },
  { pattern: '/messages/:id', value: Thread },
  { pattern: '/notifications', value: Notifications },
  { pattern: '/account', value: Account },
  { pattern: '/account/notifications', value: NotificationSettings },
  { pattern: '/appointments', value: Appointments },
  { pattern: '/appointments/book', value: BookAppointment },
  { pattern: '/appointments/calendar', value: CalendarSettings },
  { pattern: '/appointments/waitlist', value: Waitlist },
  { pattern: '/appointments/:id', value: AppointmentDetail },
  { pattern: '/plan', value: TreatmentPlan },
  { pattern: '/progress', value: Progress },
  { pattern: '/patients/:id', value: PatientDetail },
  { pattern: '/patients/:id/plan', value: PlanEditor },
  { pattern: '/schedule', value: TherapistSchedule },
  { pattern: '/inbox', value: TherapistInbox },
  { pattern: '/family', value: FamilyAccess },
  { pattern: '/profile', value: Profile },
  { pattern: '/access-log', value: AccessLog },
  { pattern: '/emergency-access', value: EmergencyAccess },
  { pattern: '/admin/emergency-access', value: EmergencyReview },
];

export const NAVIGATION = [
  { href: '/', label: 'Home' },
  { href: '/appointments', label: 'Appointments' },
  { href: '/messages', label: 'Messages' },
  { href: '/plan', label: 'Treatment Plan' },
  { href: '/progress', label: 'Progress' },
  { href: '/profile', label: 'Profile' },
  { href: '/family', label: 'Family access' },
  { href: '/account', label: 'Account' },
] as const;

/** Someone who only helps others (no record of their own), acting for themselves. */
export const CAREGIVER_NAVIGATION = [
  { href: '/', label: 'Home' },
  { href: '/family', label: 'Family access' },
  { href: '/account', label: 'Account' },
] as const;

/** Whether the person's own home is the caregiver's (they have no patient record). */
export function isCaregiverOnly(roles: readonly string[] | null | undefined): boolean {
  return !!roles && roles.includes('CAREGIVER') && !roles.includes('PATIENT') && !roles.includes('THERAPIST');
}

/** A therapist's navigation: the home page is their caseload, patients open from it. */
export const THERAPIST_NAVIGATION = [
  { href: '/', label: 'Caseload' },
  { href: '/schedule', label: 'Schedule' },
  { href: '/inbox', label: 'Messages' },
  { href: '/emergency-access', label: 'Emergency access' },
  { href: '/account', label: 'Account' },
] as const;

/** Added to an administrator's navigation: the review of every emergency access. */
export const ADMIN_NAVIGATION = [{ href: '/admin/emergency-access', label: 'Emergency access review' }] as const;

/** Which navigation entry a path belongs to ("/messages/abc" is under Messages). */
export function activeSection(path: string, items: readonly { href: string }[] = NAVIGATION): string {
  const clean = path.split('?', 1)[0] ?? '/';
  if (clean === '/' || (items === THERAPIST_NAVIGATION && clean.startsWith('/patients/'))) return '/';
  const match = items.filter((item) => item.href !== '/' && (clean === item.href || clean.startsWith(`${item.href}/`)));
  return match[0]?.href ?? '';
}

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      signedOut
    }
  }
`);

function SignOutButton() {
  const { refresh } = useSession();
  const [{ fetching }, signOut] = useMutation(SignOutMutation);
  return (
    <button
      type="button"
      className="button secondary"
      aria-busy={fetching}
      disabled={fetching}
      onClick={async () => {
        await signOut({});
        resetRealtime();
        navigate('/sign-in');
        refresh();
      }}
    >
      {fetching ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

function Shell({ view: ViewComponent, params }: { view: View; params: Record<string, string> }) {
  const location = useLocation();
  const { viewer } = useSession();
  const { acting, recipients, ended } = useActing();
  const [menuOpen, setMenuOpen] = useState(false);
  // Acting for someone: only the sections their grant covers.
  const ownNavigation = acting
    ? navigationFor(NAVIGATION, acting)
    : isTherapist(viewer?.roles)
      ? THERAPIST_NAVIGATION
      : isCaregiverOnly(viewer?.roles)
        ? CAREGIVER_NAVIGATION
        : NAVIGATION;
  // An administrator also reviews every emergency access.
  const navigation = !acting && isAdmin(viewer?.roles) ? [...ownNavigation, ...ADMIN_NAVIGATION] : ownNavigation;
  const Shown = acting && !pathAllowed(location, acting) ? NotShared : ViewComponent;
  const section = activeSection(location, navigation);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [location]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <Link href="/" className="brand">
          Relief
        </Link>
        <div className="topbar-actions">
          <NotificationBell />
          <span className="who">{viewer?.displayName}</span>
          <SignOutButton />
        </div>
        {(recipients.length > 0 || acting) && (
          <Suspense fallback={null}>
            <ActingBar />
          </Suspense>
        )}
      </header>
      <nav
        id="site-nav"
        aria-label="Main"
        className="sidenav"
        data-open={menuOpen}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && menuOpen) {
            setMenuOpen(false);
            menuButton.current?.focus();
          }
        }}
      >
        <ul>
          {navigation.map((item) => (
            <li key={item.href}>
              <Link href={item.href} aria-current={section === item.href ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {ended && (
          <Suspense fallback={null}>
            <ActingNotice />
          </Suspense>
        )}
        {!acting && canBreakGlass(viewer?.roles) && (
          <Suspense fallback={null}>
            <EmergencyBanner />
          </Suspense>
        )}
        <Suspense fallback={<Loading label="Loading the page…" />}>
          <Shown params={params} />
        </Suspense>
      </main>
    </div>
  );
}

function PublicFrame({ view: ViewComponent, params }: { view: View; params: Record<string, string> }) {
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="public-header">
        <Link href="/sign-in" className="brand">
          Relief
        </Link>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading the page…" />}>
          <ViewComponent params={params} />
        </Suspense>
      </main>
    </div>
  );
}

function Routes() {
  const location = useLocation();
  const { state, viewer } = useSession();
  const { acting } = useActing();
  const publicMatch = matchRoute(PUBLIC_ROUTES, location);
  const privateMatch = matchRoute(PRIVATE_ROUTES, location);
  const signedIn = state === 'SIGNED_IN';

  useEffect(() => {
    if (state === 'LOADING' || state === 'OFFLINE') return;
    if (state === 'ANONYMOUS' && !publicMatch) {
      const back = location === '/' ? '' : `?next=${encodeURIComponent(location)}`;
      navigate(`/sign-in${back}`, { replace: true });
    }
  }, [state, signedIn, publicMatch, location]);

  if (state === 'LOADING') return <Loading label="Opening Relief…" />;
  if (state === 'OFFLINE') {
    return (
      <main className="public-main">
        <h1>Relief cannot be reached</h1>
        <p role="alert">We could not reach Relief. Please check your internet connection, then reload the page.</p>
      </main>
    );
  }
  if (publicMatch) return <PublicFrame view={publicMatch.value} params={publicMatch.params} />;
  if (state === 'EMAIL_UNVERIFIED') return <PublicFrame view={ConfirmEmailPending} params={{}} />;
  if (!signedIn) return <Loading label="Opening the sign-in page…" />;
  if (privateMatch) {
    // One home address for everyone: a therapist's home is their caseload.
    const view =
      privateMatch.value !== Dashboard
        ? privateMatch.value
        : isTherapist(viewer?.roles)
          ? TherapistHome
          : acting || isCaregiverOnly(viewer?.roles)
            ? CaregiverHome
            : Dashboard;
    return <Shell view={view} params={privateMatch.params} />;
  }
  return <Shell view={NotFound} params={{}} />;
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
