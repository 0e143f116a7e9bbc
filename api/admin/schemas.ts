// The desk's configuration as admins edit it (SPEC §14): whole lists, validated item by item.
import { z } from 'zod';
import { CHANNELS, IMPACTS, PRIORITIES, URGENCIES } from '../../domain/ticket';
import { anyText, fieldKey, text } from '../http/text';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const id = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, 'must be letters, digits, _ . - (up to 63)');
const name = text(200);
const words = z.array(text(100)).max(100);

export const groupSchema = z.strictObject({
  id,
  name,
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  escalationTarget: id.nullable().default(null),
});

export const agentSchema = z.strictObject({
  id,
  name,
  email: z.email().max(320).optional(),
  groups: z.array(id).min(1).max(20),
  skills: words.default([]),
  available: z.boolean().default(true),
});

export const routingRuleSchema = z.strictObject({
  id,
  name,
  match: z
    .strictObject({
      productLines: words.optional(),
      modules: words.optional(),
      problemTypes: words.optional(),
      channels: z.array(z.enum(CHANNELS)).optional(),
      priorities: z.array(z.enum(PRIORITIES)).optional(),
      keywords: words.optional(),
    })
    .default({}),
  target: id.describe("a group id, or 'manual' for supervisor triage"),
  skills: words.default([]),
});

const templateField = z
  .strictObject({
    key: fieldKey,
    label: name,
    type: z.enum(['string', 'text', 'number', 'boolean', 'date', 'enum']),
    required: z.boolean().default(false),
    options: z.array(text(100)).min(1).max(100).optional(),
  })
  .refine((f) => f.type !== 'enum' || (f.options?.length ?? 0) > 0, { message: 'an enum field needs options', path: ['options'] });

export const templateSchema = z.strictObject({
  problemType: id,
  name,
  description: anyText(2000).default(''),
  fields: z.array(templateField).max(50),
  defaultImpact: z.enum(IMPACTS).optional(),
  defaultUrgency: z.enum(URGENCIES).optional(),
});

export const groupList = z.array(groupSchema).max(500);
export const agentList = z.array(agentSchema).max(5000);
export const routingRuleList = z.array(routingRuleSchema).max(500);
export const templateList = z.array(templateSchema).max(200);

export const calendarSchema = z.strictObject({
  id,
  name,
  timeZone: text(100).describe('IANA time zone, e.g. Europe/Paris'),
  weeklyHours: z.array(z.strictObject({ day: z.enum(WEEKDAYS), start: text(5), end: text(5) })).max(70),
  holidays: z.array(text(10)).max(1000).default([]),
});

const duration = z.number().int().positive().max(366 * 24 * 3600 * 1000).describe('milliseconds');
const target = z.strictObject({ responseMs: duration, resolutionMs: duration, calendarId: id.nullable().default(null) });

export const slaPolicySchema = z.strictObject({
  id,
  name,
  productLine: text(100).nullable().describe('null for the default policy'),
  targets: z.strictObject({ P0: target, P1: target, P2: target, P3: target }),
  warnAtPercent: z.number().int().min(1).max(99).default(80),
  progressCadenceMs: z.strictObject({ P0: duration.optional(), P1: duration.optional(), P2: duration.optional(), P3: duration.optional() }).default({}),
  triage: z.strictObject({ targetMs: duration, escalateTo: id.nullable().default(null) }),
});

export const cannedReplySchema = z.strictObject({
  id,
  title: text(200),
  body: text(20_000).describe('the reply text, as the agent will send it (they may edit it first)'),
  group: id.nullable().describe('the group whose agents use it, or null for every group'),
});
export const cannedReplyList = z.array(cannedReplySchema).max(1000);

export const calendarList = z.array(calendarSchema).max(100);
export const slaPolicyList = z.array(slaPolicySchema).max(200);

export const mailboxSchema = z.strictObject({
  address: z.email().max(320).transform((a) => a.toLowerCase()).describe('an address the desk receives mail for'),
  name,
  productLine: text(100).describe('where new tickets from this address go'),
  problemType: id.describe('the template new tickets from this address use'),
});

export const mailboxList = z.array(mailboxSchema).max(200);
