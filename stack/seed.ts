// Prepares the database for `npm start`: indexes, and on an empty database the demo desk.
import { connectDatabase, syncIndexes, type Database } from '../platform/mongo';
import { DeskConfigStore } from '../store/desk-config';
import { KnowledgeStore } from '../store/knowledge';
import { demoAgents, demoArticles, demoCalendars, demoCannedReplies, demoGroups, demoMailboxes, demoRoutingRules, demoSlaPolicies, demoTemplates } from './demo-desk';

export async function seedIfEmpty(mongodbUri: string, log: (line: string) => void): Promise<void> {
  const db = await connectDatabase(mongodbUri);
  try {
    await syncIndexes(db);
    if ((await db.models.Group.countDocuments()) > 0) return;
    await seedDemoDesk(db);
    await new KnowledgeStore(db.models).put(demoArticles);
    log(`seeded the demo desk: ${demoGroups.length} groups, ${demoAgents.length} agents, ${demoRoutingRules.length} routing rules, ${demoTemplates.length} templates, ${demoSlaPolicies.length} SLA policies, ${demoCalendars.length} calendars, ${demoCannedReplies.length} canned replies, ${demoMailboxes.length} mailbox (${demoMailboxes.map((m) => m.address).join(', ')}), ${demoArticles.length} knowledge articles`);
  } finally {
    await db.close();
  }
}

/** The demo desk's configuration (groups, agents, routing, templates, calendars, SLA policies, canned replies, mailboxes), without knowledge. */
export async function seedDemoDesk(db: Database): Promise<void> {
  const desk = new DeskConfigStore(db.models);
  await desk.replaceGroups(demoGroups);
  await desk.replaceAgents(demoAgents);
  await desk.replaceRoutingRules(demoRoutingRules);
  await desk.replaceTemplates(demoTemplates);
  await desk.replaceCalendars(demoCalendars);
  await desk.replaceSlaPolicies(demoSlaPolicies);
  await desk.replaceCannedReplies(demoCannedReplies);
  await desk.replaceMailboxes(demoMailboxes);
}
