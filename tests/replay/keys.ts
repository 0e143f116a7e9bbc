// The payload keys of the recorded encrypted histories (tests/replay/encrypted/), saved beside them by
// `npm run record-histories`, wrapped by a master key made for these recordings alone: they hold test data only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, ticketDataConverter } from '../../platform/payload-codec';
import { masterKeysOf, MemoryKeyVault, PayloadKeyring, type KeySet } from '../../platform/payload-keys';

export const REPLAY_MASTER_KEY = 'ec'.repeat(32);
export const ENCRYPTED_DIR = path.join(__dirname, 'encrypted');
export const KEYS_FILE = path.join(ENCRYPTED_DIR, 'payload-keys.json');

export function saveReplayKeys(sets: KeySet[]): void {
  writeFileSync(KEYS_FILE, `${JSON.stringify(sets, null, 2)}\n`);
}

/** What replay decodes with: the product's converter, its keys from the saved file (plain histories pass through). */
export function replayDataConverter(): DataConverter {
  const sets = existsSync(KEYS_FILE) ? (JSON.parse(readFileSync(KEYS_FILE, 'utf8')) as KeySet[]) : [];
  return ticketDataConverter(new EncryptionCodec(new PayloadKeyring(masterKeysOf(REPLAY_MASTER_KEY), new MemoryKeyVault(sets))));
}
