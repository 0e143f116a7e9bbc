// Admin configuration (SPEC §14, §16): GET and PUT whole lists of groups, agents, routing rules, templates,
// calendars, SLA policies and canned replies.
// A PUT replaces the list; inconsistent references are refused (422) naming the item.
import type { z } from 'zod';
import { checkAgents, checkCalendars, checkCannedReplies, checkGroups, checkMailboxes, checkRoutingRules, checkSlaPolicies, checkTemplates, type ConfigProblem } from '../../domain/desk-checks';
import type { ApiDeps } from '../deps';
import { badRequest, unprocessable } from '../http/problem';
import { defineRoute, type Route } from '../http/routes';
import { agentList, calendarList, cannedReplyList, groupList, mailboxList, routingRuleList, slaPolicyList, templateList } from './schemas';

interface ListSpec<T> {
  path: string;
  what: string;
  schema: z.ZodType<T[]>;
  read(): Promise<T[]>;
  check(items: T[]): Promise<ConfigProblem[]>;
  /** Problems with an item on its own (a calendar's zone or hours) are bad input (400), not a conflict. */
  validate?(items: T[]): ConfigProblem[];
  replace(items: T[]): Promise<void>;
}

function configList<T>(spec: ListSpec<T>): Route[] {
  const common = { path: `/admin/${spec.path}`, tags: ['admin'], roles: ['admin'] as const };
  return [
    defineRoute({
      ...common,
      method: 'get',
      summary: `The ${spec.what}`,
      responses: { 200: { description: `All ${spec.what}`, schema: spec.schema } },
      handle: async () => ({ status: 200, body: await spec.read() }),
    }),
    defineRoute<T[]>({
      ...common,
      method: 'put',
      summary: `Replace the ${spec.what}`,
      body: spec.schema,
      responses: { 200: { description: `The ${spec.what} now`, schema: spec.schema }, 422: { description: 'A reference points nowhere, an id repeats, or something still uses what would be removed' } },
      async handle({ body }) {
        const invalid = spec.validate?.(body) ?? [];
        if (invalid.length) throw badRequest(`the ${spec.what} are not valid: ${invalid.map((p) => `${p.path} ${p.message}`).join('; ')}`, invalid.map((p) => ({ path: `body.${p.path}`, message: p.message })));
        const problems = await spec.check(body);
        if (problems.length) throw unprocessable(`the ${spec.what} are inconsistent: ${problems.map((p) => p.message).join('; ')}`, problems.map((p) => ({ path: `body${p.path ? `.${p.path}` : ''}`, message: p.message })));
        await spec.replace(body);
        return { status: 200, body: await spec.read() };
      },
    }),
  ];
}

export function adminRoutes({ deskConfig: desk }: ApiDeps): Route[] {
  return [
    ...configList({
      path: 'groups',
      what: 'groups',
      schema: groupList,
      read: () => desk.groups(),
      check: async (groups) => checkGroups(groups, { agents: await desk.agents(), rules: await desk.routingRules(), replies: await desk.cannedReplies() }),
      replace: (groups) => desk.replaceGroups(groups),
    }),
    ...configList({
      path: 'agents',
      what: 'agents',
      schema: agentList,
      read: () => desk.agents(),
      check: async (agents) => checkAgents(agents, await desk.groups()),
      replace: (agents) => desk.replaceAgents(agents),
    }),
    ...configList({
      path: 'routing-rules',
      what: 'routing rules',
      schema: routingRuleList,
      read: () => desk.routingRules(),
      check: async (rules) => checkRoutingRules(rules, await desk.groups()),
      replace: (rules) => desk.replaceRoutingRules(rules),
    }),
    ...configList({
      path: 'calendars',
      what: 'calendars',
      schema: calendarList,
      read: () => desk.calendars(),
      validate: (calendars) => checkCalendars(calendars, []),
      check: async (calendars) => checkCalendars(calendars, await desk.slaPolicies()),
      replace: (calendars) => desk.replaceCalendars(calendars),
    }),
    ...configList({
      path: 'sla-policies',
      what: 'SLA policies',
      schema: slaPolicyList,
      read: () => desk.slaPolicies(),
      check: async (policies) => checkSlaPolicies(policies, await desk.calendars(), await desk.groups()),
      replace: (policies) => desk.replaceSlaPolicies(policies),
    }),
    ...configList({
      path: 'templates',
      what: 'templates',
      schema: templateList,
      read: () => desk.templates(),
      check: async (templates) => checkTemplates(templates),
      replace: (templates) => desk.replaceTemplates(templates),
    }),
    ...configList({
      path: 'mailboxes',
      what: 'mailboxes',
      schema: mailboxList,
      read: () => desk.mailboxes(),
      check: async (mailboxes) => checkMailboxes(mailboxes, await desk.templates()),
      replace: (mailboxes) => desk.replaceMailboxes(mailboxes),
    }),
    ...configList({
      path: 'canned-replies',
      what: 'canned replies',
      schema: cannedReplyList,
      read: () => desk.cannedReplies(),
      check: async (replies) => checkCannedReplies(replies, await desk.groups()),
      replace: (replies) => desk.replaceCannedReplies(replies),
    }),
  ];
}
