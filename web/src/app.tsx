// The console's shell: a skip link, the header (navigation for the signed-in role, who is signed in, sign out),
// and the page the route table picks for the current path and role.
import { NotFoundPage } from './pages/not-found';
import { allows, ROUTES, type PageProps } from './routes';
import { href, Link, match, navigate, Redirect, useLocation } from './router';
import { endSession, useSession, type Session } from './session';

export function App() {
  const location = useLocation();
  const session = useSession();
  const role = session?.principal.role;

  const matching = ROUTES.map((route) => ({ route, params: match(route.path, location.path) })).filter((m) => m.params !== null);
  const chosen = matching.find((m) => allows(m.route, role));
  let page;
  if (!session && matching.length > 0 && !chosen) {
    // Signed out: sign in first, then come back here.
    const here = `${location.path}${location.query.size ? `?${location.query}` : ''}`;
    page = <Redirect to={here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`} />;
  } else if (!chosen) {
    page = <NotFoundPage known={matching.length > 0} />;
  } else {
    const Page = chosen.route.page;
    const props: PageProps = { params: chosen.params!, query: location.query, session: session as Session };
    page = <Page key={`${chosen.route.path}:${location.path}`} {...props} />;
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href('/')} onClick={(e) => (e.preventDefault(), navigate('/'))}>
          Support
        </a>
        {session && (
          <nav aria-label="Main">
            <ul>
              {ROUTES.filter((r) => r.nav && r.roles !== 'public' && r.roles !== 'signed-in' && allows(r, role)).map((r) => (
                <li key={r.path}>
                  <Link to={r.path} aria-current={location.path === r.path || (r.section && location.path.startsWith(r.section)) ? 'page' : undefined}>
                    {r.nav}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span>
              Signed in as <strong>{session.principal.name ?? session.principal.sub}</strong> ({session.principal.role})
            </span>
            <button type="button" class="button button-quiet" onClick={() => (endSession(), navigate('/sign-in'))}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
