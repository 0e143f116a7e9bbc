// The keys that encrypt workflow payloads (README, "Privacy"): one data key per ticket (and one desk-wide key for
// payloads that belong to no ticket), each stored wrapped (AES-256-GCM) by a master key from configuration. A key
// id names the owner and a version, so keys rotate; destroying a ticket's keys makes its history unreadable for
// good (crypto-shredding). Unwrapped keys are cached in memory, bounded in number and in time.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A key of the desk's master keyring: its id (a fingerprint, safe to show) and its 32 bytes. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The master key new data keys are wrapped with, and every master key that may still unwrap an older one. */
export interface MasterKeys {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

/** A data key as stored: encrypted by a master key, never in the clear. */
export interface WrappedKey {
  version: number;
  masterKeyId: string;
  /** base64 of IV (12 bytes) | ciphertext | GCM tag (16 bytes); the key id is the additional authenticated data. */
  wrapped: string;
  createdAt: string;
}

/** Every key of one owner (a ticket, or the desk): the one new payloads use, and older ones kept to read old payloads. */
export interface KeySet {
  owner: string;
  current: number;
  keys: WrappedKey[];
}

/** Where wrapped keys live: MongoDB for the product (store/keys.ts), memory for replaying recorded histories. */
export interface KeyVault {
  find(owner: string): Promise<KeySet | null>;
  /** The owner's keys; when it has none yet, `first` is stored and returned. */
  findOrCreate(first: KeySet): Promise<KeySet>;
}

export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

/** "ticket:7K2XQ9MPA4/1" → owner "ticket:7K2XQ9MPA4", version 1. */
export const keyIdOf = (owner: string, version: number) => `${owner}/${version}`;

export function parseKeyId(keyId: string): { owner: string; version: number } | null {
  const slash = keyId.lastIndexOf('/');
  const version = Number(keyId.slice(slash + 1));
  if (slash <= 0 || !Number.isInteger(version) || version < 1) return null;
  return { owner: keyId.slice(0, slash), version };
}

/** Payloads of a ticket's workflow (`ticket-<id>`) use the ticket's key; anything else the desk-wide key. */
export const DESK_OWNER = 'desk';
export const ticketOwner = (ticketId: string) => `ticket:${ticketId}`;

/** 64 hex digits or base64 of 32 bytes (e.g. `openssl rand -hex 32`). */
export function parseMasterKey(text: string, name: string): MasterKey {
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : null;
  if (!key || key.length !== 32) throw new PayloadKeyError(`${name} must be 32 bytes written as 64 hex digits or in base64 (make one with: openssl rand -hex 32)`);
  // A fingerprint, not the key: it tells which master key wrapped a data key without revealing it.
  const id = createHmac('sha256', key).update('payload-master-key-id').digest('hex').slice(0, 16);
  return { id, key };
}

/** PAYLOAD_MASTER_KEY, and the retired ones of PAYLOAD_MASTER_KEYS_PREVIOUS (comma-separated) that still unwrap older keys. */
export function masterKeysOf(current: string, previous: readonly string[] = []): MasterKeys {
  const now = parseMasterKey(current, 'PAYLOAD_MASTER_KEY');
  const byId = new Map<string, MasterKey>([[now.id, now]]);
  for (const old of previous) {
    const key = parseMasterKey(old, 'PAYLOAD_MASTER_KEYS_PREVIOUS');
    if (!byId.has(key.id)) byId.set(key.id, key);
  }
  return { current: now, byId };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: IV | ciphertext | tag, with `aad` bound to it (a key id), so a blob cannot pass for another. */
export function seal(key: Buffer, plain: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('the encrypted data is too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}

/** A data key in the clear, held only in memory. */
export interface DataKey {
  id: string;
  key: Buffer;
  /** The master key that wraps it. */
  masterKeyId: string;
}

export interface KeyringOptions {
  /** Owners (tickets) whose keys stay in memory; the least recently used go first. */
  maxCached?: number;
  /** How long an owner's keys stay cached: bounds how long a destroyed or rotated key lives on in running processes. */
  cacheTtlMs?: number;
}

/** What a process holds of one owner's keys: the stored set (a promise, shared by concurrent lookups) and those unwrapped. */
interface Held {
  set: Promise<KeySet | null>;
  at: number;
  unwrapped: Map<number, DataKey>;
}

/** Hands out data keys: the current one of an owner (made on first use) and any one by its id, unwrapped and cached. */
export class PayloadKeyring {
  private readonly held = new Map<string, Held>();
  private readonly maxCached: number;
  private readonly ttlMs: number;

  constructor(
    readonly master: MasterKeys,
    private readonly vault: KeyVault,
    options: KeyringOptions = {},
  ) {
    this.maxCached = options.maxCached ?? 10_000;
    this.ttlMs = options.cacheTtlMs ?? 5 * 60_000;
  }

  /** The key new payloads of this owner are encrypted with; the owner's first use creates it. */
  async current(owner: string): Promise<DataKey> {
    const create = () => this.vault.findOrCreate({ owner, current: 1, keys: [this.wrap(owner, 1, randomBytes(32))] });
    let held = this.lookup(owner, create);
    let set = await held.set;
    // Held as missing (a lookup by id found none): this encode is the owner's first, so it makes the key.
    if (!set) set = await (held = this.load(owner, create)).set;
    if (!set) throw new PayloadKeyError(`no payload key could be made for ${owner}`);
    return this.dataKey(held, set, set.current);
  }

  /** The key a payload names; null when it no longer exists (destroyed with its ticket). */
  async byId(keyId: string): Promise<DataKey | null> {
    const parsed = parseKeyId(keyId);
    if (!parsed) throw new PayloadKeyError(`"${keyId}" is not a payload key id`);
    const held = this.lookup(parsed.owner, () => this.vault.find(parsed.owner));
    const set = await held.set;
    return set && set.keys.some((k) => k.version === parsed.version) ? this.dataKey(held, set, parsed.version) : null;
  }

  /** Drops what this process holds of an owner's keys (after they were rotated or destroyed here). */
  forget(owner: string): void {
    this.held.delete(owner);
  }

  /** A data key wrapped by the current master key, as the vault stores it. */
  wrap(owner: string, version: number, key: Buffer): WrappedKey {
    const id = keyIdOf(owner, version);
    return { version, masterKeyId: this.master.current.id, wrapped: seal(this.master.current.key, key, id).toString('base64'), createdAt: new Date().toISOString() };
  }

  /** A wrapped key in the clear, with whichever master key (current or previous) wrapped it. */
  unwrap(owner: string, stored: WrappedKey): Buffer {
    const id = keyIdOf(owner, stored.version);
    const master = this.master.byId.get(stored.masterKeyId);
    if (!master) throw new PayloadKeyError(`payload key ${id} is wrapped by master key ${stored.masterKeyId}, which is neither PAYLOAD_MASTER_KEY nor in PAYLOAD_MASTER_KEYS_PREVIOUS`);
    return open(master.key, Buffer.from(stored.wrapped, 'base64'), id);
  }

  private dataKey(held: Held, set: KeySet, version: number): DataKey {
    let key = held.unwrapped.get(version);
    if (!key) {
      const stored = set.keys.find((k) => k.version === version);
      if (!stored) throw new PayloadKeyError(`payload key ${keyIdOf(set.owner, version)} does not exist`);
      key = { id: keyIdOf(set.owner, version), key: this.unwrap(set.owner, stored), masterKeyId: stored.masterKeyId };
      held.unwrapped.set(version, key);
    }
    return key;
  }

  /**
   * What this process holds of the owner's keys: fresh ones (or a lookup under way) as they are; older ones are asked
   * for again, and kept while the store cannot answer, so a store outage does not stop payloads of known tickets.
   */
  private lookup(owner: string, fetch: () => Promise<KeySet | null>): Held {
    const held = this.held.get(owner);
    if (held) this.held.delete(owner);
    if (held && Date.now() - held.at < this.ttlMs) {
      // Most recently used last, so the oldest entry is the first to go.
      this.held.set(owner, held);
      return held;
    }
    return this.load(owner, fetch, held);
  }

  private load(owner: string, fetch: () => Promise<KeySet | null>, stale?: Held): Held {
    const set = fetch().catch(async (err: unknown) => {
      const kept = await stale?.set.catch(() => null);
      if (kept) return kept;
      throw err;
    });
    const held: Held = { set, at: Date.now(), unwrapped: new Map() };
    this.held.set(owner, held);
    if (this.held.size > this.maxCached) this.held.delete(this.held.keys().next().value!);
    // Neither a miss nor a failure is kept: the next lookup asks the vault again.
    const drop = () => this.held.get(owner) === held && this.held.delete(owner);
    held.set.then((found) => found ?? drop(), drop);
    return held;
  }
}

/** A vault in memory: for replaying recorded histories with the keys saved beside them, and for unit tests. */
export class MemoryKeyVault implements KeyVault {
  readonly sets = new Map<string, KeySet>();

  constructor(sets: Iterable<KeySet> = []) {
    for (const set of sets) this.sets.set(set.owner, set);
  }

  async find(owner: string): Promise<KeySet | null> {
    return this.sets.get(owner) ?? null;
  }

  async findOrCreate(first: KeySet): Promise<KeySet> {
    const existing = this.sets.get(first.owner);
    if (existing) return existing;
    this.sets.set(first.owner, first);
    return first;
  }
}
