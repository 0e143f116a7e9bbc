import fc from 'fast-check';
import { DEFAULT_IMPACT, DEFAULT_URGENCY, PRIORITY_MATRIX, priorityOf } from '../../domain/priority';
import { IMPACTS, PRIORITIES, URGENCIES } from '../../domain/ticket';

describe('priority matrix (impact × urgency)', () => {
  it('covers every combination with a known priority', () => {
    for (const impact of IMPACTS) for (const urgency of URGENCIES) expect(PRIORITIES).toContain(priorityOf(impact, urgency));
  });

  it('puts the extremes where a support desk expects them', () => {
    expect(priorityOf('extensive', 'critical')).toBe('P0');
    expect(priorityOf('minor', 'low')).toBe('P3');
    expect(priorityOf(DEFAULT_IMPACT, DEFAULT_URGENCY)).toBe('P2');
  });

  it('never lowers the priority when impact or urgency grows', () => {
    const rank = (p: string) => PRIORITIES.indexOf(p as never);
    const index = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(index, index, index, index, (i1, u1, i2, u2) => {
        fc.pre(i1 <= i2 && u1 <= u2); // lower index = more impact / more urgency
        const stronger = priorityOf(IMPACTS[i1]!, URGENCIES[u1]!);
        const weaker = priorityOf(IMPACTS[i2]!, URGENCIES[u2]!);
        expect(rank(stronger)).toBeLessThanOrEqual(rank(weaker));
      }),
    );
  });

  it('is symmetric enough that no single axis alone makes a P0 out of minor impact', () => {
    for (const urgency of URGENCIES) expect(PRIORITY_MATRIX.minor[urgency]).not.toBe('P0');
  });
});
