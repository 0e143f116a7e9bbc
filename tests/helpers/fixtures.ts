// Realistic intake data for tests.
import type { BusinessCalendar } from '../../domain/sla/calendar';
import type { TicketIntake } from '../../domain/ticket';
import { newTicketId } from '../../api/tickets/ids';

export function vpnIntake(overrides: Partial<TicketIntake> = {}): TicketIntake {
  return {
    id: newTicketId(),
    title: 'VPN drops every hour',
    description: 'Since Monday the VPN client disconnects about every hour and needs a restart.',
    channel: 'portal',
    productLine: 'network',
    module: 'vpn',
    problemType: 'incident',
    impact: 'significant',
    urgency: 'high',
    fields: { symptom: 'Tunnel drops, client says "peer unreachable"', occurredAt: '2026-11-23', environment: 'Windows 11' },
    attachments: [{ name: 'vpn.log', type: 'text/plain', size: 2048, location: 's3://attachments/vpn.log' }],
    requester: { id: 'alice', name: 'Alice Martin', email: 'alice@example.com' },
    ...overrides,
  };
}

export const createTicketBody = {
  title: 'VPN drops every hour',
  description: 'Since Monday the VPN client disconnects about every hour and needs a restart.',
  channel: 'portal',
  productLine: 'network',
  module: 'vpn',
  problemType: 'incident',
  impact: 'significant',
  urgency: 'high',
  fields: { symptom: 'Tunnel drops, client says "peer unreachable"', occurredAt: '2026-11-23', environment: 'Windows 11' },
};

/** Paris office hours without holidays, so hand-computed deadlines do not depend on the day the tests run. */
export const TEST_OFFICE: BusinessCalendar = {
  id: 'test-office',
  name: 'Test office, Mon–Fri 09:00–18:00 Paris',
  timeZone: 'Europe/Paris',
  weeklyHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: [],
};
