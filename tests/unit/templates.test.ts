import type { Template } from '../../domain/desk';
import { checkFields } from '../../domain/templates';
import { demoTemplates } from '../../stack/demo-desk';

const incident = demoTemplates.find((t) => t.problemType === 'incident')!;
const access = demoTemplates.find((t) => t.problemType === 'access_request')!;

describe('intake templates', () => {
  it('accepts complete facts', () => {
    expect(checkFields(incident, { symptom: 'Error 502', occurredAt: '2026-11-25', usersAffected: 40 })).toEqual([]);
  });

  it('reports every missing required fact, field by field', () => {
    expect(checkFields(incident, {})).toEqual([
      { path: 'fields.symptom', message: 'What you see is required for Incident' },
      { path: 'fields.occurredAt', message: 'When it started is required for Incident' },
    ]);
  });

  it('checks types, dates, enums and unknown fields', () => {
    const problems = checkFields(access, { system: 'ERP', accessLevel: 'root', justification: 7, extra: 'x' });
    expect(problems.map((p) => p.path)).toEqual(['fields.accessLevel', 'fields.justification', 'fields.extra']);
    expect(problems[0]!.message).toMatch(/one of: read, write, admin/);
    expect(checkFields(incident, { symptom: 'x', occurredAt: 'yesterday' })[0]).toMatchObject({ path: 'fields.occurredAt' });
    expect(checkFields(incident, { symptom: 'x', occurredAt: '2026-11-25', usersAffected: 'many' })[0]).toMatchObject({ path: 'fields.usersAffected' });
  });

  it('treats an empty string as missing', () => {
    const t: Template = { problemType: 'q', name: 'Q', description: '', fields: [{ key: 'k', label: 'K', type: 'string', required: true }] };
    expect(checkFields(t, { k: '' })).toHaveLength(1);
  });
});
