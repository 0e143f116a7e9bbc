// The Temporal client of the API and tools, always with the product's data converter (platform/payload-codec.ts).
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from './config';
import { ticketDataConverter } from './payload-codec';

export async function connectTemporal(config: Pick<Config, 'temporalAddress' | 'temporalNamespace'>, codec: PayloadCodec | null): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  return temporalClient(connection, codec, config.temporalNamespace);
}

/** A client on a connection already made (tests, benchmarks, tools), encoding as the product does. */
export function temporalClient(connection: Connection, codec: PayloadCodec | null, namespace = 'default'): Client {
  return new Client({ connection, namespace, dataConverter: ticketDataConverter(codec) });
}
