import type { Agent, AgentLoad, RoutingRule } from '../../domain/desk';
import { matchRule, selectAgent } from '../../domain/routing';
import { demoAgents, demoRoutingRules } from '../../stack/demo-desk';

const ticket = {
  productLine: 'network',
  module: 'vpn',
  problemType: 'incident',
  channel: 'portal' as const,
  priority: 'P2' as const,
  title: 'VPN drops',
  description: 'The tunnel goes down hourly',
};

describe('routing rules', () => {
  it('takes the first matching rule in order', () => {
    expect(matchRule(demoRoutingRules, ticket)?.id).toBe('vpn');
    expect(matchRule(demoRoutingRules, { ...ticket, title: 'Wi-Fi slow', description: 'slow' })?.id).toBe('network');
    expect(matchRule(demoRoutingRules, { ...ticket, description: 'we suspect a data breach' })?.id).toBe('security-to-triage');
  });

  it('matches every criterion it names and ignores those it leaves empty', () => {
    const rules: RoutingRule[] = [
      { id: 'p0-phone', name: '', match: { priorities: ['P0'], channels: ['phone'] }, target: 'g1', skills: [] },
      { id: 'module', name: '', match: { modules: ['sso'] }, target: 'g2', skills: [] },
      { id: 'type', name: '', match: { problemTypes: ['question'] }, target: 'g3', skills: [] },
    ];
    expect(matchRule(rules, { ...ticket, priority: 'P0', channel: 'phone' })?.id).toBe('p0-phone');
    expect(matchRule(rules, { ...ticket, priority: 'P0' })).toBeNull();
    expect(matchRule(rules, { ...ticket, module: 'sso' })?.id).toBe('module');
    expect(matchRule(rules, { ...ticket, module: null, problemType: 'question' })?.id).toBe('type');
  });

  it('matches keywords as whole words, case-insensitively', () => {
    const rules: RoutingRule[] = [{ id: 'k', name: '', match: { keywords: ['VPN', 'c++'] }, target: 'g', skills: [] }];
    expect(matchRule(rules, { ...ticket, title: 'my vpn is down', description: '' })).not.toBeNull();
    expect(matchRule(rules, { ...ticket, title: 'vpnclient crashed', description: '' })).toBeNull();
    expect(matchRule(rules, { ...ticket, title: 'compiler', description: 'C++ build' })).not.toBeNull();
  });

  it('sends a ticket nobody claims to no rule', () => {
    expect(matchRule(demoRoutingRules, { ...ticket, productLine: 'payments' })).toBeNull();
  });
});

describe('agent selection', () => {
  const agents: Agent[] = [
    { id: 'a', name: 'A', groups: ['g'], skills: ['vpn'], available: true },
    { id: 'b', name: 'B', groups: ['g'], skills: ['vpn', 'wifi'], available: true },
    { id: 'c', name: 'C', groups: ['g'], skills: ['wifi'], available: true },
    { id: 'd', name: 'D', groups: ['g'], skills: ['vpn'], available: false },
    { id: 'e', name: 'E', groups: ['other'], skills: ['vpn'], available: true },
  ];
  const load = (agentId: string, openTickets: number, lastAssignedAt: string | null = null): AgentLoad => ({ agentId, openTickets, lastAssignedAt });

  it('picks an available agent of the group with every needed skill and the fewest open tickets', () => {
    expect(selectAgent(agents, [load('a', 3), load('b', 1), load('c', 0)], 'g', ['vpn'])?.id).toBe('b');
    expect(selectAgent(agents, [load('a', 3), load('b', 1), load('c', 0)], 'g', [])?.id).toBe('c');
    expect(selectAgent(agents, [], 'g', ['vpn', 'wifi'])?.id).toBe('b');
  });

  it('breaks ties in favour of the agent assigned longest ago, never-assigned first', () => {
    const loads = [load('a', 1, '2026-11-26T10:00:00Z'), load('b', 1, '2026-11-26T09:00:00Z')];
    expect(selectAgent(agents, loads, 'g', ['vpn'])?.id).toBe('b');
    expect(selectAgent(agents, [load('a', 0, '2026-11-26T10:00:00Z')], 'g', ['vpn'])?.id).toBe('b');
  });

  it('returns nobody when no available agent qualifies', () => {
    expect(selectAgent(agents, [], 'g', ['bgp'])).toBeNull();
    expect(selectAgent(agents, [], 'nobody-here', [])).toBeNull();
  });

  it('works on the demo desk: VPN tickets go only to network L1 agents who know VPN', () => {
    const picked = selectAgent(demoAgents, [load('ann', 2), load('ben', 2), load('cid', 0)], 'network-l1', ['vpn']);
    expect(['ann', 'ben']).toContain(picked?.id);
  });
});
