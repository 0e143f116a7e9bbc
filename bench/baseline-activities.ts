// The activities of the baselines: they do nothing, so only Temporal's own cost is measured.
export const baselineActivities = {
  async noop(): Promise<void> {},
  /** When it ran (epoch ms): the timer burst's baseline measures how fast woken workflows get through. */
  async now(): Promise<number> {
    return Date.now();
  },
};
export type BaselineActivities = typeof baselineActivities;
