// Consistency of the desk's configuration: ids are unique and every reference points at something real.
import type { Agent, Group, RoutingRule, Template } from './desk';
import { MANUAL } from './routing';

export interface ConfigProblem {
  path: string;
  message: string;
}

function duplicates(ids: string[], what: string, key = 'id'): ConfigProblem[] {
  const seen = new Set<string>();
  return ids.flatMap((id, i) => {
    if (!seen.has(id)) return (seen.add(id), []);
    return [{ path: `${i}.${key}`, message: `${what} ${id} appears twice` }];
  });
}

/** Escalation targets must exist, must not loop back, and groups still used by agents or rules must stay. */
export function checkGroups(groups: Group[], usedBy: { agents: Agent[]; rules: RoutingRule[] }): ConfigProblem[] {
  const ids = new Set(groups.map((g) => g.id));
  const byId = new Map(groups.map((g) => [g.id, g]));
  const problems = duplicates(groups.map((g) => g.id), 'group');
  groups.forEach((group, i) => {
    if (group.escalationTarget === null) return;
    if (!ids.has(group.escalationTarget)) problems.push({ path: `${i}.escalationTarget`, message: `there is no group ${group.escalationTarget}` });
    // Follow the chain: a cycle would make automatic escalation go round for ever.
    const visited = new Set([group.id]);
    for (let next = byId.get(group.escalationTarget); next; next = next.escalationTarget ? byId.get(next.escalationTarget) : undefined) {
      if (visited.has(next.id)) {
        problems.push({ path: `${i}.escalationTarget`, message: `escalating from ${group.id} loops back through ${next.id}` });
        break;
      }
      visited.add(next.id);
    }
  });
  for (const agent of usedBy.agents) {
    for (const g of agent.groups) if (!ids.has(g)) problems.push({ path: '', message: `group ${g} is still used by agent ${agent.id}` });
  }
  for (const rule of usedBy.rules) {
    if (rule.target !== MANUAL && !ids.has(rule.target)) problems.push({ path: '', message: `group ${rule.target} is still the target of routing rule ${rule.id}` });
  }
  return problems;
}

export function checkAgents(agents: Agent[], groups: Group[]): ConfigProblem[] {
  const ids = new Set(groups.map((g) => g.id));
  const problems = duplicates(agents.map((a) => a.id), 'agent');
  agents.forEach((agent, i) => agent.groups.forEach((g, j) => ids.has(g) || problems.push({ path: `${i}.groups.${j}`, message: `there is no group ${g}` })));
  return problems;
}

export function checkRoutingRules(rules: RoutingRule[], groups: Group[]): ConfigProblem[] {
  const ids = new Set(groups.map((g) => g.id));
  const problems = duplicates(rules.map((r) => r.id), 'rule');
  rules.forEach((rule, i) => {
    if (rule.target !== MANUAL && !ids.has(rule.target)) problems.push({ path: `${i}.target`, message: `there is no group ${rule.target} (use a group id or "${MANUAL}")` });
  });
  return problems;
}

export function checkTemplates(templates: Template[]): ConfigProblem[] {
  const problems = duplicates(templates.map((t) => t.problemType), 'problem type', 'problemType');
  templates.forEach((template, i) => problems.push(...duplicates(template.fields.map((f) => f.key), 'field', 'key').map((p) => ({ ...p, path: `${i}.fields.${p.path}` }))));
  return problems;
}
