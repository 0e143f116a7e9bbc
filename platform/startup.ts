// What every process of the desk opens first, each step waited for while its server starts: MongoDB, then the
// payload codec whose keys live there (warmed, so the first payload does not wait on a key lookup).
import type { Config } from './config';
import { whenAvailable } from './lifecycle';
import type { Logger } from './logger';
import { connectDatabase, type Database } from './mongo';
import { payloadCodec, warmPayloadKeys, type EncryptionCodec } from './payload-codec';
import type { MasterKeys } from './payload-keys';

export async function openStoreAndCodec(config: Config, logger: Logger, master: MasterKeys | null): Promise<{ db: Database; codec: EncryptionCodec | null }> {
  const db = await whenAvailable('MongoDB', () => connectDatabase(config.mongodbUri), logger);
  const codec = payloadCodec(master, db.connection.db!);
  await whenAvailable('MongoDB (payload keys)', () => warmPayloadKeys(codec), logger);
  return { db, codec };
}
