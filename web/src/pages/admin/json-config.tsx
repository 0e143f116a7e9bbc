// Admin: the desk's nested configuration lists, edited as JSON with the API's problems shown at their lines:
// routing rules (ordered: the first that matches places a ticket), intake templates, business-hours calendars
// and SLA policies.
import { getConfig, type ConfigKind } from '../../api/admin';
import { ConfigTabs } from '../../components/config-tabs';
import { JsonListEditor } from '../../components/json-editor';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useResource } from '../../hooks';
import type { PageProps } from '../../routes';
import { NotFoundPage } from '../not-found';

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

const KINDS: Partial<Record<ConfigKind, { title: string; noun: string; hint: string; name(item: Record<string, unknown>): string | undefined }>> = {
  'routing-rules': {
    title: 'Routing rules',
    noun: 'routing rule',
    hint: 'In order: the first rule that matches a new ticket places it. Each: id, name, match (any of productLines, modules, problemTypes, channels, priorities, keywords; every one given must match), target (a group id, or "manual" for triage) and skills (what the agent needs).',
    name: (item) => text(item.id),
  },
  templates: {
    title: 'Templates',
    noun: 'template',
    hint: 'One per problem type: problemType, name, description, fields [{ key, label, type (string, text, number, boolean, date or enum), required, options (for enum) }], defaultImpact and defaultUrgency (optional).',
    name: (item) => text(item.problemType),
  },
  calendars: {
    title: 'Calendars',
    noun: 'calendar',
    hint: 'Business hours the SLA clocks count: id, name, timeZone (IANA, e.g. Europe/Paris), weeklyHours [{ day (mon … sun), start "09:00", end "18:00" }], holidays ["2026-12-25", …].',
    name: (item) => text(item.id),
  },
  'sla-policies': {
    title: 'SLA policies',
    noun: 'SLA policy',
    hint: 'Exactly one default policy (productLine null) and at most one per product line. targets: for P0–P3, responseMs and resolutionMs in milliseconds (1 h = 3600000) and calendarId (null: around the clock); warnAtPercent; progressCadenceMs per priority; triage { targetMs, escalateTo }.',
    name: (item) => text(item.id),
  },
};

export function JsonConfigPage({ params }: PageProps) {
  const kind = params.kind as ConfigKind;
  const spec = KINDS[kind];
  if (!spec) return <NotFoundPage known={false} />;
  return <JsonConfig key={kind} kind={kind} spec={spec} />;
}

function JsonConfig({ kind, spec }: { kind: ConfigKind; spec: NonNullable<(typeof KINDS)[ConfigKind]> }) {
  const list = useResource((signal) => getConfig(kind, signal), [kind]);
  return (
    <Page title={`Configuration: ${spec.title.replace(/^[A-Z][a-z]/, (w) => w.toLowerCase())}`}>
      <ConfigTabs current={kind} />
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Loading what={`the ${spec.title.toLowerCase()}`} />}
      {list.data && <JsonListEditor kind={kind} title={spec.title} noun={spec.noun} items={list.data} hint={spec.hint} name={spec.name} />}
    </Page>
  );
}
