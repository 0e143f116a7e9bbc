// Dispatch with MongoDB's data (SPEC §6): routing rules pick the group, then the group's agent with the fewest open
// tickets. Loads come from the agents' counters (store/agent-load.ts), read at most once every LOAD_READ_MS, plus this
// process's own picks the relay has not folded in yet, so concurrent dispatches spread evenly without writing
// anything: the pick is recorded by the ticket's change (its `load.claim`), and dispatches to one group never wait
// for each other. Picks made by other processes show once the relay folds them in (within a second or so).
import type { AgentLoad } from '../domain/desk';
import { MANUAL, matchRule, selectAgent } from '../domain/routing';
import type { Tier, Ticket } from '../domain/ticket';
import type { AgentLoadStore } from './agent-load';
import type { DeskConfigStore } from './desk-config';

export interface DispatchRequest {
  ticket: Ticket;
  /** A transfer or escalation names the group; intake leaves it to the routing rules. */
  group?: string;
  /** A supervisor (or an agent taking it) names the agent. */
  agent?: string;
  /** Escalation: without a group, the escalation target of the ticket's current group. */
  escalate?: boolean;
  at: string;
}

export type DispatchOutcome =
  | {
      kind: 'assigned';
      group: string;
      agent: string | null;
      ruleId: string | null;
      skills: string[];
      tier: Tier;
      /** Whether the agent's load already counts the ticket; false: the change that records it claims the agent. */
      claimed: boolean;
    }
  | { kind: 'triage'; ruleId: string | null; reason: string }
  | { kind: 'refused'; reason: string };

/** How stale the agents' counters may be before a dispatch reads them again. */
export const LOAD_READ_MS = 1_000;
/** A pick no relay batch of this process folded in within this time is left to the counters. */
const PICK_TTL_MS = 15_000;

interface Pick {
  agent: string;
  at: string;
  madeAt: number;
  /** The relay batch that folded it in, once known. */
  foldedIn: number | null;
}

export class Dispatcher {
  private counters = new Map<string, { openCount: number; lastAssignedAt: string | null; batch: number }>();
  private readAt = 0;
  private reading: Promise<void> | null = null;
  /** This process's picks by the change that will record them (`${ticketId}:${version}`). */
  private readonly picks = new Map<string, Pick>();

  constructor(
    private readonly config: DeskConfigStore,
    private readonly loads: AgentLoadStore,
  ) {}

  async dispatch({ ticket, group, agent, escalate, at }: DispatchRequest): Promise<DispatchOutcome> {
    if (agent) return this.toAgent(ticket, agent, group, at);
    if (escalate && !group) {
      const current = ticket.assignment.group ? await this.config.group(ticket.assignment.group) : null;
      if (!current?.escalationTarget) return { kind: 'refused', reason: current ? `group ${current.id} has no escalation target` : 'the ticket has no group to escalate from; name the target group' };
      group = current.escalationTarget;
    }
    if (group) {
      const target = await this.config.group(group);
      if (!target) return { kind: 'refused', reason: `there is no group ${group}` };
      return { kind: 'assigned', group, agent: await this.pick(ticket, group, ticket.requiredSkills, at), ruleId: null, skills: ticket.requiredSkills, tier: target.tier, claimed: false };
    }
    const rule = matchRule(await this.config.routingRules(), ticket);
    if (!rule) return { kind: 'triage', ruleId: null, reason: 'no routing rule matched' };
    if (rule.target === MANUAL) return { kind: 'triage', ruleId: rule.id, reason: `rule "${rule.name}" sends it to manual triage` };
    const target = await this.config.group(rule.target);
    if (!target) return { kind: 'triage', ruleId: rule.id, reason: `rule "${rule.name}" names unknown group ${rule.target}` };
    return { kind: 'assigned', group: rule.target, agent: await this.pick(ticket, rule.target, rule.skills, at), ruleId: rule.id, skills: rule.skills, tier: target.tier, claimed: false };
  }

  /** The relay of this process folded these changes into the counters in this batch. */
  folded(batch: number, changeIds: string[]): void {
    for (const id of changeIds) {
      const pick = this.picks.get(id);
      if (pick) pick.foldedIn = batch;
    }
  }

  private async toAgent(ticket: Ticket, agentId: string, group: string | undefined, at: string): Promise<DispatchOutcome> {
    const agent = await this.config.agent(agentId);
    if (!agent) return { kind: 'refused', reason: `there is no agent ${agentId}` };
    const target = group ?? (ticket.assignment.group && agent.groups.includes(ticket.assignment.group) ? ticket.assignment.group : agent.groups[0]);
    if (!target || !agent.groups.includes(target)) return { kind: 'refused', reason: `agent ${agentId} is not in group ${group ?? '(none)'}` };
    const targetGroup = await this.config.group(target);
    if (agentId !== ticket.assignment.agent) this.remember(ticket, agentId, at);
    return { kind: 'assigned', group: target, agent: agentId, ruleId: null, skills: ticket.requiredSkills, tier: targetGroup?.tier ?? 1, claimed: false };
  }

  /** The best agent of the group for the ticket, or null when nobody available qualifies; no write, no waiting on other picks. */
  private async pick(ticket: Ticket, group: string, skills: string[], at: string): Promise<string | null> {
    const [agents] = await Promise.all([this.config.agents({ group }), this.fresh()]);
    // Synchronous from here: concurrent dispatches see each other's picks.
    const others = agents.filter((a) => a.id !== ticket.assignment.agent);
    const pick = selectAgent(others, others.map((a) => this.loadOf(a.id)), group, skills);
    if (!pick) return null;
    this.remember(ticket, pick.id, at);
    return pick.id;
  }

  private remember(ticket: Ticket, agent: string, at: string): void {
    this.picks.set(`${ticket.id}:${ticket.version + 1}`, { agent, at, madeAt: Date.now(), foldedIn: null });
  }

  private loadOf(agentId: string): AgentLoad {
    const counter = this.counters.get(agentId);
    let open = Math.max(0, counter?.openCount ?? 0);
    let last = counter?.lastAssignedAt ?? null;
    for (const pick of this.picks.values()) {
      if (pick.agent !== agentId || (pick.foldedIn !== null && pick.foldedIn <= (counter?.batch ?? 0))) continue;
      open++;
      if (!last || pick.at > last) last = pick.at;
    }
    return { agentId, openTickets: open, lastAssignedAt: last };
  }

  /** Reads the counters again when they are older than LOAD_READ_MS (one read shared by concurrent dispatches). */
  private fresh(): Promise<void> {
    if (Date.now() - this.readAt < LOAD_READ_MS) return Promise.resolve();
    this.reading ??= (async () => {
      try {
        const docs = await this.loads.all();
        this.counters = new Map(docs.map((d) => [d._id, { openCount: d.openCount ?? 0, lastAssignedAt: d.lastAssignedAt ?? null, batch: d.batch ?? 0 }]));
        this.readAt = Date.now();
        const now = Date.now();
        for (const [id, pick] of this.picks) {
          const folded = pick.foldedIn !== null && pick.foldedIn <= (this.counters.get(pick.agent)?.batch ?? 0);
          if (folded || now - pick.madeAt > PICK_TTL_MS) this.picks.delete(id);
        }
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
