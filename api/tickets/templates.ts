// What intake asks for (SPEC §4), readable by anyone who may open a ticket: each problem type's template (the
// facts it needs, which of them are required, of what type) and the product lines the desk routes. Admins edit
// templates through /admin/templates; this is the read a portal form is built from.
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';
import { intakeCatalogue, type IntakeCatalogue } from './template-schemas';

export function templateRoutes({ deskConfig }: ApiDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/templates',
      summary: 'The intake templates (problem types and the facts each needs) and the product lines, to build an intake form',
      tags: ['tickets'],
      roles: ['requester', 'agent', 'supervisor', 'admin'],
      responses: { 200: { description: 'The templates and product lines', schema: intakeCatalogue } },
      async handle() {
        const [templates, rules, policies] = await Promise.all([deskConfig.templates(), deskConfig.routingRules(), deskConfig.slaPolicies()]);
        const productLines = new Set<string>();
        for (const rule of rules) for (const line of rule.match.productLines ?? []) productLines.add(line);
        for (const policy of policies) if (policy.productLine) productLines.add(policy.productLine);
        const body: IntakeCatalogue = {
          // An allow-list, like every other answer a requester gets.
          items: templates.map((t) => ({
            problemType: t.problemType,
            name: t.name,
            description: t.description,
            fields: t.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, required: f.required, ...(f.options ? { options: [...f.options] } : {}) })),
            ...(t.defaultImpact ? { defaultImpact: t.defaultImpact } : {}),
            ...(t.defaultUrgency ? { defaultUrgency: t.defaultUrgency } : {}),
          })),
          productLines: [...productLines].sort(),
        };
        return { status: 200, body };
      },
    }),
  ];
}
