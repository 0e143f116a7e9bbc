import { checkAgents, checkGroups, checkRoutingRules, checkTemplates } from '../../domain/desk-checks';
import { demoAgents, demoGroups, demoRoutingRules, demoTemplates } from '../../stack/demo-desk';

describe('desk configuration checks', () => {
  it('find the demo desk consistent', () => {
    expect(checkGroups(demoGroups, { agents: demoAgents, rules: demoRoutingRules })).toEqual([]);
    expect(checkAgents(demoAgents, demoGroups)).toEqual([]);
    expect(checkRoutingRules(demoRoutingRules, demoGroups)).toEqual([]);
    expect(checkTemplates(demoTemplates)).toEqual([]);
  });

  it('refuse escalation targets that do not exist or loop', () => {
    const groups = [
      { id: 'a', name: 'A', tier: 1 as const, escalationTarget: 'b' },
      { id: 'b', name: 'B', tier: 2 as const, escalationTarget: 'a' },
      { id: 'c', name: 'C', tier: 1 as const, escalationTarget: 'zz' },
    ];
    const paths = checkGroups(groups, { agents: [], rules: [] }).map((p) => p.path);
    expect(paths).toEqual(['0.escalationTarget', '1.escalationTarget', '2.escalationTarget']);
  });

  it('refuse removing a group that agents or rules still use', () => {
    const problems = checkGroups(demoGroups.filter((g) => g.id !== 'billing-l1'), { agents: demoAgents, rules: demoRoutingRules });
    expect(problems.map((p) => p.message)).toEqual(['group billing-l1 is still used by agent eve', 'group billing-l1 is still the target of routing rule billing']);
  });

  it('refuse repeated ids and dangling references', () => {
    expect(checkAgents([...demoAgents, demoAgents[0]!], demoGroups)).toEqual([{ path: `${demoAgents.length}.id`, message: 'agent ann appears twice' }]);
    expect(checkAgents([{ ...demoAgents[0]!, groups: ['nope'] }], demoGroups)).toEqual([{ path: '0.groups.0', message: 'there is no group nope' }]);
    expect(checkRoutingRules([{ ...demoRoutingRules[0]!, target: 'nope' }], demoGroups)[0]?.path).toBe('0.target');
    expect(checkTemplates([demoTemplates[0]!, demoTemplates[0]!])[0]?.path).toBe('1.problemType');
  });
});
