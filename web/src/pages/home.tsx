// The console's front door sends each role to its start page.
import { Redirect } from '../router';
import { isStaffRole } from '../session';
import type { PageProps } from '../routes';

export function HomePage({ session }: PageProps) {
  return <Redirect to={isStaffRole(session.principal.role) ? '/desk' : '/tickets'} />;
}
