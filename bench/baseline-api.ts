// The latency baselines: the least an HTTP route can do for what POST /tickets and GET /tickets/:id do, in a process
// of its own on the same servers. GET /tickets/:id verifies the same JWT and reads one document by _id from the same
// MongoDB; POST /open verifies the JWT and runs one bare update-with-start (the bare lifecycle's intake step).
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import jwt from 'jsonwebtoken';
import { MongoClient } from 'mongodb';
import { step } from './workflows';

async function main(): Promise<void> {
  const key = createSecretKey(Buffer.from(process.env.AUTH_JWT_SECRET!));
  const mongo = await MongoClient.connect(process.env.MONGODB_URI!);
  const tickets = mongo.db().collection<{ _id: string }>('tickets');
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE!;

  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    void (async () => {
      if (req.url === '/readyz') return answer(200, { ok: true });
      try {
        jwt.verify(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '', key, { algorithms: ['HS256'] });
      } catch {
        return answer(401, { title: 'unauthorized' });
      }
      const read = /^\/tickets\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && read) {
        const doc = await tickets.findOne({ _id: decodeURIComponent(read[1]!) });
        return doc ? answer(200, doc) : answer(404, { title: 'not found' });
      }
      if (req.method === 'POST' && req.url === '/open') {
        req.resume();
        const changes = await client.workflow.executeUpdateWithStart(step, {
          args: ['open'],
          startWorkflowOperation: new WithStartWorkflowOperation('bareLifecycle', { workflowId: `open-${randomUUID()}`, taskQueue, workflowIdConflictPolicy: 'FAIL' }),
        });
        return answer(201, { changes });
      }
      answer(404, { title: 'no such route' });
    })().catch((err: unknown) => answer(500, { title: String(err) }));
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'baseline api ready' })));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
