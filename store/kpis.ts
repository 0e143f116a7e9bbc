// The ticket projection the KPIs are computed from (SPEC §13): only the fields they read, fetched in two
// queries — tickets created in the period, and the open backlog.
import { isBacklog, type KpiDimension, type KpiTicket } from '../domain/kpis';
import { CHANNELS, OPEN_STATUSES, PRIORITIES } from '../domain/ticket';
import type { DeskConfigStore } from './desk-config';
import type { Models, TicketDocument } from './models';

const FIELDS = 'priority productLine channel assignment status createdAt sla.firstRespondedAt sla.responseBreached sla.resolutionBreached resolution.resolvedAt reopenCount stats csat.score closure.survey closure.review.status';

export class KpiReader {
  constructor(
    private readonly models: Models,
    private readonly config: DeskConfigStore,
  ) {}

  async created(from: string, to: string): Promise<KpiTicket[]> {
    const docs = await this.models.Ticket.find({ createdAt: { $gte: from, $lt: to } }).select(FIELDS).lean<TicketDocument[]>();
    return docs.map(toKpiTicket);
  }

  async backlog(): Promise<KpiTicket[]> {
    const docs = await this.models.Ticket.find({ status: { $in: OPEN_STATUSES } }).select(FIELDS).lean<TicketDocument[]>();
    return docs.map(toKpiTicket).filter((t) => isBacklog(t.status));
  }

  /** Every key the dimension can take, so groups without tickets still show (with zeros). */
  async keys(dimension: KpiDimension): Promise<string[]> {
    switch (dimension) {
      case 'priority':
        return [...PRIORITIES];
      case 'channel':
        return [...CHANNELS];
      case 'group':
        return (await this.config.groups()).map((g) => g.id);
      case 'agent':
        return (await this.config.agents()).map((a) => a.id);
      case 'productLine': {
        const lines = [...(await this.config.slaPolicies()).map((p) => p.productLine), ...(await this.config.routingRules()).flatMap((r) => r.match.productLines ?? [])];
        return [...new Set(lines.filter((l): l is string => l !== null))].sort();
      }
    }
  }
}

function toKpiTicket(doc: TicketDocument): KpiTicket {
  return {
    priority: doc.priority,
    productLine: doc.productLine,
    channel: doc.channel,
    group: doc.assignment?.group ?? null,
    agent: doc.assignment?.agent ?? null,
    status: doc.status,
    createdAt: doc.createdAt,
    firstRespondedAt: doc.sla?.firstRespondedAt ?? null,
    resolvedAt: doc.resolution?.resolvedAt ?? null,
    responseBreached: doc.sla?.responseBreached ?? false,
    resolutionBreached: doc.sla?.resolutionBreached ?? false,
    reopenCount: doc.reopenCount ?? 0,
    publicReplies: doc.stats?.publicReplies ?? 0,
    escalations: doc.stats?.escalations ?? 0,
    transfers: doc.stats?.transfers ?? 0,
    selfService: doc.stats?.selfService ?? false,
    csatScore: doc.csat?.score ?? null,
    surveyOffered: !!doc.closure?.survey,
    reviewStatus: doc.closure?.review?.status ?? null,
  };
}
