// KPIs (SPEC §13, GET /kpis) over a chosen range of days, grouped by priority, product line, channel, group or
// agent: volume, first-response and resolution times (p50, p90), SLA compliance, backlog by age, and the rates
// (escalation, reopen, first-contact resolution, deflection, CSAT, review completion). Each chart has its numbers
// in a table beside it; each number in a table carries its exact value (<data value>), as GET /kpis gave it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { agentName, getDirectory, groupName, type Directory } from '../api/directory';
import { getKpis, KPI_DIMENSIONS, type KpiDimension, type KpiReport, type KpiRow } from '../api/kpis';
import { onSubmit, Select, SubmitButton, TextField } from '../components/fields';
import { BarChart, COLOURS, KpiFigure, type Series } from '../components/kpi-figure';
import { Loading, Page } from '../components/page';
import { ProblemAlert } from '../components/problem';
import { capitalize, formatDate, formatDateTime, humanize } from '../format';
import { useResource } from '../hooks';
import { navigate } from '../router';
import type { PageProps } from '../routes';

const DAY = 86_400_000;
const DIMENSION_LABELS: Record<KpiDimension, string> = { priority: 'Priority', productLine: 'Product line', channel: 'Channel', group: 'Group', agent: 'Agent' };
const NONE = '(none)';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayAfter = (day: string) => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? day : isoDay(ms + DAY);
};

interface Range {
  from: string;
  to: string;
  groupBy: KpiDimension;
}

/** The range in the address (?from=2026-11-01&to=2026-11-30&groupBy=group, both days included), else the last 30 days by priority. */
function rangeOf(query: URLSearchParams): Range {
  const today = isoDay(Date.now());
  const groupBy = query.get('groupBy') as KpiDimension | null;
  return {
    from: query.get('from') ?? isoDay(Date.now() - 29 * DAY),
    to: query.get('to') ?? today,
    groupBy: groupBy && KPI_DIMENSIONS.includes(groupBy) ? groupBy : 'priority',
  };
}

// ── How numbers read ────────────────────────────────────────────────────────────────────────────────────────

function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const formatPercent = (rate: number | null) => (rate === null ? '—' : `${Number((rate * 100).toFixed(1))} %`);

/** A unit for a chart's axis that keeps its numbers readable. */
function durationUnit(values: Array<number | null>): { label: string; ms: number } {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  if (max < 2 * 3_600_000) return { label: 'minutes', ms: 60_000 };
  if (max < 72 * 3_600_000) return { label: 'hours', ms: 3_600_000 };
  return { label: 'days', ms: DAY };
}
const inUnit = (ms: number | null, unit: { ms: number }) => (ms === null ? null : Math.round((ms / unit.ms) * 100) / 100);

/** A number with its exact value for machines, and how people read it. */
function Value({ value, children }: { value: number | null; children?: string }) {
  if (value === null)
    return (
      <>
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">no data</span>
      </>
    );
  return <data value={String(value)}>{children ?? String(value)}</data>;
}

function Rate({ rate }: { rate: { count: number; of: number; rate: number | null } }) {
  return (
    <>
      <Value value={rate.rate}>{formatPercent(rate.rate)}</Value>
      {rate.of > 0 && (
        <span class="muted">
          {' '}
          ({rate.count} of {rate.of})
        </span>
      )}
    </>
  );
}

// ── The page ────────────────────────────────────────────────────────────────────────────────────────────────

export function KpisPage({ query }: PageProps) {
  const range = rangeOf(query);
  const [draft, setDraft] = useState(range);
  const [missing, setMissing] = useState<Partial<Record<'from' | 'to', string>>>({});
  useEffect(() => setDraft(range), [range.from, range.to, range.groupBy]);

  const report = useResource((signal) => getKpis({ from: range.from, to: dayAfter(range.to), groupBy: range.groupBy }, signal), [range.from, range.to, range.groupBy]);
  const directory = useResource((signal) => getDirectory(signal), []);
  const apiErrors = report.error instanceof ApiError ? report.error.fieldErrors() : {};

  function show() {
    const empty = { ...(draft.from ? {} : { from: 'Choose the first day.' }), ...(draft.to ? {} : { to: 'Choose the last day.' }) };
    setMissing(empty);
    if (Object.keys(empty).length) return;
    navigate(`/kpis?${new URLSearchParams({ from: draft.from, to: draft.to, groupBy: draft.groupBy })}`);
  }

  const data = report.data;
  return (
    <Page title="KPIs">
      <form class="form form-inline kpi-range" noValidate aria-label="Period and grouping" onSubmit={onSubmit(async () => show())}>
        <div class="form-row">
          <TextField label="From" type="date" value={draft.from} onValue={(from) => setDraft({ ...draft, from })} error={missing.from ?? apiErrors.from} />
          <TextField label="To" type="date" value={draft.to} onValue={(to) => setDraft({ ...draft, to })} error={missing.to ?? apiErrors.to} />
          <Select
            label="Group by"
            value={draft.groupBy}
            onValue={(groupBy) => setDraft({ ...draft, groupBy: groupBy as KpiDimension })}
            options={KPI_DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))}
          />
          <SubmitButton busy={report.loading}>Show</SubmitButton>
        </div>
        <p class="hint">Days run from midnight to midnight UTC; both days are included.</p>
      </form>
      <ProblemAlert error={report.error} shownAtFields={['from', 'to']} />
      {report.loading && !data && <Loading what="the KPIs" />}
      {data && <Report report={data} directory={directory.data} />}
    </Page>
  );
}

function Report({ report, directory }: { report: KpiReport; directory: Directory | undefined }) {
  const dimension = report.groupBy;
  const dimensionLabel = DIMENSION_LABELS[dimension];
  const rows = report.groups;
  const labelOf = (key: string) => keyLabel(dimension, key, directory);
  const labels = rows.map((r) => labelOf(r.key));
  const { totals } = report;
  const lastDay = isoDay(Date.parse(report.to) - 1);
  const by = `by ${dimensionLabel.toLowerCase()}`;

  /** A table of the rows (and the total) under named columns. */
  const table = (caption: string, columns: Array<{ name: string; cell(row: KpiRow): ComponentChildren }>) => (
    <table class="kpi-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{dimensionLabel}</th>
          {columns.map((c) => (
            <th key={c.name} scope="col">
              {c.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[...rows, totals].map((row, i) => (
          <tr key={`${row.key}:${i}`} class={row === totals ? 'total' : undefined}>
            <th scope="row">{row === totals ? 'All tickets' : labelOf(row.key)}</th>
            {columns.map((c) => (
              <td key={c.name}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );

  const durationFigure = (id: string, title: string, pick: (row: KpiRow) => KpiRow['firstResponse'], description: string) => {
    const unit = durationUnit(rows.flatMap((r) => [pick(r).p50, pick(r).p90]));
    const series: Series[] = [
      { label: 'p50 (median)', values: rows.map((r) => inUnit(pick(r).p50, unit)), colour: COLOURS[0]! },
      { label: 'p90', values: rows.map((r) => inUnit(pick(r).p90, unit)), colour: COLOURS[1]! },
    ];
    return (
      <KpiFigure
        id={id}
        title={title}
        description={description}
        chart={<BarChart labels={labels} series={series} axis={unit.label} summary={`Bar chart of ${title.toLowerCase()} ${by}, p50 and p90 in ${unit.label}; the numbers are in the table beside it.`} />}
        table={table(`${title} ${by}`, [
          { name: 'Tickets', cell: (r) => <Value value={pick(r).count} /> },
          { name: 'Mean', cell: (r) => <Value value={pick(r).mean}>{formatDuration(pick(r).mean)}</Value> },
          { name: 'p50', cell: (r) => <Value value={pick(r).p50}>{formatDuration(pick(r).p50)}</Value> },
          { name: 'p90', cell: (r) => <Value value={pick(r).p90}>{formatDuration(pick(r).p90)}</Value> },
        ])}
      />
    );
  };

  const ages = [
    { key: 'under1d', label: 'Under 1 day' },
    { key: '1to3d', label: '1–3 days' },
    { key: '3to7d', label: '3–7 days' },
    { key: '7to30d', label: '7–30 days' },
    { key: 'over30d', label: 'Over 30 days' },
  ] as const;

  return (
    <>
      <p class="meta">
        Tickets opened from {formatDate(report.from)} to {formatDate(`${lastDay}T00:00:00Z`)} (UTC days), {by}; the backlog is the open tickets now (figures of{' '}
        {formatDateTime(report.generatedAt)}).
      </p>
      <section aria-labelledby="kpi-totals" class="section">
        <h2 id="kpi-totals">In short</h2>
        <dl class="kpi-totals">
          <Total name="Tickets opened" value={totals.volume} />
          <Total name="Open now" value={totals.backlog.open} />
          <Total name="First response, p50" value={totals.firstResponse.p50} text={formatDuration(totals.firstResponse.p50)} />
          <Total name="Resolution, p50" value={totals.resolution.p50} text={formatDuration(totals.resolution.p50)} />
          <Total name="Response SLA met" value={totals.slaCompliance.response.rate} text={formatPercent(totals.slaCompliance.response.rate)} />
          <Total name="Resolution SLA met" value={totals.slaCompliance.resolution.rate} text={formatPercent(totals.slaCompliance.resolution.rate)} />
          <Total name="CSAT average (1–5)" value={totals.csat.average} />
          <Total name="Reviews filed" value={totals.reviewCompletion.rate} text={formatPercent(totals.reviewCompletion.rate)} />
        </dl>
      </section>

      <KpiFigure
        id="kpi-volume"
        title="Volume"
        description="Tickets opened in the period."
        chart={<BarChart labels={labels} series={[{ label: 'Tickets opened', values: rows.map((r) => r.volume), colour: COLOURS[0]! }]} counts axis="tickets" summary={`Bar chart of tickets opened ${by}; the numbers are in the table beside it.`} />}
        table={table(`Tickets opened ${by}`, [{ name: 'Tickets opened', cell: (r) => <Value value={r.volume} /> }])}
      />
      {durationFigure('kpi-first-response', 'First response time', (r) => r.firstResponse, 'From opening to the first public reply of an agent, for tickets opened in the period that had one.')}
      {durationFigure('kpi-resolution', 'Time to resolve', (r) => r.resolution, 'From opening to resolution, for tickets opened in the period and resolved or closed now.')}
      <KpiFigure
        id="kpi-sla"
        title="SLA compliance"
        description="The share of deadlines met, among the tickets whose first response (or resolution) is done or overdue."
        chart={
          <BarChart
            labels={labels}
            series={[
              { label: 'Response met', values: rows.map((r) => percentOf(r.slaCompliance.response.rate)), colour: COLOURS[2]! },
              { label: 'Resolution met', values: rows.map((r) => percentOf(r.slaCompliance.resolution.rate)), colour: COLOURS[3]! },
            ]}
            axis="% met"
            summary={`Bar chart of the share of response and resolution deadlines met ${by}, in percent; the numbers are in the table beside it.`}
          />
        }
        table={table(`SLA compliance ${by}`, [
          { name: 'Response met', cell: (r) => <Rate rate={r.slaCompliance.response} /> },
          { name: 'Resolution met', cell: (r) => <Rate rate={r.slaCompliance.resolution} /> },
        ])}
      />
      <KpiFigure
        id="kpi-backlog"
        title="Backlog by age"
        description="Tickets open now, by how long ago they were opened (whatever the period)."
        chart={
          <BarChart
            labels={labels}
            stacked
            counts
            series={ages.map((age, i) => ({ label: age.label, values: rows.map((r) => r.backlog[age.key]), colour: COLOURS[i]! }))}
            axis="open tickets"
            summary={`Stacked bar chart of the open tickets ${by} and by age; the numbers are in the table beside it.`}
          />
        }
        table={table(`Open tickets by age, ${by}`, [
          { name: 'Open', cell: (r) => <Value value={r.backlog.open} /> },
          ...ages.map((age) => ({ name: age.label, cell: (r: KpiRow) => <Value value={r.backlog[age.key]} /> })),
        ])}
      />
      <section class="kpi-figure" aria-labelledby="kpi-rates">
        <h2 id="kpi-rates">Rates and satisfaction</h2>
        <p class="hint">
          Escalated: tickets escalated at least once. Reopened: resolved tickets the requester reopened. First contact: tickets the desk closed with at most one public reply, never reopened,
          escalated or passed on. Self-service: tickets solved by an article. CSAT: ratings of closed tickets (1–5). Reviews: post-incident reviews filed of those owed.
        </p>
        {table(`Rates ${by}`, [
          { name: 'Escalated', cell: (r) => <Rate rate={r.escalationRate} /> },
          { name: 'Reopened', cell: (r) => <Rate rate={r.reopenRate} /> },
          { name: 'First contact', cell: (r) => <Rate rate={r.firstContactResolution} /> },
          { name: 'Self-service', cell: (r) => <Rate rate={r.deflectionRate} /> },
          { name: 'CSAT average', cell: (r) => <Value value={r.csat.average} /> },
          { name: 'CSAT responses', cell: (r) => <Rate rate={{ count: r.csat.responses, of: r.csat.offered, rate: r.csat.responseRate }} /> },
          { name: 'Reviews filed', cell: (r) => <Rate rate={r.reviewCompletion} /> },
        ])}
      </section>
    </>
  );
}

const percentOf = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function Total({ name, value, text }: { name: string; value: number | null; text?: string }) {
  return (
    <div class="kpi-total">
      <dt>{name}</dt>
      <dd>
        <Value value={value}>{text}</Value>
      </dd>
    </div>
  );
}

function keyLabel(dimension: KpiDimension, key: string, directory: Directory | undefined): string {
  if (key === NONE) return dimension === 'group' ? 'No group (triage)' : dimension === 'agent' ? 'No agent' : 'None';
  if (dimension === 'group') return groupName(directory, key);
  if (dimension === 'agent') return agentName(directory, key);
  if (dimension === 'priority') return key;
  return capitalize(humanize(key));
}
