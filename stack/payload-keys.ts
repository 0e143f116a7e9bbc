// `npm run payload-keys -- rewrap`: after rotating the master key (the new one in PAYLOAD_MASTER_KEY, the old one in
// PAYLOAD_MASTER_KEYS_PREVIOUS), wraps every data key again with the new one; then the old one can be dropped.
// `npm run payload-keys -- rotate --ticket <id>` (or `--desk`): a new data key for that ticket's payloads from now on.
// Against MONGODB_URI; under `npm start` its development master key (.data/payload-master-key) is used when none is set.
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config';
import { connectDatabase } from '../platform/mongo';
import { masterKeysFrom } from '../platform/payload-codec';
import { DESK_OWNER, PayloadKeyring, ticketOwner } from '../platform/payload-keys';
import { PayloadKeyStore } from '../store/keys';
import { keptPayloadMasterKey } from './settings';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { ticket: { type: 'string' }, desk: { type: 'boolean' } } });

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PAYLOAD_MASTER_KEY: process.env.PAYLOAD_MASTER_KEY || keptPayloadMasterKey() });
  const master = masterKeysFrom(config);
  if (!master) throw new Error('payload encryption is off (PAYLOAD_ENCRYPTION=off): there are no keys to manage');
  const db = await connectDatabase(config.mongodbUri);
  try {
    const store = new PayloadKeyStore(db.connection.db!);
    const keyring = new PayloadKeyring(master, store);
    const [command] = positionals;
    if (command === 'rewrap') {
      const { rewrapped, left } = await store.rewrap(keyring);
      console.log(`re-wrapped the keys of ${rewrapped} owners under master key ${master.current.id}${left ? `; ${left} changed meanwhile: run it again` : '; none is left under an older master key'}`);
    } else if (command === 'rotate' && (values.ticket || values.desk)) {
      const owner = values.desk ? DESK_OWNER : ticketOwner(values.ticket!);
      const version = await store.rotate(keyring, owner);
      console.log(version ? `${owner}: new payloads use key version ${version} (running processes take it within 5 minutes)` : `${owner} has no key yet, or another rotation won: nothing done`);
    } else {
      throw new Error('usage: npm run payload-keys -- rewrap | rotate --ticket <id> | rotate --desk');
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`payload-keys: ${(err as Error).message}`);
  process.exit(1);
});
