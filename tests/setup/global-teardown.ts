// Stops the servers the global setup started and removes their data, once however many projects ran.
import { rmSync, type WriteStream } from 'node:fs';
import type { RunningStack } from '../../stack/stack';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __testStack?: { stack: RunningStack; log: WriteStream; dir: string } }).__testStack;
  if (!state) return;
  delete (globalThis as { __testStack?: unknown }).__testStack;
  await state.stack.stop();
  state.log.end();
  if (!process.env.KEEP_TEST_DATA) rmSync(state.dir, { recursive: true, force: true });
}
