// Impact × urgency → priority (SPEC §5), ITIL style. The matrix is data: edit the table, not the code.
import type { Impact, Priority, Urgency } from './ticket';

export const PRIORITY_MATRIX: Readonly<Record<Impact, Readonly<Record<Urgency, Priority>>>> = {
  //            critical     high         medium       low
  extensive: { critical: 'P0', high: 'P0', medium: 'P1', low: 'P2' },
  significant: { critical: 'P0', high: 'P1', medium: 'P2', low: 'P3' },
  moderate: { critical: 'P1', high: 'P2', medium: 'P2', low: 'P3' },
  minor: { critical: 'P2', high: 'P3', medium: 'P3', low: 'P3' },
};

/** Used when the requester does not say; a template may set its own defaults. */
export const DEFAULT_IMPACT: Impact = 'moderate';
export const DEFAULT_URGENCY: Urgency = 'medium';

export function priorityOf(impact: Impact, urgency: Urgency): Priority {
  return PRIORITY_MATRIX[impact][urgency];
}
