// Dispatch with MongoDB's data (SPEC §6): routing rules pick the group, then an agent is claimed with a
// compare-and-set on their load, so concurrent dispatches never both count on the same free agent.
import type { AgentLoad } from '../domain/desk';
import { MANUAL, matchRule, selectAgent } from '../domain/routing';
import type { Tier, Ticket } from '../domain/ticket';
import type { DeskConfigStore } from './desk-config';
import type { Models } from './models';
import { isDuplicateKey } from './insert-once';

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
      /** The agent's load already counts the ticket (an automatic pick claims it). */
      claimed: boolean;
    }
  | { kind: 'triage'; ruleId: string | null; reason: string }
  | { kind: 'refused'; reason: string };

const MAX_ATTEMPTS = 20;

export class Dispatcher {
  /** Claims in one group queue behind each other in this process, so its own dispatches never collide;
   *  the compare-and-set still settles collisions with other processes. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly models: Models,
    private readonly config: DeskConfigStore,
  ) {}

  async dispatch({ ticket, group, agent, escalate, at }: DispatchRequest): Promise<DispatchOutcome> {
    if (agent) return this.toAgent(ticket, agent, group);
    if (escalate && !group) {
      const current = ticket.assignment.group ? await this.config.group(ticket.assignment.group) : null;
      if (!current?.escalationTarget) return { kind: 'refused', reason: current ? `group ${current.id} has no escalation target` : 'the ticket has no group to escalate from; name the target group' };
      group = current.escalationTarget;
    }
    if (group) {
      const target = await this.config.group(group);
      if (!target) return { kind: 'refused', reason: `there is no group ${group}` };
      return { kind: 'assigned', group, agent: await this.claim(ticket, group, ticket.requiredSkills, at), ruleId: null, skills: ticket.requiredSkills, tier: target.tier, claimed: true };
    }
    const rule = matchRule(await this.config.routingRules(), ticket);
    if (!rule) return { kind: 'triage', ruleId: null, reason: 'no routing rule matched' };
    if (rule.target === MANUAL) return { kind: 'triage', ruleId: rule.id, reason: `rule "${rule.name}" sends it to manual triage` };
    const target = await this.config.group(rule.target);
    if (!target) return { kind: 'triage', ruleId: rule.id, reason: `rule "${rule.name}" names unknown group ${rule.target}` };
    return { kind: 'assigned', group: rule.target, agent: await this.claim(ticket, rule.target, rule.skills, at), ruleId: rule.id, skills: rule.skills, tier: target.tier, claimed: true };
  }

  private async toAgent(ticket: Ticket, agentId: string, group: string | undefined): Promise<DispatchOutcome> {
    const agent = await this.config.agent(agentId);
    if (!agent) return { kind: 'refused', reason: `there is no agent ${agentId}` };
    const target = group ?? (ticket.assignment.group && agent.groups.includes(ticket.assignment.group) ? ticket.assignment.group : agent.groups[0]);
    if (!target || !agent.groups.includes(target)) return { kind: 'refused', reason: `agent ${agentId} is not in group ${group ?? '(none)'}` };
    const targetGroup = await this.config.group(target);
    // The workflow's own write claims a named agent; only automatic picks need the compare-and-set.
    return { kind: 'assigned', group: target, agent: agentId, ruleId: null, skills: ticket.requiredSkills, tier: targetGroup?.tier ?? 1, claimed: false };
  }

  private claim(ticket: Ticket, group: string, skills: string[], at: string): Promise<string | null> {
    const result = (this.queues.get(group) ?? Promise.resolve()).then(() => this.claimInGroup(ticket, group, skills, at));
    const tail = result.catch(() => undefined);
    this.queues.set(group, tail);
    void tail.then(() => this.queues.get(group) === tail && this.queues.delete(group));
    return result;
  }

  /** Claims the best agent of the group for the ticket, or returns null when nobody available qualifies. */
  private async claimInGroup(ticket: Ticket, group: string, skills: string[], at: string): Promise<string | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const agents = await this.config.agents({ group });
      const ids = agents.map((a) => a.id).filter((id) => id !== ticket.assignment.agent);
      const docs = await this.models.AgentLoad.find({ _id: { $in: ids } }).lean();
      // A retried activity finds the claim it already made.
      const held = docs.find((d) => d.open.includes(ticket.id));
      if (held) return held._id;

      const loads: AgentLoad[] = docs.map((d) => ({ agentId: d._id, openTickets: d.open.length, lastAssignedAt: d.lastAssignedAt }));
      const pick = selectAgent(agents.filter((a) => a.id !== ticket.assignment.agent), loads, group, skills);
      if (!pick) return null;

      const current = docs.find((d) => d._id === pick.id);
      if (current) {
        const result = await this.models.AgentLoad.updateOne(
          { _id: pick.id, version: current.version },
          { $addToSet: { open: ticket.id }, $set: { lastAssignedAt: at }, $inc: { version: 1 } },
        );
        if (result.modifiedCount === 1) return pick.id;
      } else {
        try {
          await this.models.AgentLoad.create({ _id: pick.id, open: [ticket.id], lastAssignedAt: at, version: 1 });
          return pick.id;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      // Someone else changed that agent's load meanwhile: look again.
    }
    throw new Error(`could not claim an agent in ${group} after ${MAX_ATTEMPTS} attempts`);
  }
}
