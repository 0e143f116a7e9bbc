// The activity of the baselines: does nothing, so only Temporal's own cost is measured.
export const baselineActivities = {
  async noop(): Promise<void> {},
};
export type BaselineActivities = typeof baselineActivities;
