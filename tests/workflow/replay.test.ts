// Replay safety: histories recorded from real runs of the main lifecycles (tests/replay/histories, made by
// `npm run record-histories`) must replay with the current workflow code. A change that would break the
// tickets already running fails here; such a change needs patching (see README, "Replay safety").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { testServers } from '../helpers/desk';

const dir = path.join(__dirname, '..', 'replay', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

it('has recorded histories of the main lifecycle variants', () => {
  expect(files).toEqual(['happy-path-p1.json', 'reject-then-auto-close.json', 'self-service.json', 'sla-breach.json', 'triage-escalate-cancel.json']);
});

it.each(files)('replays %s with the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  await expect(Worker.runReplayHistory({ workflowBundle: { codePath: testServers().workflowBundle } }, history, `replay-${file}`)).resolves.toBeUndefined();
});
