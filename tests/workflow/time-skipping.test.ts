// The time-skipping test server prepared by the global setup (SPEC §18) really skips time.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServers } from '../helpers/desk';

describe('time-skipping test server', () => {
  it('starts from the prepared wrapper and skips a day in well under a minute', async () => {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().timeSkippingServer } },
    });
    try {
      const before = await env.currentTimeMs();
      const wallStart = Date.now();
      await env.sleep('1 day');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 3600 * 1000);
      expect(Date.now() - wallStart).toBeLessThan(30_000);
    } finally {
      await env.teardown();
    }
  });
});
