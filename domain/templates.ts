// Intake templates (SPEC §4): each problem type names the facts it needs; missing or malformed ones are
// reported field by field so the requester can fix them all at once.
import type { Template } from './desk';
import type { FieldValue } from './ticket';

export interface FieldProblem {
  path: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

export function checkFields(template: Template, fields: Record<string, FieldValue>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = new Set(template.fields.map((f) => f.key));
  for (const field of template.fields) {
    const value = fields[field.key];
    const path = `fields.${field.key}`;
    if (value === undefined || value === '') {
      if (field.required) problems.push({ path, message: `${field.label} is required for ${template.name}` });
      continue;
    }
    const problem = typeProblem(field.type, value, field.options);
    if (problem) problems.push({ path, message: `${field.label} ${problem}` });
  }
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) problems.push({ path: `fields.${key}`, message: `is not a field of ${template.name} (known: ${[...known].join(', ') || 'none'})` });
  }
  return problems;
}

function typeProblem(type: Template['fields'][number]['type'], value: FieldValue, options: string[] = []): string | null {
  switch (type) {
    case 'string':
    case 'text':
      return typeof value === 'string' ? null : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be a date (YYYY-MM-DD)';
    case 'enum':
      return typeof value === 'string' && options.includes(value) ? null : `must be one of: ${options.join(', ')}`;
  }
}
