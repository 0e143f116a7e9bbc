// The desk's configuration in MongoDB: groups, agents, routing rules (ordered), intake templates, SLA policies
// business calendars and canned replies. Read through a per-process cache that reloads when an admin changes anything.
import type { Agent, CannedReply, Group, RoutingRule, Template } from '../domain/desk';
import type { Mailbox } from '../domain/mail';
import { NO_RETENTION, type RetentionPolicy } from '../domain/privacy';
import type { BusinessCalendar } from '../domain/sla/calendar';
import { policyFor, type SlaPolicy, type SlaSnapshot } from '../domain/sla/policy';
import { bulkUpdate, type BulkWritable } from './bulk';
import type { Models } from './models';
import { Versioned } from './versions';

interface DeskConfig {
  groups: Group[];
  agents: Agent[];
  routingRules: RoutingRule[];
  templates: Template[];
  slaPolicies: SlaPolicy[];
  calendars: BusinessCalendar[];
  cannedReplies: CannedReply[];
  mailboxes: Mailbox[];
  retention: RetentionPolicy;
}

const RETENTION = 'retention';

export class DeskConfigStore {
  private readonly config: Versioned<DeskConfig>;

  constructor(private readonly models: Models) {
    this.config = new Versioned(models, 'config', () => this.loadAll());
  }

  groups = async () => (await this.config.get()).groups;
  group = async (id: string) => (await this.groups()).find((g) => g.id === id) ?? null;
  agents = async (filter: { group?: string } = {}) => (await this.config.get()).agents.filter((a) => !filter.group || a.groups.includes(filter.group));
  agent = async (id: string) => (await this.config.get()).agents.find((a) => a.id === id) ?? null;
  routingRules = async () => (await this.config.get()).routingRules;
  templates = async () => (await this.config.get()).templates;
  template = async (problemType: string) => (await this.templates()).find((t) => t.problemType === problemType) ?? null;
  slaPolicies = async () => (await this.config.get()).slaPolicies;
  calendars = async () => (await this.config.get()).calendars;
  cannedReplies = async () => (await this.config.get()).cannedReplies;
  mailboxes = async () => (await this.config.get()).mailboxes;
  retention = async () => (await this.config.get()).retention;

  /** The policy a new ticket of this product line starts with, and the calendars it counts on. */
  async slaSnapshotFor(productLine: string): Promise<SlaSnapshot | null> {
    const { slaPolicies, calendars } = await this.config.get();
    const policy = policyFor(slaPolicies, productLine);
    if (!policy) return null;
    const ids = new Set(Object.values(policy.targets).map((t) => t.calendarId));
    return { policy, calendars: Object.fromEntries(calendars.filter((c) => ids.has(c.id)).map((c) => [c.id, c])) };
  }

  // Replacing a whole list is how admins edit it (PUT). No multi-document transactions on the local
  // MongoDB-wire server, so the new items are upserted first and the removed ones deleted after.
  replaceGroups = (groups: Group[]) => this.replace(this.models.Group, groups.map(({ id, ...g }) => ({ _id: id, ...g })));
  replaceAgents = (agents: Agent[]) => this.replace(this.models.Agent, agents.map(({ id, ...a }) => ({ _id: id, ...a })));
  replaceRoutingRules = (rules: RoutingRule[]) => this.replace(this.models.RoutingRule, rules.map(({ id, ...r }, order) => ({ _id: id, order, ...r })));
  replaceTemplates = (templates: Template[]) => this.replace(this.models.Template, templates.map(({ problemType, ...t }) => ({ _id: problemType, ...t })));
  replaceSlaPolicies = (policies: SlaPolicy[]) => this.replace(this.models.SlaPolicy, policies.map(({ id, ...p }) => ({ _id: id, ...p })));
  replaceCalendars = (calendars: BusinessCalendar[]) => this.replace(this.models.Calendar, calendars.map(({ id, ...c }) => ({ _id: id, ...c })));
  replaceCannedReplies = (replies: CannedReply[]) => this.replace(this.models.CannedReply, replies.map(({ id, ...r }, order) => ({ _id: id, order, ...r })));
  replaceMailboxes = (mailboxes: Mailbox[]) => this.replace(this.models.Mailbox, mailboxes.map(({ address, ...m }) => ({ _id: address.toLowerCase(), ...m })));

  /** The retention policy is one value: replaced whole, like the lists. */
  async replaceRetention(policy: RetentionPolicy): Promise<void> {
    await this.models.DeskSetting.collection.updateOne({ _id: RETENTION as never }, { $set: { value: { anonymiseClosedAfterDays: policy.anonymiseClosedAfterDays } } }, { upsert: true });
    await this.config.bump();
  }

  private async replace(model: ReplaceableModel, docs: Array<{ _id: string }>): Promise<void> {
    await bulkUpdate(model.collection, docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })));
    // A configuration list is small (the desk's groups, agents, rules): this $nin reads it whole, as the desk does.
    await model.deleteMany({ _id: { $nin: docs.map((d) => d._id) } });
    await this.config.bump();
  }

  private async loadAll(): Promise<DeskConfig> {
    const m = this.models;
    const [groups, agents, rules, templates, policies, calendars, mailboxes, cannedReplies, retention] = await Promise.all([
      m.Group.find().sort({ _id: 1 }).lean(),
      m.Agent.find().sort({ _id: 1 }).lean(),
      m.RoutingRule.find().sort({ order: 1 }).lean(),
      m.Template.find().sort({ _id: 1 }).lean(),
      m.SlaPolicy.find().sort({ _id: 1 }).lean(),
      m.Calendar.find().sort({ _id: 1 }).lean(),
      m.Mailbox.find().sort({ _id: 1 }).lean(),
      m.CannedReply.find().sort({ order: 1 }).lean(),
      m.DeskSetting.findById(RETENTION).lean(),
    ]);
    return {
      groups: groups.map(({ _id, ...g }) => ({ id: _id, ...g })),
      agents: agents.map(({ _id, ...a }) => ({ id: _id, ...a })),
      routingRules: rules.map(({ _id, order: _order, ...r }) => ({ id: _id, ...r })),
      templates: templates.map(({ _id, ...t }) => ({ problemType: _id, ...t })),
      slaPolicies: policies.map(({ _id, ...p }) => ({ id: _id, ...p })),
      calendars: calendars.map(({ _id, ...c }) => ({ id: _id, ...c })),
      cannedReplies: cannedReplies.map(({ _id, order: _order, ...r }) => ({ id: _id, ...r })),
      mailboxes: mailboxes.map(({ _id, ...m }) => ({ address: _id, ...m })),
      // None stored: no policy, nothing is anonymised by age.
      retention: (retention?.value as RetentionPolicy | undefined) ?? NO_RETENTION,
    };
  }
}

interface ReplaceableModel {
  collection: BulkWritable;
  deleteMany(filter: object): Promise<unknown>;
}
