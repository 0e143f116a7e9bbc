import { canViewTicket, type Principal } from '../../domain/roles';

const ticket = { requester: { id: 'alice' }, assignment: { group: 'network', agent: 'ann' }, collaborators: ['carl'] };
const who = (role: Principal['role'], sub: string, groups: string[] = []): Principal => ({ role, sub, groups });

describe('who may see a ticket', () => {
  it('lets a requester see only their own', () => {
    expect(canViewTicket(who('requester', 'alice'), ticket)).toBe(true);
    expect(canViewTicket(who('requester', 'bob'), ticket)).toBe(false);
  });

  it('lets agents see their groups’ tickets, their assignments and what they collaborate on', () => {
    expect(canViewTicket(who('agent', 'zoe', ['network']), ticket)).toBe(true);
    expect(canViewTicket(who('agent', 'ann', []), ticket)).toBe(true);
    expect(canViewTicket(who('agent', 'carl', ['billing']), ticket)).toBe(true);
    expect(canViewTicket(who('agent', 'dan', ['billing']), ticket)).toBe(false);
  });

  it('keeps unassigned tickets from agents outside the group', () => {
    expect(canViewTicket(who('agent', 'zoe', ['network']), { ...ticket, assignment: { group: null, agent: null }, collaborators: [] })).toBe(false);
  });

  it('lets supervisors and admins see everything', () => {
    expect(canViewTicket(who('supervisor', 'sam'), ticket)).toBe(true);
    expect(canViewTicket(who('admin', 'root'), ticket)).toBe(true);
  });
});
