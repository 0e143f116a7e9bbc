// A path the console does not know, or a page the signed-in role may not open.
import { Page } from '../components/page';
import { Link } from '../router';

export function NotFoundPage({ known }: { known: boolean }) {
  return (
    <Page title={known ? 'Not available' : 'Page not found'}>
      <p>{known ? 'This page is not available to your role.' : 'There is no page at this address.'}</p>
      <p>
        <Link to="/">Go to your start page</Link>
      </p>
    </Page>
  );
}
