// Idempotent inserts: documents keyed by what they record (ticket + sequence, ticket + change + recipient) are
// inserted once; a retry's duplicate-key errors mean "already there". Plain inserts, not $setOnInsert upserts:
// FerretDB v1 drops empty arrays and objects from $setOnInsert (measured here), and inserts are cheaper.
import { MongoBulkWriteError } from 'mongodb';

interface Insertable {
  insertMany(docs: object[], options: { ordered: false }): Promise<unknown>;
}

export async function insertOnce(collection: Insertable, docs: object[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

function onlyDuplicates(err: unknown): boolean {
  if (err instanceof MongoBulkWriteError) {
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    return errors.length > 0 && errors.every((e) => e.code === 11000);
  }
  return isDuplicateKey(err);
}
