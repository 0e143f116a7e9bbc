// The desk's configuration as admins edit it (SPEC §14): whole lists, validated item by item.
import { z } from 'zod';
import { CHANNELS, IMPACTS, PRIORITIES, URGENCIES } from '../../domain/ticket';

const id = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, 'must be letters, digits, _ . - (up to 63)');
const name = z.string().trim().min(1).max(200);
const words = z.array(z.string().trim().min(1).max(100)).max(100);

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
  target: z.string().trim().min(1).max(63).describe("a group id, or 'manual' for supervisor triage"),
  skills: words.default([]),
});

const templateField = z
  .strictObject({
    key: z.string().trim().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'must be an identifier'),
    label: name,
    type: z.enum(['string', 'text', 'number', 'boolean', 'date', 'enum']),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
  })
  .refine((f) => f.type !== 'enum' || (f.options?.length ?? 0) > 0, { message: 'an enum field needs options', path: ['options'] });

export const templateSchema = z.strictObject({
  problemType: id,
  name,
  description: z.string().max(2000).default(''),
  fields: z.array(templateField).max(50),
  defaultImpact: z.enum(IMPACTS).optional(),
  defaultUrgency: z.enum(URGENCIES).optional(),
});

export const groupList = z.array(groupSchema).max(500);
export const agentList = z.array(agentSchema).max(5000);
export const routingRuleList = z.array(routingRuleSchema).max(500);
export const templateList = z.array(templateSchema).max(200);
