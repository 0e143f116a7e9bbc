// Bulk updates as the local MongoDB-wire server takes them: FerretDB holds one of its 50 pooled PostgreSQL
// connections per statement of a bulk write until the command ends, so 50 updates in one command deadlock the whole
// server (SPEC §18; 40 still work). Everything the product sends in bulk goes through here, in chunks well below.
import { MongoBulkWriteError } from 'mongodb';

/** A collection of the driver (its documents keyed by string ids, which its own typing does not assume). */
export interface BulkWritable {
  bulkWrite(ops: never[], options: { ordered: false }): Promise<unknown>;
}

/** Statements per bulk write. */
export const BULK_CHUNK = 20;

/** Bulk updates in chunks well below FerretDB's 50-statement deadlock (SPEC §18), one command per chunk. */
export async function bulkUpdate(collection: BulkWritable, ops: object[], { duplicatesMeanDone = false } = {}): Promise<void> {
  for (let i = 0; i < ops.length; i += BULK_CHUNK) {
    try {
      await collection.bulkWrite(ops.slice(i, i + BULK_CHUNK) as never[], { ordered: false });
    } catch (err) {
      // An upsert guarded by a filter meets an existing document when its update was applied already.
      const onlyDuplicates = err instanceof MongoBulkWriteError && (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]).every((e) => e.code === 11000);
      if (!(duplicatesMeanDone && onlyDuplicates)) throw err;
    }
  }
}

