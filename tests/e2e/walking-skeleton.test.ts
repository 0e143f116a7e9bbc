// A ticket created over HTTP lands in MongoDB and in Temporal's visibility store, once per request.
import { ticketWorkflowId } from '../../domain/ticket';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk('e2e-skeleton');
});
afterAll(() => desk.close());

async function visibleWorkflows(query: string, expected: number): Promise<string[]> {
  // Visibility is eventually consistent: poll briefly.
  for (let i = 0; ; i++) {
    const ids: string[] = [];
    for await (const wf of desk.client.workflow.list({ query })) ids.push(wf.workflowId);
    if (ids.length >= expected || i >= 50) return ids;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('walking skeleton', () => {
  it('creates a ticket over HTTP, stores it in MongoDB and makes it findable by search attributes', async () => {
    const token = desk.token({ sub: 'alice', role: 'requester', name: 'Alice Martin' });
    const res = await desk.http('POST', '/tickets', { token, body: createTicketBody });

    expect(res.status).toBe(201);
    const id: string = res.body.id;
    expect(res.headers.get('location')).toBe(`/tickets/${id}`);
    expect(res.body).toMatchObject({ status: 'assigned', priority: 'P1', assignment: { group: 'network-l1' }, requester: { id: 'alice', name: 'Alice Martin' } });
    // The link to the workflow's history is for staff: the history holds internal notes.
    expect(res.body.temporal).toBeUndefined();
    const staffView = (await desk.http('GET', `/tickets/${id}`, { token: desk.token({ sub: 'sam', role: 'supervisor' }) })).body;
    expect(staffView.temporal).toMatchObject({ workflowId: `ticket-${id}` });
    expect(staffView.temporal.uiUrl).toContain(`/namespaces/default/workflows/ticket-${id}`);

    const raw = await desk.db.connection.db!.collection('tickets').findOne({ _id: id as never });
    expect(raw).toMatchObject({ title: createTicketBody.title, status: 'assigned', priority: 'P1', productLine: 'network' });

    const found = await visibleWorkflows(`WorkflowId = '${ticketWorkflowId(id)}' AND TicketPriority = 'P1' AND TicketStatus = 'assigned' AND AssignedGroup = 'network-l1' AND ProductLine = 'network'`, 1);
    expect(found).toEqual([ticketWorkflowId(id)]);

    const read = await desk.http('GET', `/tickets/${id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('returns the original ticket for a repeated Idempotency-Key and starts one workflow only', async () => {
    const token = desk.token({ sub: 'carol', role: 'requester' });
    const headers = { 'Idempotency-Key': 'form-submit-42' };
    const responses = await Promise.all([1, 2, 3].map(() => desk.http('POST', '/tickets', { token, body: createTicketBody, headers })));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    const [id] = [...ids];
    expect(await visibleWorkflows(`WorkflowId = '${ticketWorkflowId(id)}'`, 1)).toHaveLength(1);
    expect(await desk.db.models.Ticket.countDocuments({ 'requester.id': 'carol' })).toBe(1);

    const reused = await desk.http('POST', '/tickets', { token, body: { ...createTicketBody, title: 'Something else' }, headers });
    expect(reused.status).toBe(422);
  });

  it('shows a ticket only to its requester and to staff allowed to see it', async () => {
    const alice = desk.token({ sub: 'alice', role: 'requester' });
    const { body } = await desk.http('POST', '/tickets', { token: alice, body: createTicketBody });
    const get = (token: string) => desk.http('GET', `/tickets/${body.id}`, { token });

    expect((await get(alice)).status).toBe(200);
    expect((await get(desk.token({ sub: 'bob', role: 'requester' }))).status).toBe(404);
    expect((await get(desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] }))).status).toBe(404);
    expect((await get(desk.token({ sub: 'cid', role: 'agent', groups: ['network-l1'] }))).status).toBe(200);
    expect((await get(desk.token({ sub: 'sam', role: 'supervisor' }))).status).toBe(200);
    expect((await desk.http('GET', '/tickets/0000000000', { token: alice })).status).toBe(404);
  });
});
