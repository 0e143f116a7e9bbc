// KPI figures checked against a hand-computed fixture (SPEC §13).
import { computeKpis, durations, percentile } from '../../domain/kpis';
import { backlog, created, HOUR, MIN, now } from '../fixtures/kpi-tickets';

describe('KPIs', () => {
  const { totals, groups } = computeKpis(created, backlog, 'priority', ['P0', 'P1', 'P2', 'P3'], now);

  it('counts volume, response and resolution times with nearest-rank percentiles', () => {
    expect(totals.volume).toBe(6);
    expect(totals.firstResponse).toEqual({ count: 5, mean: 4_860_000, p50: 30 * MIN, p90: 4 * HOUR });
    expect(totals.resolution).toEqual({ count: 4, mean: 32_475_000, p50: 2 * HOUR, p90: 24 * HOUR });
  });

  it('computes SLA compliance, escalation, reopen, first-contact resolution and deflection', () => {
    expect(totals.slaCompliance.response).toEqual({ count: 4, of: 5, rate: 0.8 });
    expect(totals.slaCompliance.resolution).toEqual({ count: 4, of: 5, rate: 0.8 });
    expect(totals.escalationRate).toEqual({ count: 2, of: 6, rate: 0.3333 });
    expect(totals.reopenRate).toEqual({ count: 1, of: 4, rate: 0.25 });
    expect(totals.firstContactResolution).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(totals.deflectionRate).toEqual({ count: 1, of: 6, rate: 0.1667 });
  });

  it('averages CSAT and its response rate, and measures review completion', () => {
    expect(totals.csat).toEqual({ average: 4, responses: 2, offered: 3, responseRate: 0.6667 });
    expect(totals.reviewCompletion).toEqual({ count: 1, of: 2, rate: 0.5 });
  });

  it('ages the current backlog, whatever the period', () => {
    expect(totals.backlog).toEqual({ open: 5, under1d: 1, '1to3d': 0, '3to7d': 2, '7to30d': 1, over30d: 1 });
  });

  it('groups by the dimension and keeps empty groups, with nothing made up', () => {
    expect(groups.map((g) => g.key)).toEqual(['P0', 'P1', 'P2', 'P3']);
    const [p0, p1, p2, p3] = groups;
    expect(p0).toMatchObject({
      volume: 0,
      firstResponse: { count: 0, mean: null, p50: null, p90: null },
      escalationRate: { count: 0, of: 0, rate: null },
      csat: { average: null, responses: 0, offered: 0, responseRate: null },
      backlog: { open: 0 },
    });
    expect(p1!.firstResponse).toEqual({ count: 2, mean: 20 * MIN, p50: 10 * MIN, p90: 30 * MIN });
    expect(p1!.reviewCompletion).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(p2!.backlog.open).toBe(2);
    expect(p3!.backlog).toMatchObject({ open: 3, under1d: 1, '3to7d': 2 });
    expect(p3!.slaCompliance.response).toEqual({ count: 0, of: 1, rate: 0 });
  });

  it('groups tickets without a value under (none), e.g. untriaged tickets by group', () => {
    const byGroup = computeKpis(created, backlog, 'group', ['network-l1', 'network-l2', 'billing-l1', 'billing-l2'], now).groups;
    expect(byGroup.map((g) => [g.key, g.volume])).toEqual([
      ['network-l1', 2],
      ['network-l2', 1],
      ['billing-l1', 2],
      ['billing-l2', 0],
      ['(none)', 1],
    ]);
  });
});

describe('percentiles', () => {
  it('use the nearest rank', () => {
    const sorted = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile([7], 90)).toBe(7);
    expect(durations([null, 3, 1, 2])).toEqual({ count: 3, mean: 2, p50: 2, p90: 3 });
  });
});
