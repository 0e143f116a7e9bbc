// A small but realistic support organisation: what `npm start` seeds into an empty database, and what
// the tests use as their desk. Three product lines, tiers 1–3, skills, ordered routing rules, templates.
import type { Agent, CannedReply, Group, RoutingRule, Template } from '../domain/desk';
import type { Article } from '../domain/knowledge';
import type { Mailbox } from '../domain/mail';
import type { BusinessCalendar } from '../domain/sla/calendar';
import { suggestedPolicy, type SlaPolicy } from '../domain/sla/policy';

export const demoGroups: Group[] = [
  { id: 'service-desk', name: 'Service desk', tier: 1, escalationTarget: 'platform-l2' },
  { id: 'network-l1', name: 'Network support L1', tier: 1, escalationTarget: 'network-l2' },
  { id: 'network-l2', name: 'Network engineering L2', tier: 2, escalationTarget: 'network-l3' },
  { id: 'network-l3', name: 'Network architects L3', tier: 3, escalationTarget: null },
  { id: 'billing-l1', name: 'Billing support L1', tier: 1, escalationTarget: 'billing-l2' },
  { id: 'billing-l2', name: 'Billing specialists L2', tier: 2, escalationTarget: null },
  { id: 'platform-l2', name: 'Platform engineering L2', tier: 2, escalationTarget: 'platform-l3' },
  { id: 'platform-l3', name: 'Platform SRE L3', tier: 3, escalationTarget: null },
];

export const demoAgents: Agent[] = [
  { id: 'ann', name: 'Ann Lee', email: 'ann@desk.example', groups: ['network-l1'], skills: ['vpn', 'wifi'], available: true },
  { id: 'ben', name: 'Ben Ortiz', email: 'ben@desk.example', groups: ['network-l1'], skills: ['vpn'], available: true },
  { id: 'cid', name: 'Cid Haddad', email: 'cid@desk.example', groups: ['network-l1'], skills: ['wifi'], available: true },
  { id: 'carl', name: 'Carl Nguyen', email: 'carl@desk.example', groups: ['network-l2'], skills: ['vpn', 'firewall'], available: true },
  { id: 'dina', name: 'Dina Kowalski', email: 'dina@desk.example', groups: ['network-l3'], skills: ['vpn', 'firewall', 'bgp'], available: true },
  { id: 'eve', name: 'Eve Martin', email: 'eve@desk.example', groups: ['billing-l1'], skills: ['invoices'], available: true },
  { id: 'fay', name: 'Fay Okafor', email: 'fay@desk.example', groups: ['billing-l2'], skills: ['invoices', 'refunds'], available: true },
  { id: 'gus', name: 'Gus Silva', email: 'gus@desk.example', groups: ['service-desk'], skills: ['accounts'], available: true },
  { id: 'hal', name: 'Hal Jensen', email: 'hal@desk.example', groups: ['platform-l2'], skills: ['linux'], available: true },
  { id: 'ida', name: 'Ida Rossi', email: 'ida@desk.example', groups: ['platform-l3'], skills: ['linux', 'kubernetes'], available: true },
];

export const demoRoutingRules: RoutingRule[] = [
  { id: 'security-to-triage', name: 'Possible security incidents go to a supervisor', match: { keywords: ['breach', 'phishing', 'ransomware'] }, target: 'manual', skills: [] },
  { id: 'payments-p0', name: 'Payment outages go straight to billing specialists', match: { productLines: ['billing'], priorities: ['P0'] }, target: 'billing-l2', skills: [] },
  { id: 'vpn', name: 'VPN problems to network L1 agents who know VPN', match: { productLines: ['network'], keywords: ['vpn'] }, target: 'network-l1', skills: ['vpn'] },
  { id: 'network', name: 'Other network problems to network L1', match: { productLines: ['network'] }, target: 'network-l1', skills: [] },
  { id: 'billing', name: 'Billing to billing L1', match: { productLines: ['billing'] }, target: 'billing-l1', skills: ['invoices'] },
  { id: 'access', name: 'Access requests to the service desk', match: { problemTypes: ['access_request'] }, target: 'service-desk', skills: ['accounts'] },
  { id: 'general', name: 'General questions to the service desk', match: { productLines: ['general'] }, target: 'service-desk', skills: [] },
];

export const demoTemplates: Template[] = [
  {
    problemType: 'incident',
    name: 'Incident',
    description: 'Something that worked is broken or degraded.',
    fields: [
      { key: 'symptom', label: 'What you see', type: 'text', required: true },
      { key: 'occurredAt', label: 'When it started', type: 'date', required: true },
      { key: 'reproSteps', label: 'Steps to reproduce', type: 'text', required: false },
      { key: 'environment', label: 'Environment (OS, version, site)', type: 'string', required: false },
      { key: 'usersAffected', label: 'Users affected', type: 'number', required: false },
    ],
    defaultImpact: 'moderate',
    defaultUrgency: 'medium',
  },
  {
    problemType: 'service_request',
    name: 'Service request',
    description: 'Something new is needed.',
    fields: [
      { key: 'request', label: 'What you need', type: 'text', required: true },
      { key: 'neededBy', label: 'Needed by', type: 'date', required: false },
    ],
    defaultImpact: 'minor',
    defaultUrgency: 'medium',
  },
  {
    problemType: 'question',
    name: 'Question',
    description: 'How do I…?',
    fields: [{ key: 'topic', label: 'Topic', type: 'string', required: false }],
    defaultImpact: 'minor',
    defaultUrgency: 'low',
  },
  {
    problemType: 'access_request',
    name: 'Access request',
    description: 'Access to a system or an application.',
    fields: [
      { key: 'system', label: 'System', type: 'string', required: true },
      { key: 'accessLevel', label: 'Access level', type: 'enum', required: true, options: ['read', 'write', 'admin'] },
      { key: 'justification', label: 'Business justification', type: 'text', required: true },
      { key: 'manager', label: 'Approving manager', type: 'string', required: false },
    ],
    defaultImpact: 'minor',
    defaultUrgency: 'medium',
  },
];

/** Replies agents start from in the console: a few per group, and some for every group (group null). */
export const demoCannedReplies: CannedReply[] = [
  {
    id: 'ack-investigating',
    title: 'Acknowledge: looking into it',
    body: 'Thank you for reporting this. I have picked up your ticket and am looking into it now. I will update you here as soon as I know more, and at the latest within the next business day.',
    group: null,
  },
  {
    id: 'need-details',
    title: 'Ask for details and screenshots',
    body: 'To get to the bottom of this, could you send us:\n- the exact error message (a screenshot is ideal),\n- when it last happened, with the time,\n- whether it affects only you or colleagues too?\nThe ticket stays on hold until we hear from you.',
    group: null,
  },
  {
    id: 'confirm-fixed',
    title: 'Solved: please confirm',
    body: 'We believe this is now solved. Could you check on your side and confirm? If it still happens, just reply to say so and the ticket reopens with the same engineer.',
    group: null,
  },
  {
    id: 'sd-password-reset',
    title: 'Password reset link',
    body: 'You can reset your password yourself with "Forgot password" on the sign-in page; the link we email you is valid for 30 minutes. If your account is locked after too many attempts, it unlocks by itself after 15 minutes.',
    group: 'service-desk',
  },
  {
    id: 'sd-access-approval',
    title: 'Access request: waiting for approval',
    body: 'Your access request is complete on our side. It now needs your manager\'s approval; we have asked them and will grant the access as soon as they approve.',
    group: 'service-desk',
  },
  {
    id: 'net-vpn-client',
    title: 'VPN: update the client to 5.2',
    body: 'These disconnects come from an idle timeout on our VPN gateway. Version 5.2 of the VPN client keeps the tunnel alive: please install it from the software centre (Software > Network > VPN client 5.2), restart, and let us know if the tunnel still drops.',
    group: 'network-l1',
  },
  {
    id: 'net-wifi-basics',
    title: 'Wi-Fi: first checks',
    body: 'Could you try the following and tell us what changes?\n1. Forget the "Corp" network and join it again.\n2. Move closer to an access point for a minute.\n3. Tell us the building, floor and room, so we can check the access point there.',
    group: 'network-l1',
  },
  {
    id: 'net-l2-capture',
    title: 'Packet capture needed',
    body: 'To trace this we need a packet capture while the problem happens. We will send a short guide; if you prefer, an engineer can join a screen-sharing session at a time that suits you.',
    group: 'network-l2',
  },
  {
    id: 'net-l3-change-window',
    title: 'Fix scheduled in the change window',
    body: 'We have found the cause in the core network configuration. The fix needs a change window: it is scheduled for Saturday 06:00–08:00 (Paris time). We will confirm here once it is done.',
    group: 'network-l3',
  },
  {
    id: 'bill-duplicate-charge',
    title: 'Duplicate charge refunded',
    body: 'You were charged twice because the payment was retried after a timeout. The duplicate is refunded automatically; depending on your bank it shows on your statement within 5 business days.',
    group: 'billing-l1',
  },
  {
    id: 'bill-invoice-copy',
    title: 'Invoice copy',
    body: 'You can download every invoice from Billing > Invoices in the portal. I have also attached a copy of the invoice you asked for to this ticket.',
    group: 'billing-l1',
  },
  {
    id: 'bill-refund-approved',
    title: 'Refund approved',
    body: 'Your refund is approved and has been sent to the original payment method. Please allow 5 to 10 business days for it to arrive.',
    group: 'billing-l2',
  },
  {
    id: 'plat-logs-request',
    title: 'Server logs needed',
    body: 'Could you run `journalctl -u <service> --since "1 hour ago"` on the affected server and attach the output? Please remove any passwords or tokens first.',
    group: 'platform-l2',
  },
  {
    id: 'plat-incident-update',
    title: 'Incident: status update',
    body: 'Update on the incident: the service is running on the standby cluster and is stable. We are still working on the root cause and will post the next update within two hours.',
    group: 'platform-l3',
  },
];

/** The addresses the demo desk receives mail for (SPEC §17): support@ opens general questions for the service desk. */
export const demoMailboxes: Mailbox[] = [{ address: 'support@example.com', name: 'Support', productLine: 'general', problemType: 'question' }];

const weekdays = (start: string, end: string) => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));

export const demoCalendars: BusinessCalendar[] = [
  {
    id: 'paris-office',
    name: 'Paris office hours',
    timeZone: 'Europe/Paris',
    weeklyHours: weekdays('09:00', '18:00'),
    holidays: ['2026-12-25', '2027-01-01', '2027-03-29', '2027-05-01', '2027-05-08', '2027-05-06', '2027-05-17', '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25'],
  },
  {
    id: 'new-york-office',
    name: 'New York office hours',
    timeZone: 'America/New_York',
    weeklyHours: weekdays('08:00', '17:00'),
    holidays: ['2026-12-25', '2027-01-01', '2027-05-31', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24'],
  },
];

export const demoSlaPolicies: SlaPolicy[] = [
  suggestedPolicy('standard', 'Standard support', null, 'paris-office'),
  { ...suggestedPolicy('billing', 'Billing (US team)', 'billing', 'new-york-office'), triage: { targetMs: 15 * 60_000, escalateTo: 'billing-l2' } },
];

const published = (a: Pick<Article, 'id' | 'title' | 'problem' | 'symptoms' | 'cause' | 'solution' | 'productLine' | 'module' | 'tags'>): Article => ({
  ...a,
  sourceTickets: [],
  usedBy: [],
  status: 'published',
  author: 'ann',
  reviewer: 'sam',
  rejectReason: null,
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-06T09:00:00.000Z',
  publishedAt: '2026-01-06T09:00:00.000Z',
});

export const demoArticles: Article[] = [
  published({
    id: 'KB-DEMO-VPN',
    title: 'VPN disconnects about every hour',
    problem: 'The VPN client drops the tunnel roughly every 60 minutes and must be restarted.',
    symptoms: 'Tunnel drops; the client reports "peer unreachable" or "idle timeout".',
    cause: 'The concentrator closes sessions idle for 60 minutes.',
    solution: 'Update the VPN client to 5.2 or later, which sends keep-alives; or ask network L2 to raise the idle timeout.',
    productLine: 'network',
    module: 'vpn',
    tags: ['vpn', 'timeout', 'incident'],
  }),
  published({
    id: 'KB-DEMO-PASSWORD',
    title: 'Reset a forgotten portal password',
    problem: 'Cannot log in to the portal: the password is refused.',
    symptoms: 'Login says "invalid credentials"; the account may be locked after five attempts.',
    cause: 'Expired or forgotten password; lockout after repeated failures.',
    solution: 'Use "Forgot password" on the login page; the link is valid for 30 minutes. Locked accounts unlock after 15 minutes.',
    productLine: 'general',
    module: null,
    tags: ['password', 'login', 'question'],
  }),
  published({
    id: 'KB-DEMO-INVOICE',
    title: 'Invoice charged twice',
    problem: 'The same invoice was charged twice on the card.',
    symptoms: 'Two identical card payments for one invoice number.',
    cause: 'A retried payment after a gateway timeout.',
    solution: 'The duplicate is refunded automatically within 5 business days; billing L1 can confirm the refund id.',
    productLine: 'billing',
    module: null,
    tags: ['invoice', 'refund', 'payments'],
  }),
];
