// The payload codec and its keys (platform/payload-codec.ts, platform/payload-keys.ts), without any server: keys
// in a vault in memory that counts its round trips.
import type { Payload } from '@temporalio/common';
import { openTicket } from '../../domain/intake';
import { searchAttributesOf } from '../../workflows/search-attributes';
import { vpnIntake } from '../helpers/fixtures';
import { loadConfig } from '../../platform/config';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, masterKeysFrom, MASTER_KEY_ID_METADATA, MissingPayloadKey, ownerOf } from '../../platform/payload-codec';
import { masterKeysOf, MemoryKeyVault, parseMasterKey, PayloadKeyError, PayloadKeyring, type KeySet } from '../../platform/payload-keys';

const MASTER = 'a1'.repeat(32);
const OTHER_MASTER = 'b2'.repeat(32);

class CountingVault extends MemoryKeyVault {
  calls = 0;
  override async find(owner: string) {
    this.calls++;
    return super.find(owner);
  }
  override async findOrCreate(first: KeySet) {
    this.calls++;
    return super.findOrCreate(first);
  }
}

const json = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });
const text = (p: Payload) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8');
const meta = (p: Payload, key: string) => Buffer.from(p.metadata?.[key] ?? new Uint8Array()).toString('utf8');
const ticket = (id: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId: `ticket-${id}` });

function codecWith(vault = new CountingVault(), master = masterKeysOf(MASTER), options = {}) {
  return { vault, codec: new EncryptionCodec(new PayloadKeyring(master, vault, options)) };
}

describe('the payload codec', () => {
  it('encrypts with the ticket’s own key, names the key and its master key, and decodes without any context', async () => {
    const { codec } = codecWith();
    const [sealed] = await codec.encode([json({ title: 'Alice’s VPN' })], ticket('7K2XQ9MPA4'));
    expect(meta(sealed!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(sealed!, KEY_ID_METADATA)).toBe('ticket:7K2XQ9MPA4/1');
    expect(meta(sealed!, MASTER_KEY_ID_METADATA)).toBe(masterKeysOf(MASTER).current.id);
    expect(text(sealed!)).not.toContain('Alice');
    const [back] = await codec.decode([sealed!]);
    expect(text(back!)).toBe('{"title":"Alice’s VPN"}');
    expect(meta(back!, 'encoding')).toBe('json/plain');
  });

  it('gives each ticket its own key, and what is no ticket’s the desk’s', () => {
    expect(ownerOf(ticket('AAAAAAAAAA'))).toBe('ticket:AAAAAAAAAA');
    expect(ownerOf({ type: 'activity', namespace: 'default', workflowId: 'ticket-BBBBBBBBBB', isLocal: true })).toBe('ticket:BBBBBBBBBB');
    expect(ownerOf({ type: 'workflow', namespace: 'default', workflowId: 'a-bench-run' })).toBe('desk');
    expect(ownerOf(undefined)).toBe('desk');
  });

  it('passes payloads in the clear through, so histories from before encryption still replay', async () => {
    const { codec, vault } = codecWith();
    const plain = json('before encryption');
    expect(await codec.decode([plain])).toEqual([plain]);
    expect(vault.calls).toBe(0);
    // And never encrypts twice.
    const [once] = await codec.encode([json('x')], ticket('CCCCCCCCCC'));
    expect(await codec.encode([once!], ticket('CCCCCCCCCC'))).toEqual([once]);
  });

  it('refuses a payload altered after encryption, or made with another master key', async () => {
    const { codec, vault } = codecWith();
    const [sealed] = await codec.encode([json('original')], ticket('DDDDDDDDDD'));
    const altered = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 30 ? b ^ 0xff : b)) };
    await expect(codec.decode([altered])).rejects.toThrow(PayloadKeyError);
    // The same stored key, read by a desk with another master key: it cannot unwrap it.
    const { codec: stranger } = codecWith(vault, masterKeysOf(OTHER_MASTER));
    await expect(stranger.decode([sealed!])).rejects.toThrow(/neither PAYLOAD_MASTER_KEY nor in PAYLOAD_MASTER_KEYS_PREVIOUS/);
  });

  it('says plainly when a payload’s key is gone (a ticket erased by destroying its keys)', async () => {
    const { codec, vault } = codecWith();
    const [sealed] = await codec.encode([json('erase me')], ticket('EEEEEEEEEE'));
    vault.sets.delete('ticket:EEEEEEEEEE');
    const { codec: later } = codecWith(vault);
    await expect(later.decode([sealed!])).rejects.toThrow(MissingPayloadKey);
  });
});

describe('the keys', () => {
  it('are made once per ticket, even when its first payloads are encoded at the same moment, then served from memory', async () => {
    const { codec, vault } = codecWith();
    const sealed = await Promise.all([1, 2, 3].map((n) => codec.encode([json(n)], ticket('FFFFFFFFFF'))));
    expect(new Set(sealed.map(([p]) => meta(p!, KEY_ID_METADATA)))).toEqual(new Set(['ticket:FFFFFFFFFF/1']));
    expect(vault.calls).toBe(1);
    await codec.decode(sealed.flat());
    await codec.encode([json(4)], ticket('FFFFFFFFFF'));
    expect(vault.calls).toBe(1);
    expect(vault.sets.get('ticket:FFFFFFFFFF')!.keys).toHaveLength(1);
  });

  it('are stored wrapped, never in the clear', async () => {
    const { codec, vault } = codecWith();
    await codec.encode([json('x')], ticket('GGGGGGGGGG'));
    const stored = vault.sets.get('ticket:GGGGGGGGGG')!.keys[0]!;
    expect(Buffer.from(stored.wrapped, 'base64')).toHaveLength(12 + 32 + 16);
    expect(stored.masterKeyId).toBe(masterKeysOf(MASTER).current.id);
  });

  it('keep working after the master key rotates: the old one unwraps as a previous key', async () => {
    const { codec, vault } = codecWith();
    const [old] = await codec.encode([json('written under the old master key')], ticket('HHHHHHHHHH'));
    const rotated = masterKeysOf(OTHER_MASTER, [MASTER]);
    const { codec: after } = codecWith(vault, rotated);
    expect(text((await after.decode([old!]))[0]!)).toBe('"written under the old master key"');
    // New tickets' keys are wrapped by the new master key.
    const [fresh] = await after.encode([json('new')], ticket('IIIIIIIIII'));
    expect(meta(fresh!, MASTER_KEY_ID_METADATA)).toBe(rotated.current.id);
  });

  it('decode with an older version of a ticket’s key after its key rotated', async () => {
    const vault = new CountingVault();
    const keyring = new PayloadKeyring(masterKeysOf(MASTER), vault);
    const codec = new EncryptionCodec(keyring);
    const [v1] = await codec.encode([json('one')], ticket('JJJJJJJJJJ'));
    const set = vault.sets.get('ticket:JJJJJJJJJJ')!;
    vault.sets.set(set.owner, { ...set, current: 2, keys: [...set.keys, keyring.wrap(set.owner, 2, Buffer.alloc(32, 7))] });
    keyring.forget(set.owner);
    const [v2] = await codec.encode([json('two')], ticket('JJJJJJJJJJ'));
    expect(meta(v2!, KEY_ID_METADATA)).toBe('ticket:JJJJJJJJJJ/2');
    expect((await codec.decode([v1!, v2!])).map(text)).toEqual(['"one"', '"two"']);
  });

  it('are cached in bounded number and for a bounded time, so a destroyed key stops working everywhere', async () => {
    let now = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { codec, vault } = codecWith(new CountingVault(), masterKeysOf(MASTER), { maxCached: 2, cacheTtlMs: 1_000 });
      const sealed = await codec.encode([json('k')], ticket('KKKKKKKKKK'));
      await codec.encode([json('l')], ticket('LLLLLLLLLL'));
      await codec.encode([json('m')], ticket('MMMMMMMMMM'));
      const calls = vault.calls;
      await codec.decode(sealed); // KKKKKKKKKK was the least recently used of three: fetched again
      expect(vault.calls).toBe(calls + 1);
      vault.sets.delete('ticket:KKKKKKKKKK');
      await codec.decode(sealed); // still cached
      now += 1_000;
      await expect(codec.decode(sealed)).rejects.toThrow(MissingPayloadKey);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('a store out of reach', () => {
  it('does not stop payloads of tickets already known: their keys stay in use until the store answers again', async () => {
    let now = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const vault = new CountingVault();
      const { codec } = codecWith(vault, masterKeysOf(MASTER), { cacheTtlMs: 1_000 });
      const sealed = await codec.encode([json('known')], ticket('NNNNNNNNNN'));
      const down = new Error('store down');
      jest.spyOn(vault, 'find').mockRejectedValue(down);
      jest.spyOn(vault, 'findOrCreate').mockRejectedValue(down);
      now += 5_000;
      expect((await codec.decode(sealed)).map(text)).toEqual(['"known"']);
      await codec.encode([json('still')], ticket('NNNNNNNNNN'));
      // A ticket never seen cannot be served without the store: that fails, and is asked again next time.
      await expect(codec.encode([json('new')], ticket('OOOOOOOOOO'))).rejects.toBe(down);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('configuration', () => {
  it('takes the master key as 64 hex digits or base64 of 32 bytes, and names the variable of a bad one', () => {
    const bytes = Buffer.alloc(32, 9);
    expect(parseMasterKey(bytes.toString('hex'), 'X').key).toEqual(bytes);
    expect(parseMasterKey(bytes.toString('base64'), 'X').key).toEqual(bytes);
    expect(parseMasterKey(bytes.toString('hex'), 'X').id).toBe(parseMasterKey(bytes.toString('base64'), 'X').id);
    expect(() => parseMasterKey('too short', 'PAYLOAD_MASTER_KEY')).toThrow(/PAYLOAD_MASTER_KEY must be 32 bytes/);
    expect(() => masterKeysOf(MASTER, ['nope'])).toThrow(/PAYLOAD_MASTER_KEYS_PREVIOUS/);
  });

  it('refuses to run without PAYLOAD_MASTER_KEY unless encryption is off, and never off in production', () => {
    expect(() => masterKeysFrom(loadConfig({}))).toThrow(/PAYLOAD_MASTER_KEY is not set/);
    expect(masterKeysFrom(loadConfig({ PAYLOAD_MASTER_KEY: MASTER }))!.current.id).toBe(masterKeysOf(MASTER).current.id);
    expect(masterKeysFrom(loadConfig({ PAYLOAD_ENCRYPTION: 'off' }))).toBeNull();
    expect(() => loadConfig({ PAYLOAD_ENCRYPTION: 'off', NODE_ENV: 'production' })).toThrow(/never with NODE_ENV=production/);
    expect(() => loadConfig({ PAYLOAD_ENCRYPTION: 'maybe' })).toThrow(/PAYLOAD_ENCRYPTION/);
    expect(loadConfig({ PAYLOAD_MASTER_KEYS_PREVIOUS: ` ${OTHER_MASTER} , ` }).payloads.previousMasterKeys).toEqual([OTHER_MASTER]);
    expect(() => loadConfig({ CODEC_UI_KEY: 'short' })).toThrow(/CODEC_UI_KEY/);
  });
});

describe('the search attributes, which stay readable', () => {
  it('are the reviewed ones, and carry none of what a requester wrote or who they are', () => {
    const personal = { title: 'Zofia’s badge 0451-ZP', description: 'My badge 0451-ZP opens nothing', name: 'Zofia Prywatna', email: 'zofia@example.org' };
    const ticket = openTicket(vpnIntake({ title: personal.title, description: personal.description, requester: { id: 'zofia', name: personal.name, email: personal.email } }), '2026-11-23T10:00:00.000Z');
    const attributes = searchAttributesOf(ticket);
    // A new attribute is a new thing anyone with access to Temporal reads: add it here only once it holds no personal data.
    expect(attributes.map((a) => a.key.name).sort()).toEqual(['AssignedGroup', 'Assignee', 'EscalationTier', 'ProductLine', 'SlaBreached', 'SlaResolutionDue', 'TicketChannel', 'TicketPriority', 'TicketStatus']);
    const values = JSON.stringify(attributes.map((a) => a.value));
    for (const text of [...Object.values(personal), 'zofia', '0451']) expect(values).not.toContain(text);
  });
});
