// The shape of GET /templates: what intake asks for, as a portal builds its form from it. Kept apart from the
// route so the browser console (web/) can import the types without the server's dependencies.
import { z } from 'zod';
import { IMPACTS, URGENCIES } from '../../domain/ticket';

export const intakeField = z.object({
  key: z.string().describe('the key under `fields` in POST /tickets; errors name it as body.fields.<key>'),
  label: z.string(),
  type: z.enum(['string', 'text', 'number', 'boolean', 'date', 'enum']),
  required: z.boolean(),
  options: z.array(z.string()).optional().describe('the allowed values of an enum field'),
});

export const intakeTemplate = z.object({
  problemType: z.string(),
  name: z.string(),
  description: z.string(),
  fields: z.array(intakeField),
  defaultImpact: z.enum(IMPACTS).optional(),
  defaultUrgency: z.enum(URGENCIES).optional(),
});

export const intakeCatalogue = z.object({
  items: z.array(intakeTemplate),
  productLines: z.array(z.string()).describe('product lines the desk routes or has an SLA policy for, sorted'),
});

export type IntakeField = z.infer<typeof intakeField>;
export type IntakeTemplate = z.infer<typeof intakeTemplate>;
export type IntakeCatalogue = z.infer<typeof intakeCatalogue>;
