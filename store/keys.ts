// The wrapped payload keys (platform/payload-keys.ts) in MongoDB: one document per owner in `payload_keys`, keyed
// by the owner (`ticket:<id>` or `desk`), so every lookup is by _id and destroying a ticket's keys is one delete.
import { randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { KeySet, KeyVault, PayloadKeyring, WrappedKey } from '../platform/payload-keys';
import { isStoreUnavailable } from './failures';
import { isDuplicateKey } from './insert-once';

interface KeySetDocument {
  _id: string;
  current: number;
  keys: WrappedKey[];
}

export const PAYLOAD_KEYS_COLLECTION = 'payload_keys';

export class PayloadKeyStore implements KeyVault {
  private readonly collection: Collection<KeySetDocument>;

  constructor(db: Db) {
    this.collection = db.collection<KeySetDocument>(PAYLOAD_KEYS_COLLECTION);
  }

  async find(owner: string): Promise<KeySet | null> {
    const doc = await patiently(() => this.collection.findOne({ _id: owner }));
    return doc && setOf(doc);
  }

  async findOrCreate(first: KeySet): Promise<KeySet> {
    try {
      // Asked for an owner this process has not seen: nearly always a new ticket, so one insert is the whole cost.
      await patiently(() => this.collection.insertOne({ _id: first.owner, current: first.current, keys: first.keys }));
      return first;
    } catch (err) {
      // It has keys already (made by another process, or before a restart): those are the ticket's.
      if (!isDuplicateKey(err)) throw err;
    }
    const stored = await this.find(first.owner);
    if (!stored) throw new Error(`the payload key of ${first.owner} was neither created nor found`);
    return stored;
  }

  /** Every owner's keys, for re-wrapping them under a new master key. */
  async *all(): AsyncIterable<KeySet> {
    for await (const doc of this.collection.find()) yield setOf(doc);
  }

  /** Puts a set back with its keys re-wrapped, unless a key was added meanwhile (then the next pass takes it). */
  async replaceKeys(before: KeySet, keys: WrappedKey[]): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: before.owner, current: before.current }, { $set: { keys } });
    return result.modifiedCount === 1;
  }

  /** A new current key for the owner (older ones stay, to read older payloads), unless another rotation won. */
  async addKey(before: KeySet, key: WrappedKey): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: before.owner, current: before.current }, { $push: { keys: key }, $set: { current: key.version } });
    return result.modifiedCount === 1;
  }

  /**
   * After the master key rotated (the new one in PAYLOAD_MASTER_KEY, the old in PAYLOAD_MASTER_KEYS_PREVIOUS): every
   * data key wrapped by another master key is wrapped again by the current one. Payloads are untouched (their data
   * keys stay the same); once it reports nothing left, the old master key can go. Returns how many sets it re-wrapped.
   */
  async rewrap(keyring: PayloadKeyring): Promise<{ rewrapped: number; left: number }> {
    let rewrapped = 0;
    let left = 0;
    const current = keyring.master.current.id;
    for await (const set of this.all()) {
      if (set.keys.every((k) => k.masterKeyId === current)) continue;
      const keys = set.keys.map((k) => (k.masterKeyId === current ? k : { ...keyring.wrap(set.owner, k.version, keyring.unwrap(set.owner, k)), createdAt: k.createdAt }));
      if (await this.replaceKeys(set, keys)) rewrapped++;
      else left++;
    }
    return { rewrapped, left };
  }

  /** A new data key for the owner's payloads from now on; older payloads keep decoding with the older versions. */
  async rotate(keyring: PayloadKeyring, owner: string): Promise<number | null> {
    const set = await this.find(owner);
    if (!set) return null;
    const version = Math.max(...set.keys.map((k) => k.version)) + 1;
    if (!(await this.addKey(set, keyring.wrap(owner, version, randomBytes(32))))) return null;
    keyring.forget(owner);
    return version;
  }

  /**
   * Crypto-shredding: without these keys the owner's payloads in Temporal's histories can never be decrypted. The
   * document stays as a tombstone without key material, so a later encode for the owner finds no key (and fails)
   * instead of making a fresh one under the same id. Idempotent; answers whether keys were there to destroy.
   */
  async destroy(owner: string): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: owner }, { $set: { current: 0, keys: [] } }, { upsert: true });
    return result.modifiedCount === 1;
  }
}

// A destroyed set (a tombstone) may come back without its empty list.
const setOf = (doc: KeySetDocument): KeySet => ({ owner: doc._id, current: doc.current, keys: doc.keys ?? [] });

/**
 * A store restarting (PostgreSQL, FerretDB: a second or two) is waited out here, up to 10 s: a worker whose codec
 * cannot read a key fails the workflow task, and Temporal's retry of it comes later than the store does.
 */
async function patiently<T>(operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
    try {
      return await operation();
    } catch (err) {
      if (!isStoreUnavailable(err) || Date.now() + wait > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
