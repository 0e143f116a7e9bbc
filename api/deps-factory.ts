// Builds the API's dependencies from its connections; `npm run api` and the tests share it.
import type { Client } from '@temporalio/client';
import { deskSettingsOf, type Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/mongo';
import type { EncryptionCodec } from '../platform/payload-codec';
import { DeskConfigStore } from '../store/desk-config';
import { KnowledgeStore } from '../store/knowledge';
import { KnowledgeSearch } from '../store/knowledge-search';
import { KpiLedger } from '../store/kpis';
import { OutboxStore } from '../store/outbox';
import { PresenceStore } from '../store/presence';
import { TicketStore } from '../store/tickets';
import { AttachmentStore } from '../store/attachments';
import { MailStore } from '../store/mail';
import { EmailIntake } from '../mail/intake';
import type { ApiDeps } from './deps';
import { TicketDesk } from './tickets/desk';

export function apiDeps(config: Config, logger: Logger, temporal: Client, db: Database, codec: EncryptionCodec | null): ApiDeps {
  const tickets = new TicketStore(db.models);
  const knowledge = new KnowledgeStore(db.models);
  const deskConfig = new DeskConfigStore(db.models);
  const desk = new TicketDesk(temporal, config.taskQueue, tickets, deskSettingsOf(config), config.updateTimeoutMs);
  const mail = new MailStore(db.models);
  const files = new AttachmentStore(db.connection.db!);
  return {
    config,
    logger,
    temporal,
    db,
    tickets,
    deskConfig,
    knowledge,
    search: new KnowledgeSearch(knowledge),
    outbox: new OutboxStore(db.models),
    kpis: new KpiLedger(db.models),
    desk,
    intake: new EmailIntake({ desk, tickets, deskConfig, mail, files, settings: config.mail, logger }),
    mail,
    files,
    presence: new PresenceStore(db.models, config.presenceTtlMs),
    codec,
  };
}
