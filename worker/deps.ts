// The activities' dependencies, built from one database connection (the worker and the tests use this).
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/mongo';
import type { EncryptionCodec } from '../platform/payload-codec';
import { AgentLoadStore } from '../store/agent-load';
import { DeskConfigStore } from '../store/desk-config';
import { Dispatcher } from '../store/dispatcher';
import { PayloadKeyStore } from '../store/keys';
import { KnowledgeStore } from '../store/knowledge';
import { KnowledgeSearch } from '../store/knowledge-search';
import { KpiBuckets } from '../store/kpis';
import { PrivacyStore } from '../store/privacy';
import { TicketStore } from '../store/tickets';

/** With `temporal` (a client with the product's codec), the worker also runs erasure and retention (workflows/privacy.ts). */
export function activityDeps(db: Database, logger: Logger, temporal?: { client: Client; codec: EncryptionCodec | null }): ActivityDeps {
  const knowledge = new KnowledgeStore(db.models);
  const deskConfig = new DeskConfigStore(db.models);
  return {
    tickets: new TicketStore(db.models),
    dispatcher: new Dispatcher(deskConfig, new AgentLoadStore(db.models)),
    deskConfig,
    knowledge,
    search: new KnowledgeSearch(knowledge),
    kpiBuckets: new KpiBuckets(),
    logger,
    ...(temporal
      ? { privacy: { store: new PrivacyStore(db.models, db.connection.db!), keys: new PayloadKeyStore(db.connection.db!), temporal: temporal.client, codec: temporal.codec } }
      : {}),
  };
}
