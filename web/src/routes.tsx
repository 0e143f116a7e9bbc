// Every page of the console, in one table: its path, who may open it, and its place in the navigation.
// To add a page: write it in pages/ (one file per page, a component taking PageProps) and add a line here.
// The first route whose path matches and whose roles include the signed-in user's role is shown, so one path
// may lead to different pages per role (e.g. '/tickets/:id' for requesters now, for agents later).
import type { ComponentType } from 'preact';
import type { Role } from './api/types';
import { ArticlePage } from './pages/article';
import { DeskHomePage } from './pages/desk-home';
import { HomePage } from './pages/home';
import { MyTicketsPage } from './pages/portal/my-tickets';
import { NewTicketPage } from './pages/portal/new-ticket';
import { TicketPage } from './pages/portal/ticket';
import { SignInPage } from './pages/sign-in';
// Supervisor, admin and KPI pages.
import { AdminHomePage } from './pages/admin/index';
import { AgentsPage } from './pages/admin/agents';
import { CannedRepliesPage } from './pages/admin/canned-replies';
import { GroupsPage } from './pages/admin/groups';
import { JsonConfigPage } from './pages/admin/json-config';
import { MailboxesPage } from './pages/admin/mailboxes';
import { KpisPage } from './pages/kpis';
import { KnowledgeDraftsPage } from './pages/supervisor/knowledge';
import { ReviewsPage } from './pages/supervisor/reviews';
import { SlaPage } from './pages/supervisor/sla';
import { TriagePage } from './pages/supervisor/triage';
// The agent workspace.
import { QueuesPage } from './pages/agent/queues';
import { AgentTicketPage } from './pages/agent/ticket';
import type { Session } from './session';

export interface PageProps {
  /** The path's parameters (':id' → params.id), decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Null on public pages only. */
  session: Session;
}

export interface RouteDef {
  path: string;
  page: ComponentType<PageProps>;
  /** Who may open it: roles, any signed-in user ('signed-in'), or anyone ('public'). */
  roles: readonly Role[] | 'signed-in' | 'public';
  /** The label of its link in the header's navigation, for the roles that may open it. */
  nav?: string;
  /** The link is the current page anywhere under this path prefix too (a section with tabs: '/admin/'). */
  section?: string;
}

export const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];

export const ROUTES: RouteDef[] = [
  { path: '/sign-in', page: SignInPage, roles: 'public' },
  { path: '/', page: HomePage, roles: 'signed-in' },
  // The requester portal.
  { path: '/tickets', page: MyTicketsPage, roles: ['requester'], nav: 'My tickets' },
  { path: '/tickets/new', page: NewTicketPage, roles: ['requester'], nav: 'New ticket' },
  { path: '/tickets/:id', page: TicketPage, roles: ['requester'] },
  { path: '/kb/:id', page: ArticlePage, roles: 'signed-in' },
  // Staff: the agent workspace, supervisor and admin pages come here.
  { path: '/desk', page: DeskHomePage, roles: STAFF, nav: 'Desk' },
  // The agent workspace: work queues with counts, and the staff ticket page (supervisors and admins use them too).
  { path: '/queues', page: QueuesPage, roles: STAFF, nav: 'Queues' },
  { path: '/tickets/:id', page: AgentTicketPage, roles: STAFF },
  // Supervisors: work queues with assignment, priority overrides and reviews; knowledge owners: drafts; KPIs.
  { path: '/supervisor/triage', page: TriagePage, roles: ['supervisor'], nav: 'Supervision', section: '/supervisor/' },
  { path: '/supervisor/sla/:queue', page: SlaPage, roles: ['supervisor'] },
  { path: '/supervisor/reviews', page: ReviewsPage, roles: ['supervisor'] },
  { path: '/knowledge/drafts', page: KnowledgeDraftsPage, roles: ['supervisor', 'admin'], nav: 'Knowledge drafts' },
  { path: '/kpis', page: KpisPage, roles: ['supervisor', 'admin'], nav: 'KPIs' },
  // Admins: the desk's configuration, one page per list.
  { path: '/admin', page: AdminHomePage, roles: ['admin'] },
  { path: '/admin/groups', page: GroupsPage, roles: ['admin'], nav: 'Configuration', section: '/admin/' },
  { path: '/admin/agents', page: AgentsPage, roles: ['admin'] },
  { path: '/admin/canned-replies', page: CannedRepliesPage, roles: ['admin'] },
  { path: '/admin/mailboxes', page: MailboxesPage, roles: ['admin'] },
  { path: '/admin/:kind', page: JsonConfigPage, roles: ['admin'] },
];

export const allows = (route: RouteDef, role: Role | undefined) =>
  route.roles === 'public' || (role !== undefined && (route.roles === 'signed-in' || route.roles.includes(role)));
