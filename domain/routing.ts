// Dispatch (SPEC §6): the first matching routing rule names the group; within it, the available agent with the
// needed skills and the fewest open tickets takes the ticket, ties going to whoever was assigned longest ago.
import type { Agent, AgentLoad, RoutingMatch, RoutingRule } from './desk';
import type { Ticket } from './ticket';

export const MANUAL = 'manual';

type Routable = Pick<Ticket, 'productLine' | 'module' | 'problemType' | 'channel' | 'priority' | 'title' | 'description'>;

/** Rules are tried in order; an empty criterion matches anything. */
export function matchRule(rules: readonly RoutingRule[], ticket: Routable): RoutingRule | null {
  return rules.find((rule) => matches(rule.match, ticket)) ?? null;
}

function matches(match: RoutingMatch, ticket: Routable): boolean {
  const within = <T>(allowed: readonly T[] | undefined, value: T | null) => !allowed?.length || (value !== null && allowed.includes(value));
  return (
    within(match.productLines, ticket.productLine) &&
    within(match.modules, ticket.module) &&
    within(match.problemTypes, ticket.problemType) &&
    within(match.channels, ticket.channel) &&
    within(match.priorities, ticket.priority) &&
    (!match.keywords?.length || match.keywords.some((word) => containsWord(`${ticket.title}\n${ticket.description}`, word)))
  );
}

function containsWord(text: string, word: string): boolean {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return escaped.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

export function selectAgent(agents: readonly Agent[], loads: readonly AgentLoad[], group: string, skills: readonly string[]): Agent | null {
  const loadOf = new Map(loads.map((l) => [l.agentId, l]));
  const candidates = agents.filter((a) => a.available && a.groups.includes(group) && skills.every((s) => a.skills.includes(s)));
  let best: Agent | null = null;
  for (const agent of candidates) {
    if (!best || busier(loadOf.get(best.id), loadOf.get(agent.id), best.id, agent.id)) best = agent;
  }
  return best;
}

/** True when `current` should give way to `challenger`. */
function busier(current: AgentLoad | undefined, challenger: AgentLoad | undefined, currentId: string, challengerId: string): boolean {
  const open = (l?: AgentLoad) => l?.openTickets ?? 0;
  if (open(challenger) !== open(current)) return open(challenger) < open(current);
  // Never assigned counts as longest ago.
  const last = (l?: AgentLoad) => l?.lastAssignedAt ?? '';
  if (last(challenger) !== last(current)) return last(challenger) < last(current);
  return challengerId < currentId; // stable, so the same inputs always pick the same agent
}
