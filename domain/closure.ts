// The closing loop's rules (SPEC §12): which tickets owe a post-incident review, and how long a business day is.
import type { BusinessCalendar } from './sla/calendar';
import type { SlaSnapshot } from './sla/policy';
import { illegal } from './errors';
import type { Closure, Ticket } from './ticket';

const DAY = 86_400_000;
const MINUTES = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** P0 and P1 tickets, and any ticket that breached its SLA, get a post-incident review. */
export const needsReview = (ticket: Pick<Ticket, 'priority' | 'sla'>) =>
  ticket.priority === 'P0' || ticket.priority === 'P1' || ticket.sla.responseBreached || ticket.sla.resolutionBreached;

/** The business calendar the desk works by for this ticket (the one its lower priorities count on), if any. */
export function workingCalendar(sla: SlaSnapshot | null): BusinessCalendar | null {
  if (!sla) return null;
  for (const priority of ['P3', 'P2', 'P1', 'P0'] as const) {
    const id = sla.policy.targets[priority].calendarId;
    if (id && sla.calendars[id]) return sla.calendars[id]!;
  }
  return null;
}

/** The open survey, or why a rating cannot be taken now. */
export function openSurvey(ticket: Pick<Ticket, 'closure'>): NonNullable<Closure['survey']> {
  const survey = ticket.closure.survey;
  if (!survey) throw illegal('the survey opens when the ticket closes');
  if (survey.status !== 'open') throw illegal(survey.status === 'answered' ? 'the survey was already answered' : 'the survey window has closed');
  return survey;
}

/** The review still to file, or why none can be filed now. */
export function openReview(ticket: Pick<Ticket, 'closure' | 'status'>): NonNullable<Closure['review']> {
  const review = ticket.closure.review;
  if (!review) throw illegal(ticket.status === 'closed' ? 'this ticket needs no post-incident review' : 'a review is filed once the ticket closes');
  if (review.status === 'filed') throw illegal('the review was already filed');
  if (review.status === 'overdue') throw illegal(`the review window closed at ${review.dueAt}`);
  return review;
}

/** One business day in business time: the calendar's weekly hours over its working days (24 h around the clock). */
export function businessDayMs(calendar: BusinessCalendar | null): number {
  if (!calendar) return DAY;
  const days = new Set(calendar.weeklyHours.map((h) => h.day));
  const minutes = calendar.weeklyHours.reduce((sum, h) => sum + (h.end === '24:00' ? 24 * 60 : MINUTES(h.end)) - MINUTES(h.start), 0);
  return days.size ? Math.round((minutes / days.size) * 60_000) : DAY;
}
