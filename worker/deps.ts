// The activities' dependencies, built from one database connection (the worker and the tests use this).
import type { ActivityDeps } from '../activities';
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/mongo';
import { AgentLoadStore } from '../store/agent-load';
import { DeskConfigStore } from '../store/desk-config';
import { Dispatcher } from '../store/dispatcher';
import { KnowledgeStore } from '../store/knowledge';
import { KnowledgeSearch } from '../store/knowledge-search';
import { KpiBuckets } from '../store/kpis';
import { TicketStore } from '../store/tickets';

export function activityDeps(db: Database, logger: Logger): ActivityDeps {
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
  };
}
