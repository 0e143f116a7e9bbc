// The desk's configuration in MongoDB: groups, agents, routing rules (ordered) and intake templates.
import type { Agent, Group, RoutingRule, Template } from '../domain/desk';
import type { BusinessCalendar } from '../domain/sla/calendar';
import { policyFor, type SlaPolicy, type SlaSnapshot } from '../domain/sla/policy';
import type { Models } from './models';

export class DeskConfigStore {
  constructor(private readonly models: Models) {}

  async groups(): Promise<Group[]> {
    const docs = await this.models.Group.find().sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...g }) => ({ id: _id, ...g }));
  }

  async group(id: string): Promise<Group | null> {
    const doc = await this.models.Group.findById(id).lean();
    return doc ? { ...doc, id: doc._id } : null;
  }

  async agents(filter: { group?: string } = {}): Promise<Agent[]> {
    const docs = await this.models.Agent.find(filter.group ? { groups: filter.group } : {}).sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...a }) => ({ id: _id, ...a }));
  }

  async agent(id: string): Promise<Agent | null> {
    const doc = await this.models.Agent.findById(id).lean();
    return doc ? { ...doc, id: doc._id } : null;
  }

  async routingRules(): Promise<RoutingRule[]> {
    const docs = await this.models.RoutingRule.find().sort({ order: 1 }).lean();
    return docs.map(({ _id, order: _order, ...r }) => ({ id: _id, ...r }));
  }

  async templates(): Promise<Template[]> {
    const docs = await this.models.Template.find().sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...t }) => ({ problemType: _id, ...t }));
  }

  async template(problemType: string): Promise<Template | null> {
    const doc = await this.models.Template.findById(problemType).lean();
    return doc ? { ...doc, problemType: doc._id } : null;
  }

  async slaPolicies(): Promise<SlaPolicy[]> {
    const docs = await this.models.SlaPolicy.find().sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...p }) => ({ id: _id, ...p }));
  }

  async calendars(): Promise<BusinessCalendar[]> {
    const docs = await this.models.Calendar.find().sort({ _id: 1 }).lean();
    return docs.map(({ _id, ...c }) => ({ id: _id, ...c }));
  }

  /** The policy a new ticket of this product line starts with, and the calendars it counts on. */
  async slaSnapshotFor(productLine: string): Promise<SlaSnapshot | null> {
    const policy = policyFor(await this.slaPolicies(), productLine);
    if (!policy) return null;
    const ids = [...new Set(Object.values(policy.targets).map((t) => t.calendarId).filter((id): id is string => id !== null))];
    const calendars = ids.length ? await this.models.Calendar.find({ _id: { $in: ids } }).lean() : [];
    return { policy, calendars: Object.fromEntries(calendars.map(({ _id, ...c }) => [_id, { id: _id, ...c }])) };
  }

  // Replacing a whole list is how admins edit it (PUT). No multi-document transactions on the local
  // MongoDB-wire server, so the new items are upserted first and the removed ones deleted after.
  replaceGroups = (groups: Group[]) => replaceAll(this.models.Group, groups.map(({ id, ...g }) => ({ _id: id, ...g })));
  replaceAgents = (agents: Agent[]) => replaceAll(this.models.Agent, agents.map(({ id, ...a }) => ({ _id: id, ...a })));
  replaceRoutingRules = (rules: RoutingRule[]) => replaceAll(this.models.RoutingRule, rules.map(({ id, ...r }, order) => ({ _id: id, order, ...r })));
  replaceTemplates = (templates: Template[]) => replaceAll(this.models.Template, templates.map(({ problemType, ...t }) => ({ _id: problemType, ...t })));
  replaceSlaPolicies = (policies: SlaPolicy[]) => replaceAll(this.models.SlaPolicy, policies.map(({ id, ...p }) => ({ _id: id, ...p })));
  replaceCalendars = (calendars: BusinessCalendar[]) => replaceAll(this.models.Calendar, calendars.map(({ id, ...c }) => ({ _id: id, ...c })));
}

interface ReplaceableModel {
  bulkWrite(ops: object[], options: { ordered: boolean }): Promise<unknown>;
  deleteMany(filter: object): Promise<unknown>;
}

async function replaceAll(model: ReplaceableModel, docs: Array<{ _id: string }>): Promise<void> {
  if (docs.length > 0) {
    await model.bulkWrite(
      docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
      { ordered: false },
    );
  }
  await model.deleteMany({ _id: { $nin: docs.map((d) => d._id) } });
}
