// One Mongoose connection per process, with the product's models bound to it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { bindModels, type Models } from '../store/models';

export interface Database {
  connection: Connection;
  models: Models;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string): Promise<Database> {
  // MONGODB_COMMAND_STATS_DIR (the benchmark sets it) counts every command this process sends, by command and collection.
  const statsDir = process.env.MONGODB_COMMAND_STATS_DIR;
  // autoIndex stays off: indexes are created once, explicitly, by syncIndexes.
  const connection = await mongoose.createConnection(uri, { autoIndex: false, serverSelectionTimeoutMS: 5_000, ...(statsDir ? { monitorCommands: true } : {}) }).asPromise();
  if (statsDir) countCommands(connection.getClient() as unknown as MongoClient, statsDir);
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

/** Command monitoring: counts by "command collection" kept in `<dir>/<pid>-<n>.json`, rewritten every second. */
export function countCommands(client: MongoClient, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}-${(connections += 1)}.json`);
  const counts: Record<string, number> = {};
  client.on('commandStarted', (event) => {
    const target = (event.command as Record<string, unknown>)[event.commandName];
    const key = `${event.commandName} ${typeof target === 'string' ? target : ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  });
  const save = () => writeFileSync(file, JSON.stringify(counts));
  setInterval(save, 1_000).unref();
  process.once('exit', save);
}

let connections = 0;
