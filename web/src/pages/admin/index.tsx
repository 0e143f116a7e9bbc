// Admin's start of the configuration pages: the groups.
import { Redirect } from '../../router';

export function AdminHomePage() {
  return <Redirect to="/admin/groups" />;
}
