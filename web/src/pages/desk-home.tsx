// Staff's start page: who is signed in, and where their work is (the agent workspace's queues).
import { Page } from '../components/page';
import { Link } from '../router';
import type { PageProps } from '../routes';

export function DeskHomePage({ session }: PageProps) {
  const { principal } = session;
  return (
    <Page title="Desk">
      <p>
        You are signed in as {principal.name ?? principal.sub}, {principal.role}
        {principal.groups.length > 0 ? ` in ${principal.groups.join(', ')}` : ''}.
      </p>
      <p>
        Your work is under <Link to="/queues">Queues</Link>: the tickets assigned to you, those waiting in your groups, those whose SLA is
        due within the hour, and those waiting on the customer.
      </p>
    </Page>
  );
}
