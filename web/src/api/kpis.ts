// The KPI report (SPEC §13, GET /kpis): every figure over a period, grouped by one dimension. Durations are
// milliseconds, rates shares of 1; `from` is inclusive and `to` exclusive.
import type { KpiReport } from '../../../api/kpis/routes';
import { KPI_DIMENSIONS, type KpiDimension } from '../../../domain/kpis';
import { request } from './client';

export type { KpiReport, KpiDimension };
export type KpiRow = KpiReport['totals'];
export { KPI_DIMENSIONS };

export const getKpis = (query: { from: string; to: string; groupBy: KpiDimension }, signal?: AbortSignal) => request<KpiReport>('GET', '/kpis', { signal, query });
