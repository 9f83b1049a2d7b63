/** The studio's frame: drafts on the left, the open draft or a global screen on the right. */
import { DraftSidebar } from './DraftSidebar';
import { DraftWorkspace } from './DraftWorkspace';
import { ErrorBoundary } from './ErrorBoundary';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SandboxBanner } from '../ui/SandboxBanner';
import { TwinsScreen } from '../features/twins/TwinsScreen';
import { type Route, routeHref, useRoute } from '../navigation/router';

/** The studio, kept on screen whatever one of its parts throws. */
export function App() {
  return (
    <ErrorBoundary>
      <Frame />
    </ErrorBoundary>
  );
}

/** Which screen the main area shows: a new one starts clear of a failure the last one met. */
const screenKey = (route: Route) => (route.screen === 'draft' ? `draft/${route.draftId}` : route.screen);

function Frame() {
  const route = useRoute();
  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◐
          </span>
          <span className="brand-name">Twin Studio</span>
        </div>
        <DraftSidebar activeDraftId={route.screen === 'draft' ? route.draftId : null} />
        <nav className="global-nav" aria-label="Studio">
          <a
            href={routeHref({ screen: 'library' })}
            className={route.screen === 'library' ? 'nav-link active' : 'nav-link'}
            aria-current={route.screen === 'library' ? 'page' : undefined}
          >
            Library
          </a>
          <a
            href={routeHref({ screen: 'twins' })}
            className={route.screen === 'twins' ? 'nav-link active' : 'nav-link'}
            aria-current={route.screen === 'twins' ? 'page' : undefined}
          >
            Twins
          </a>
          <a
            href={routeHref({ screen: 'settings' })}
            className={route.screen === 'settings' ? 'nav-link active' : 'nav-link'}
            aria-current={route.screen === 'settings' ? 'page' : undefined}
          >
            Settings
          </a>
        </nav>
      </aside>
      <main className="main" id="main">
        <SandboxBanner />
        {/* A screen that fails leaves the sidebar to go elsewhere (which clears it) or a Reload. */}
        <ErrorBoundary key={screenKey(route)}>
          {route.screen === 'draft' && <DraftWorkspace key={route.draftId} draftId={route.draftId} step={route.step} />}
          {route.screen === 'twins' && (
            <div className="pad">
              <TwinsScreen />
            </div>
          )}
          {route.screen === 'library' && (
            <div className="pad">
              <LibraryScreen />
            </div>
          )}
          {route.screen === 'settings' && (
            <div className="pad">
              <SettingsScreen />
            </div>
          )}
          {route.screen === 'home' && <Welcome />}
        </ErrorBoundary>
      </main>
    </div>
  );
}

function Welcome() {
  return (
    <div className="welcome">
      <h1>Create a digital twin</h1>
      <p>
        A twin looks and sounds like a real person. For each person, the studio records their voice and a video or photo, checks everything against the
        service’s rules on this computer, and submits it when you have reviewed it.
      </p>
      <ol className="welcome-steps">
        <li>
          <strong>Person</strong> · name, role and how they speak
        </li>
        <li>
          <strong>Voice</strong> · one to five minutes of natural speech
        </li>
        <li>
          <strong>Camera</strong> · a speaking video (v2) or a photo (v1)
        </li>
        <li>
          <strong>Review</strong> · every check, offline
        </li>
        <li>
          <strong>Submit</strong> · upload and follow the twin until it is ready
        </li>
      </ol>
      <p className="muted">
        Start with <strong>New draft</strong> on the left.
      </p>
    </div>
  );
}
