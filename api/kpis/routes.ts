// GET /kpis (SPEC §13): every KPI over a period, grouped by one dimension.
import { z } from 'zod';
import { computeKpis, KPI_DIMENSIONS, type KpiDimension } from '../../domain/kpis';
import type { ApiDeps } from '../deps';
import { dimensionKeys } from '../../store/kpis';
import { badRequest } from '../http/problem';
import { defineRoute } from '../http/routes';

const DAY = 86_400_000;

const kpiQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('start of the period (inclusive); default 30 days ago'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('end of the period (exclusive); default now'),
  groupBy: z.enum(KPI_DIMENSIONS).default('priority'),
});

const rate = z.object({ count: z.number().int(), of: z.number().int(), rate: z.number().nullable() });
const durations = z.object({ count: z.number().int(), mean: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable() });
const kpiRow = z.object({
  key: z.string(),
  volume: z.number().int(),
  firstResponse: durations,
  resolution: durations,
  slaCompliance: z.object({ response: rate, resolution: rate }),
  escalationRate: rate,
  reopenRate: rate,
  firstContactResolution: rate,
  deflectionRate: rate,
  csat: z.object({ average: z.number().nullable(), responses: z.number().int(), offered: z.number().int(), responseRate: z.number().nullable() }),
  backlog: z.object({ open: z.number().int(), under1d: z.number().int(), '1to3d': z.number().int(), '3to7d': z.number().int(), '7to30d': z.number().int(), over30d: z.number().int() }),
  reviewCompletion: rate,
});
const kpiReport = z.object({ from: z.string(), to: z.string(), groupBy: z.enum(KPI_DIMENSIONS), generatedAt: z.string(), totals: kpiRow, groups: z.array(kpiRow) });
/** The report as the console receives it (web/src/api/kpis.ts). */
export type KpiReport = z.infer<typeof kpiReport>;

export function kpiRoutes({ kpis, deskConfig }: ApiDeps) {
  return [
    defineRoute<undefined, z.infer<typeof kpiQuery>>({
      method: 'get',
      path: '/kpis',
      summary: 'KPIs over a period (durations in milliseconds, percentiles by nearest rank), grouped by priority, product line, channel, group or agent',
      tags: ['kpis'],
      roles: ['supervisor', 'admin'],
      query: kpiQuery,
      responses: { 200: { description: 'The KPI report', schema: kpiReport } },
      async handle({ query }) {
        const now = Date.now();
        const to = query.to ? Date.parse(query.to) : now;
        const from = query.from ? Date.parse(query.from) : to - 30 * DAY;
        if (from >= to) throw badRequest('from must come before to', [{ path: 'query.from', message: 'must be before to' }]);
        if (to - from > 366 * DAY) throw badRequest('the period can be at most a year', [{ path: 'query.to', message: 'must be within 366 days of from' }]);
        const dimension: KpiDimension = query.groupBy;
        const [created, backlog, keys] = await Promise.all([kpis.created(new Date(from).toISOString(), new Date(to).toISOString()), kpis.backlog(), dimensionKeys(deskConfig, dimension)]);
        const report = computeKpis(created, backlog, dimension, keys, now);
        return { status: 200, body: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), groupBy: dimension, generatedAt: new Date(now).toISOString(), ...report } };
      },
    }),
  ];
}
