// Consistency of the desk's configuration: ids are unique and every reference points at something real.
import type { Agent, CannedReply, Group, RoutingRule, Template } from './desk';
import type { Mailbox } from './mail';
import { validateCalendar, type BusinessCalendar } from './sla/calendar';
import type { SlaPolicy } from './sla/policy';
import { PRIORITIES } from './ticket';
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

/** Escalation targets must exist, must not loop back, and groups still used by agents, rules or canned replies must stay. */
export function checkGroups(groups: Group[], usedBy: { agents: Agent[]; rules: RoutingRule[]; replies?: CannedReply[] }): ConfigProblem[] {
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
  for (const reply of usedBy.replies ?? []) {
    if (reply.group !== null && !ids.has(reply.group)) problems.push({ path: '', message: `group ${reply.group} still has canned reply ${reply.id}` });
  }
  return problems;
}

/** Ids are unique and each reply belongs to a group that exists, or to every group (null). */
export function checkCannedReplies(replies: CannedReply[], groups: Group[]): ConfigProblem[] {
  const ids = new Set(groups.map((g) => g.id));
  const problems = duplicates(replies.map((r) => r.id), 'canned reply');
  replies.forEach((reply, i) => {
    if (reply.group !== null && !ids.has(reply.group)) problems.push({ path: `${i}.group`, message: `there is no group ${reply.group} (use a group id, or null for every group)` });
  });
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

/** Calendars must make sense on their own (zone, hours, holidays) and stay while a policy counts on them. */
export function checkCalendars(calendars: BusinessCalendar[], usedBy: SlaPolicy[]): ConfigProblem[] {
  const problems = duplicates(calendars.map((c) => c.id), 'calendar');
  calendars.forEach((calendar, i) => problems.push(...validateCalendar(calendar).map((p) => ({ path: `${i}.${p.path}`, message: p.message }))));
  const ids = new Set(calendars.map((c) => c.id));
  for (const policy of usedBy) {
    for (const priority of PRIORITIES) {
      const id = policy.targets[priority].calendarId;
      if (id !== null && !ids.has(id)) problems.push({ path: '', message: `calendar ${id} is still used by SLA policy ${policy.id} (${priority})` });
    }
  }
  return problems;
}

/** One default policy, one policy per product line, calendars and escalation groups that exist, sane targets. */
export function checkSlaPolicies(policies: SlaPolicy[], calendars: BusinessCalendar[], groups: Group[]): ConfigProblem[] {
  const problems = duplicates(policies.map((p) => p.id), 'policy');
  const calendarIds = new Set(calendars.map((c) => c.id));
  const groupIds = new Set(groups.map((g) => g.id));
  const defaults = policies.filter((p) => p.productLine === null).length;
  if (defaults !== 1) problems.push({ path: '', message: `there must be exactly one default policy (productLine null), found ${defaults}` });
  const seen = new Set<string>();
  policies.forEach((policy, i) => {
    if (policy.productLine !== null) {
      if (seen.has(policy.productLine)) problems.push({ path: `${i}.productLine`, message: `product line ${policy.productLine} already has a policy` });
      seen.add(policy.productLine);
    }
    for (const priority of PRIORITIES) {
      const target = policy.targets[priority];
      if (target.calendarId !== null && !calendarIds.has(target.calendarId)) problems.push({ path: `${i}.targets.${priority}.calendarId`, message: `there is no calendar ${target.calendarId}` });
      if (target.resolutionMs < target.responseMs) problems.push({ path: `${i}.targets.${priority}.resolutionMs`, message: 'the resolution target cannot be shorter than the response target' });
    }
    if (policy.triage.escalateTo !== null && !groupIds.has(policy.triage.escalateTo)) problems.push({ path: `${i}.triage.escalateTo`, message: `there is no group ${policy.triage.escalateTo}` });
  });
  return problems;
}

/** Each address once, and every mailbox's problem type a template of the desk. */
export function checkMailboxes(mailboxes: Mailbox[], templates: Template[]): ConfigProblem[] {
  const types = new Set(templates.map((t) => t.problemType));
  const problems = duplicates(mailboxes.map((m) => m.address), 'address', 'address');
  mailboxes.forEach((mailbox, i) => types.has(mailbox.problemType) || problems.push({ path: `${i}.problemType`, message: `there is no template for problem type ${mailbox.problemType}` }));
  return problems;
}
