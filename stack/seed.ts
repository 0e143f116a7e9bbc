// Prepares an empty database for `npm start`: indexes now, a usable demo desk as the product grows.
import { connectDatabase, syncIndexes } from '../platform/mongo';

export async function seedIfEmpty(mongodbUri: string, log: (line: string) => void): Promise<void> {
  const db = await connectDatabase(mongodbUri);
  try {
    await syncIndexes(db);
    log('database indexes are in place');
  } finally {
    await db.close();
  }
}
