// Turning what a channel received into a ticket intake: the template's facts are checked here, before any
// workflow starts, so bad input never leaves a half-written ticket.
import type { Template } from '../../domain/desk';
import { checkFields, type FieldProblem } from '../../domain/templates';
import type { Person, TicketIntake } from '../../domain/ticket';
import type { DeskConfigStore } from '../../store/desk-config';
import { badRequest } from '../http/problem';

export type IntakeDraft = Omit<TicketIntake, 'requester'> & { requester: Person };

/** Loads the template of the problem type; unknown problem types are bad input naming the field. */
export async function templateFor(config: DeskConfigStore, problemType: string): Promise<Template> {
  const template = await config.template(problemType);
  if (template) return template;
  const known = (await config.templates()).map((t) => t.problemType);
  throw badRequest(`unknown problem type "${problemType}"`, [{ path: 'body.problemType', message: `must be one of: ${known.join(', ') || '(no templates configured)'}` }]);
}

/** Applies the template's defaults and returns the facts it is missing. */
export function applyTemplate(draft: IntakeDraft, template: Template): { intake: TicketIntake; problems: FieldProblem[] } {
  const intake: TicketIntake = {
    ...draft,
    impact: draft.impact ?? template.defaultImpact,
    urgency: draft.urgency ?? template.defaultUrgency,
    requester: { ...draft.requester, ...(draft.requester.email ? { email: draft.requester.email.toLowerCase() } : {}) },
  };
  if (intake.impact === undefined) delete intake.impact;
  if (intake.urgency === undefined) delete intake.urgency;
  return { intake, problems: checkFields(template, draft.fields) };
}

export function rejectProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) {
    throw badRequest(`the ticket is missing facts its template needs: ${problems.map((p) => p.path).join(', ')}`, problems.map((p) => ({ path: `body.${p.path}`, message: p.message })));
  }
}
