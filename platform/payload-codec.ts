// How every Temporal client and worker of the product turns values into payloads (README, "Privacy"): the data
// converter is built here and nowhere else. Payloads are encrypted with AES-256-GCM under the key of the ticket
// whose workflow they belong to (the serialization context names it), and carry that key's id in their metadata,
// so decoding never needs the context: the worker, the API, the codec endpoint and replay all decode alike.
// Payloads without the `binary/encrypted` encoding pass through, so histories from before still replay.
import type { DataConverter, Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Db } from 'mongodb';
import { ticketWorkflowId } from '../domain/ticket';
import { PayloadKeyStore } from '../store/keys';
import type { Config } from './config';
import type { Logger } from './logger';
import { DESK_OWNER, masterKeysOf, open, PayloadKeyError, PayloadKeyring, seal, ticketOwner, type KeyringOptions, type MasterKeys } from './payload-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const MASTER_KEY_ID_METADATA = 'encryption-master-key-id';

/** The module whose failure converter keeps failure messages inside (encrypted) payloads; bundled with the workflows. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter of every client and worker: the failure converter above, and the codec when there is one. */
export function ticketDataConverter(codec: PayloadCodec | null): DataConverter {
  return { failureConverterPath: FAILURE_CONVERTER_PATH, ...(codec ? { payloadCodecs: [codec] } : {}) };
}

const TICKET_WORKFLOW = new RegExp(`^${ticketWorkflowId('(.+)')}$`);

/** Whose key encrypts a payload: the ticket's for its workflow's payloads (and its activities'), the desk's otherwise. */
export function ownerOf(context: SerializationContext | undefined): string {
  const ticketId = context?.workflowId ? TICKET_WORKFLOW.exec(context.workflowId)?.[1] : undefined;
  return ticketId ? ticketOwner(ticketId) : DESK_OWNER;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export const isEncrypted = (payload: Payload) => text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

/** The key id an encrypted payload names, or undefined for a payload in the clear. */
export const keyIdOfPayload = (payload: Payload) => (isEncrypted(payload) ? text(payload.metadata?.[KEY_ID_METADATA]) : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(readonly keys: PayloadKeyring) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.every(isEncrypted)) return payloads;
    const key = await this.keys.current(ownerOf(context));
    return payloads.map((payload) =>
      isEncrypted(payload)
        ? payload
        : {
            metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(key.id), [MASTER_KEY_ID_METADATA]: utf8(key.masterKeyId) },
            // The whole payload, its metadata included: the encoding (json/plain…) is no one else's business either.
            data: seal(key.key, temporal.api.common.v1.Payload.encode(payload).finish(), key.id),
          },
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  async decodeOne(payload: Payload): Promise<Payload> {
    if (!isEncrypted(payload)) return payload;
    const keyId = keyIdOfPayload(payload);
    if (!keyId) throw new PayloadKeyError('an encrypted payload names no key');
    const key = await this.keys.byId(keyId);
    if (!key) throw new MissingPayloadKey(keyId);
    try {
      const plain = temporal.api.common.v1.Payload.decode(open(key.key, payload.data ?? new Uint8Array(), keyId));
      return { metadata: plain.metadata, data: plain.data };
    } catch {
      throw new PayloadKeyError(`a payload does not decrypt with its key ${keyId}: it was altered, or another desk encrypted it`);
    }
  }
}

/** The payload's key no longer exists: its ticket was erased (crypto-shredding), or it belongs to another desk. */
export class MissingPayloadKey extends PayloadKeyError {
  constructor(readonly keyId: string) {
    super(`the key ${keyId} of this payload does not exist (destroyed with its ticket, or another desk's)`);
    this.name = 'MissingPayloadKey';
  }
}

/**
 * The master keys from configuration, checked before anything else starts: null when PAYLOAD_ENCRYPTION=off,
 * a PayloadKeyError saying what to do when PAYLOAD_MASTER_KEY is missing or malformed.
 */
export function masterKeysFrom(config: Pick<Config, 'payloads'>): MasterKeys | null {
  const { encrypt, masterKey, previousMasterKeys } = config.payloads;
  if (!encrypt) return null;
  if (!masterKey) {
    throw new PayloadKeyError(
      'PAYLOAD_MASTER_KEY is not set: it encrypts the personal data in every ticket’s Temporal history, so nothing starts without it ' +
        '(npm start creates a development one in .data/payload-master-key; in production give every worker, API and mail intake the same 32 random bytes, e.g. openssl rand -hex 32)',
    );
  }
  return masterKeysOf(masterKey, previousMasterKeys);
}

/** What the worker, the API and the mail intake do first: the master keys, or one line saying why they cannot start. */
export function masterKeysOrExit(config: Pick<Config, 'payloads'>, logger: Pick<Logger, 'fatal' | 'warn'>): MasterKeys | null {
  try {
    const master = masterKeysFrom(config);
    if (!master) logger.warn('payload encryption is off (PAYLOAD_ENCRYPTION=off): people’s data goes into Temporal’s histories in the clear');
    return master;
  } catch (err) {
    logger.fatal((err as Error).message);
    process.exit(1);
  }
}

/**
 * Loads the desk's key before a process takes work: a workflow task that fails is reported with its failure encrypted
 * under the desk's key (it names no ticket), and that must not need the store that may be why the task failed.
 */
export async function warmPayloadKeys(codec: EncryptionCodec | null): Promise<void> {
  await codec?.keys.current(DESK_OWNER);
}

/** The codec of a process with MongoDB at hand (its keys live there); null when encryption is off. */
export function payloadCodec(master: MasterKeys | null, db: Db, options?: KeyringOptions): EncryptionCodec | null {
  return master ? new EncryptionCodec(new PayloadKeyring(master, new PayloadKeyStore(db), options)) : null;
}
