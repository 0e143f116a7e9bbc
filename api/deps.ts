// What the HTTP layer needs from the outside world, passed in so tests use the real servers they started.
import type { Client } from '@temporalio/client';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/mongo';
import type { DeskConfigStore } from '../store/desk-config';
import type { KnowledgeStore } from '../store/knowledge';
import type { KnowledgeSearch } from '../store/knowledge-search';
import type { KpiLedger } from '../store/kpis';
import type { OutboxStore } from '../store/outbox';
import type { PresenceStore } from '../store/presence';
import type { TicketStore } from '../store/tickets';
import type { AttachmentStore } from '../store/attachments';
import type { MailStore } from '../store/mail';
import type { EmailIntake } from '../mail/intake';
import type { TicketDesk } from './tickets/desk';
import type { EncryptionCodec } from '../platform/payload-codec';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  db: Database;
  tickets: TicketStore;
  deskConfig: DeskConfigStore;
  knowledge: KnowledgeStore;
  search: KnowledgeSearch;
  outbox: OutboxStore;
  kpis: KpiLedger;
  desk: TicketDesk;
  /** Mail: the one intake path (shared with the SMTP intake), what was mailed, attachment files. */
  intake: EmailIntake;
  mail: MailStore;
  files: AttachmentStore;
  presence: PresenceStore;
  /** The payload codec the Temporal client uses (null with PAYLOAD_ENCRYPTION=off); the codec endpoint decodes with it. */
  codec: EncryptionCodec | null;
}
