// Attachments through the API (SPEC §4, §16): multipart upload with a size limit and a type allow-list, attached by
// uploadId to a new ticket or a comment, stored in GridFS and downloaded byte for byte with the ticket's own
// authorization: another requester, an agent of another group, or a requester asking for an internal note's file
// gets 404. Downloads are attachments with a safe content type. The desk's mail addresses are admin configuration.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../platform/config';
import { startDesk, type TestDesk } from '../helpers/desk';
import { createTicketBody } from '../helpers/fixtures';

let desk: TestDesk;
const tokens = {} as Record<'alice' | 'bob' | 'ann' | 'eve' | 'root', string>;
beforeAll(async () => {
  desk = await startDesk('mail-attachments', { config: { mail: { ...loadConfig({}).mail, attachmentMaxBytes: 50_000 } } });
  tokens.alice = desk.token({ sub: 'alice', role: 'requester', email: 'alice@example.com' });
  tokens.bob = desk.token({ sub: 'bob', role: 'requester' });
  tokens.ann = desk.token({ sub: 'ann', role: 'agent', groups: ['network-l1'] });
  tokens.eve = desk.token({ sub: 'eve', role: 'agent', groups: ['billing-l1'] });
  tokens.root = desk.token({ sub: 'root', role: 'admin' });
});
afterAll(() => desk.close());

async function upload(token: string, content: Buffer, name: string, type: string) {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  const res = await fetch(`${desk.baseUrl}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(token: string, location: string) {
  const res = await fetch(`${desk.baseUrl}${location}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('attachments', () => {
  it('round-trip byte for byte on a ticket and its comments, guarded like the ticket', async () => {
    const log = randomBytes(20_000);
    const up = await upload(tokens.alice, log, '..\\..\\C:\\Windows\\vpn "client".log', 'text/plain');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ uploadId: expect.stringMatching(/^u[0-9a-f]{32}$/), name: 'vpn _client_.log', type: 'text/plain', size: log.length });
    const external = { name: 'trace.pcap', type: 'application/octet-stream', size: 10, location: 's3://bucket/trace.pcap' };
    const created = await desk.http('POST', '/tickets', { token: tokens.alice, body: { ...createTicketBody, attachments: [{ uploadId: up.body.uploadId }, external] } });
    expect(created.status).toBe(201);
    const ticket = created.body;
    expect(ticket.attachments).toEqual([{ name: 'vpn _client_.log', type: 'text/plain', size: log.length, location: `/tickets/${ticket.id}/attachments/${up.body.uploadId}` }, external]);

    const mine = await download(tokens.alice, ticket.attachments[0].location);
    expect(mine.status).toBe(200);
    expect(mine.bytes.equals(log)).toBe(true);
    expect(mine.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="vpn _client_.log"; filename*=UTF-8''vpn%20_client_.log`);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download(tokens.ann, ticket.attachments[0].location)).bytes.equals(log)).toBe(true);
    expect((await download(tokens.bob, ticket.attachments[0].location)).status).toBe(404);
    expect((await download(tokens.eve, ticket.attachments[0].location)).status).toBe(404);

    // An agent's internal note with a file: staff download it, the requester never sees nor gets it.
    const secret = randomBytes(5_000);
    const noteUpload = await upload(tokens.ann, secret, 'diag.pdf', 'application/pdf');
    const note = await desk.http('POST', `/tickets/${ticket.id}/comments`, { token: tokens.ann, body: { body: 'diagnostics', visibility: 'internal', attachments: [{ uploadId: noteUpload.body.uploadId }] } });
    expect(note.status).toBe(201);
    expect(note.body.events[0].data.attachments).toEqual([expect.objectContaining({ id: noteUpload.body.uploadId, visibility: 'internal' })]);
    const notePath = `/tickets/${ticket.id}/attachments/${noteUpload.body.uploadId}`;
    expect((await download(tokens.ann, notePath)).bytes.equals(secret)).toBe(true);
    expect((await download(tokens.alice, notePath)).status).toBe(404);
    const seen = await desk.http('GET', `/tickets/${ticket.id}`, { token: tokens.alice });
    expect(seen.body.attachments.map((a: { name: string }) => a.name)).toEqual(['vpn _client_.log', 'trace.pcap']);
    expect(JSON.stringify(seen.body)).not.toContain(noteUpload.body.uploadId);

    // The requester's public reply with a file: on the event she sees, and on the ticket.
    const screenshot = randomBytes(8_000);
    const shot = await upload(tokens.alice, screenshot, 'drop.png', 'image/png');
    const reply = await desk.http('POST', `/tickets/${ticket.id}/comments`, { token: tokens.alice, body: { body: 'screenshot attached', attachments: [{ uploadId: shot.body.uploadId }] } });
    expect(reply.status).toBe(201);
    const shotPath = `/tickets/${ticket.id}/attachments/${shot.body.uploadId}`;
    expect(reply.body.events[0].data.attachments).toEqual([{ name: 'drop.png', type: 'image/png', size: screenshot.length, location: shotPath }]);
    expect((await download(tokens.alice, shotPath)).bytes.equals(screenshot)).toBe(true);
    const timeline = await desk.http('GET', `/tickets/${ticket.id}/timeline`, { token: tokens.alice });
    expect(JSON.stringify(timeline.body)).not.toContain('diag.pdf');
  });

  it('keeps a UTF-8 file name and offers it for download under that name', async () => {
    const up = await upload(tokens.alice, Buffer.from('%PDF-1.7'), 'Überweisung – März.pdf', 'application/pdf');
    expect(up.body.name).toBe('Überweisung – März.pdf');
    const ticket = (await desk.http('POST', '/tickets', { token: tokens.alice, body: { ...createTicketBody, attachments: [{ uploadId: up.body.uploadId }] } })).body;
    const res = await download(tokens.alice, ticket.attachments[0].location);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="_berweisung _ M_rz.pdf"; filename*=UTF-8''${encodeURIComponent('Überweisung – März.pdf')}`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
  });

  it('attaches only the caller’s own uploads, naming the field', async () => {
    const theirs = await upload(tokens.alice, Buffer.from('private'), 'private.txt', 'text/plain');
    const res = await desk.http('POST', '/tickets', { token: tokens.bob, body: { ...createTicketBody, attachments: [{ uploadId: theirs.body.uploadId }] } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'body.attachments.0.uploadId', message: expect.stringContaining('not an upload of yours') }]);
    expect((await desk.http('POST', '/tickets', { token: tokens.bob, body: { ...createTicketBody, attachments: [{ uploadId: 'nope' }] } })).status).toBe(400);
  });

  it('refuses files over the size limit, of types not allowed, or not sent as multipart', async () => {
    const big = await upload(tokens.alice, randomBytes(60_000), 'big.pdf', 'application/pdf');
    expect(big.status).toBe(413);
    expect(big.body.errors).toEqual([{ path: 'body.file', message: 'must be at most 50000 bytes' }]);
    const html = await upload(tokens.alice, Buffer.from('<script>alert(1)</script>'), 'page.html', 'text/html');
    expect(html.status).toBe(415);
    expect(html.body.errors[0].path).toBe('body.file');
    expect((await desk.http('POST', '/uploads', { token: tokens.alice, body: { file: 'x' } })).status).toBe(415);
    expect((await desk.http('POST', '/uploads', { token: desk.token({ sub: 'gw', role: 'gateway' }), body: {} })).status).toBe(403);
  });

  it('keeps the desk’s mail addresses as admin configuration, validated', async () => {
    expect((await desk.http('GET', '/admin/mailboxes', { token: tokens.root })).body).toEqual([{ address: 'support@example.com', name: 'Support', productLine: 'general', problemType: 'question' }]);
    const bad = await desk.http('PUT', '/admin/mailboxes', { token: tokens.root, body: [{ address: 'billing@example.com', name: 'Billing', productLine: 'billing', problemType: 'invoice_dispute' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'body.0.problemType', message: 'there is no template for problem type invoice_dispute' }]);
    expect((await desk.http('PUT', '/admin/mailboxes', { token: tokens.root, body: [{ address: 'not an address', name: 'x', productLine: 'x', problemType: 'question' }] })).body.errors[0].path).toBe('body.0.address');
    const mailboxes = [
      { address: 'Support@Example.com', name: 'Support', productLine: 'general', problemType: 'question' },
      { address: 'billing@example.com', name: 'Billing', productLine: 'billing', problemType: 'incident' },
    ];
    const put = await desk.http('PUT', '/admin/mailboxes', { token: tokens.root, body: mailboxes });
    expect(put.status).toBe(200);
    expect(put.body.map((m: { address: string }) => m.address)).toEqual(['billing@example.com', 'support@example.com']);
    expect((await desk.http('GET', '/admin/mailboxes', { token: tokens.ann })).status).toBe(403);
  });
});
