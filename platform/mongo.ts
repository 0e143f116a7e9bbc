// One Mongoose connection per process, with the product's models bound to it.
import mongoose, { type Connection } from 'mongoose';
import { bindModels, type Models } from '../store/models';

export interface Database {
  connection: Connection;
  models: Models;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string): Promise<Database> {
  // autoIndex stays off: indexes are created once, explicitly, by syncIndexes.
  const connection = await mongoose.createConnection(uri, { autoIndex: false, serverSelectionTimeoutMS: 5_000 }).asPromise();
  const models = bindModels(connection);
  return {
    connection,
    models,
    async ping() {
      await connection.db!.command({ ping: 1 });
    },
    close: () => connection.close(),
  };
}

/** Makes each collection's indexes those its schema declares, creating new ones and dropping retired ones. */
export async function syncIndexes(db: Database): Promise<void> {
  for (const model of Object.values(db.models)) await model.syncIndexes();
}
