import { loadConfig, parseDuration } from '../../platform/config';

describe('runtime settings', () => {
  it('keeps the SDK defaults for worker tuning that is not set', () => {
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: 500, workflowTaskPollers: undefined, activityTaskPollers: undefined, maxConcurrentActivities: undefined });
  });

  it('reads worker cache size, pollers and activity slots', () => {
    const { worker } = loadConfig({ WORKER_CACHED_WORKFLOWS: '2000', WORKER_WORKFLOW_POLLERS: '4', WORKER_ACTIVITY_POLLERS: '3', WORKER_ACTIVITY_SLOTS: '50' });
    expect(worker).toEqual({ maxCachedWorkflows: 2000, workflowTaskPollers: 4, activityTaskPollers: 3, maxConcurrentActivities: 50 });
  });

  it.each([['WORKER_CACHED_WORKFLOWS', '-1'], ['WORKER_WORKFLOW_POLLERS', 'many'], ['WORKER_ACTIVITY_SLOTS', '1.5']])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('parses durations and names the variable of a bad one', () => {
    expect(parseDuration('3d', 'X')).toBe(3 * 86_400_000);
    expect(parseDuration('90s', 'X')).toBe(90_000);
    expect(parseDuration('15min', 'X')).toBe(900_000);
    expect(() => loadConfig({ CONFIRMATION_WINDOW: 'soon' })).toThrow('CONFIRMATION_WINDOW');
  });
});
