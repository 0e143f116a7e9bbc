// The desk's configuration as admins edit it (SPEC §14, GET/PUT /admin/{kind}): whole lists. A PUT replaces the
// list; the API checks every item on its own (400) and the list against the rest of the desk (422), naming each
// problem by its place in the list (`body.2.target`), which the editors show at that item's field or line.
import type { z } from 'zod';
import type { agentList, calendarList, cannedReplyList, groupList, mailboxList, routingRuleList, slaPolicyList, templateList } from '../../../api/admin/schemas';
import { ApiError, request } from './client';

/** What each list holds, as the API answers it. */
export interface ConfigLists {
  groups: z.infer<typeof groupList>;
  agents: z.infer<typeof agentList>;
  'routing-rules': z.infer<typeof routingRuleList>;
  templates: z.infer<typeof templateList>;
  calendars: z.infer<typeof calendarList>;
  'sla-policies': z.infer<typeof slaPolicyList>;
  'canned-replies': z.infer<typeof cannedReplyList>;
  mailboxes: z.infer<typeof mailboxList>;
}
export type ConfigKind = keyof ConfigLists;
export type ConfigItem<K extends ConfigKind> = ConfigLists[K][number];

export const CONFIG_KINDS: Array<{ kind: ConfigKind; title: string; noun: string }> = [
  { kind: 'groups', title: 'Groups', noun: 'group' },
  { kind: 'agents', title: 'Agents', noun: 'agent' },
  { kind: 'routing-rules', title: 'Routing rules', noun: 'routing rule' },
  { kind: 'templates', title: 'Templates', noun: 'template' },
  { kind: 'calendars', title: 'Calendars', noun: 'calendar' },
  { kind: 'sla-policies', title: 'SLA policies', noun: 'SLA policy' },
  { kind: 'canned-replies', title: 'Canned replies', noun: 'canned reply' },
  { kind: 'mailboxes', title: 'Mailboxes', noun: 'mailbox' },
];

export const getConfig = <K extends ConfigKind>(kind: K, signal?: AbortSignal) => request<ConfigLists[K]>('GET', `/admin/${kind}`, { signal });

export const putConfig = <K extends ConfigKind>(kind: K, items: unknown[]) => request<ConfigLists[K]>('PUT', `/admin/${kind}`, { body: items });

/** A refusal's problems by place: `items[2]` gets { target: '…' } from `body.2.target` (or `body[2].target`); the rest are about the list. */
export interface ListProblems {
  items: Map<number, Record<string, string>>;
  list: string[];
}

export function listProblems(error: unknown): ListProblems {
  const problems: ListProblems = { items: new Map(), list: [] };
  if (!(error instanceof ApiError)) return problems;
  for (const { path, message } of error.errors) {
    const parts = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    if (parts[0] === 'body') parts.shift();
    const index = parts.length > 0 && /^\d+$/.test(parts[0]!) ? Number(parts.shift()) : null;
    if (index === null) {
      problems.list.push(message);
      continue;
    }
    const field = parts.join('.');
    const item = problems.items.get(index) ?? {};
    item[field] = item[field] ? `${item[field]}; ${message}` : message;
    problems.items.set(index, item);
  }
  return problems;
}

/** The message for a field of an item, or for anything under it (`groups` also takes `groups.0`). */
export function problemAt(item: Record<string, string> | undefined, field: string): string | undefined {
  if (!item) return undefined;
  const found = Object.entries(item).filter(([path]) => path === field || path.startsWith(`${field}.`));
  return found.length ? found.map(([, m]) => m).join('; ') : undefined;
}
