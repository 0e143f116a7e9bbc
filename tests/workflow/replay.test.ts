// Replay safety: histories recorded from real runs of the main lifecycles must replay with the current workflow
// code. A change that would break the tickets already running fails here; such a change needs patching (see
// README, "Replay safety"). `npm run record-histories` records them encrypted, as production writes them, into
// tests/replay/encrypted/ with their keys; tests/replay/histories/ holds those recorded before payload encryption,
// which the same data converter passes through.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { ENCRYPTED_ENCODING } from '../../platform/payload-codec';
import { ENCRYPTED_DIR, KEYS_FILE, replayDataConverter } from '../replay/keys';
import { testServers } from '../helpers/desk';

const VARIANTS = ['happy-path-p1.json', 'reject-then-auto-close.json', 'self-service.json', 'sla-breach.json', 'triage-escalate-cancel.json'];
const plainDir = path.join(__dirname, '..', 'replay', 'histories');
const historiesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json') && path.join(dir, f) !== KEYS_FILE).sort();
const cases = [...historiesIn(plainDir).map((f) => ['histories', f, path.join(plainDir, f)]), ...historiesIn(ENCRYPTED_DIR).map((f) => ['encrypted', f, path.join(ENCRYPTED_DIR, f)])];

it('has recorded histories of the main lifecycle variants, from before payload encryption and encrypted', () => {
  expect(historiesIn(plainDir)).toEqual(VARIANTS);
  expect(historiesIn(ENCRYPTED_DIR)).toEqual(VARIANTS);
});

it('has the encrypted recordings encrypted, and the earlier ones not', () => {
  const encodings = (file: string) => [...readFileSync(file, 'utf8').matchAll(/"encoding":\s*"([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString());
  for (const [dir, name, file] of cases) expect([dir, name, encodings(file!).includes(ENCRYPTED_ENCODING)]).toEqual([dir, name, dir === 'encrypted']);
});

it.each(cases)('replays %s/%s with the current workflow code', async (_dir, _name, file) => {
  const history = JSON.parse(readFileSync(file!, 'utf8'));
  const options = { workflowBundle: { codePath: testServers().workflowBundle }, dataConverter: replayDataConverter() };
  await expect(Worker.runReplayHistory(options, history, `replay-${path.basename(file!)}`)).resolves.toBeUndefined();
});
