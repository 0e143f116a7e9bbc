// The email channel's rules: identifying and threading messages, telling automatic mail apart, what a reply adds,
// safe file names, and notices whose HTML escapes what people wrote.
import {
  attachmentRefusal,
  automaticReason,
  autoSubmittedOf,
  composeNotice,
  downloadType,
  mailboxFor,
  messageIdsIn,
  newTextOfReply,
  normalizeMessageId,
  REPLY_ABOVE,
  safeFileName,
  threadCandidates,
  ticketReferenceIn,
  titleFromSubject,
} from '../../domain/mail';

const person = { headers: {}, returnPath: 'alice@customer.example', from: 'alice@customer.example', ownAddresses: ['support@example.com'] };

describe('automatic mail', () => {
  it.each([
    [{ headers: { 'auto-submitted': 'auto-replied' } }, 'Auto-Submitted: auto-replied'],
    [{ headers: { 'auto-submitted': 'auto-generated; owner-email="x@y"' } }, 'Auto-Submitted: auto-generated; owner-email="x@y"'],
    [{ headers: { precedence: 'Bulk' } }, 'Precedence: bulk'],
    [{ headers: { precedence: 'list' } }, 'Precedence: list'],
    [{ headers: { precedence: 'junk' } }, 'Precedence: junk'],
    [{ headers: { 'x-autoreply': 'yes' } }, 'X-Autoreply'],
    [{ headers: { 'x-autorespond': '' } }, 'X-Autorespond'],
    [{ returnPath: '' }, 'null return path'],
    [{ from: 'MAILER-DAEMON@mx.example' }, 'sent by mailer-daemon@mx.example'],
    [{ from: 'support@example.com' }, 'sent by the desk itself'],
  ])('%j is automatic', (signals, reason) => {
    expect(automaticReason({ ...person, ...signals })).toBe(reason);
  });

  it('takes a person’s mail, and Auto-Submitted: no, as a person’s', () => {
    expect(automaticReason(person)).toBeNull();
    expect(automaticReason({ ...person, headers: { 'auto-submitted': 'no', precedence: 'first-class' } })).toBeNull();
    expect(automaticReason({ ...person, returnPath: undefined })).toBeNull();
  });
});

describe('threading', () => {
  it('reads Message-IDs from headers and normalises them', () => {
    expect(messageIdsIn('<a@x> (comment) <b@y>')).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsIn(['<a@x>', '<b@y>'])).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsIn(undefined)).toEqual([]);
    expect(normalizeMessageId(' <abc@mail.example> ')).toBe('<abc@mail.example>');
    expect(normalizeMessageId('abc@mail.example')).toBe('<abc@mail.example>');
  });

  it('looks at In-Reply-To first, then References from the most recent', () => {
    expect(threadCandidates(['<c>'], ['<a>', '<b>', '<c>'])).toEqual(['<c>', '<b>', '<a>']);
    const many = Array.from({ length: 30 }, (_, i) => ['<', i, '@x>'].join(''));
    expect(threadCandidates([], many)).toHaveLength(20);
  });

  it('finds [#ID] in a subject and makes a title without prefixes or the reference', () => {
    expect(ticketReferenceIn('Re: [#7K2XQ9MPA4] VPN')).toBe('7K2XQ9MPA4');
    expect(ticketReferenceIn('Re: [#7k2xq9mpa4] VPN')).toBeNull();
    expect(titleFromSubject('RE: Fwd: AW: [#7K2XQ9MPA4] VPN drops')).toBe('VPN drops');
    expect(titleFromSubject('  ')).toBe('(no subject)');
  });

  it('keeps what a reply adds above the quoted notice, without the client’s attribution line', () => {
    const quoted = `Thanks, that fixed it.\n\nOn Mon, 30 Nov 2026 at 09:00, Support <support@example.com>\nwrote:\n> ${REPLY_ABOVE}\n>\n> We received your request.`;
    expect(newTextOfReply(quoted)).toBe('Thanks, that fixed it.');
    expect(newTextOfReply(`Danke!\n\nAm 30.11.2026 schrieb Support:\n> ${REPLY_ABOVE}`)).toBe('Danke!');
    expect(newTextOfReply('No quote at all.\n')).toBe('No quote at all.');
  });

  it('routes by the first recipient the desk serves', () => {
    const mailboxes = [{ address: 'support@example.com', name: 'S', productLine: 'general', problemType: 'question' }, { address: 'billing@example.com', name: 'B', productLine: 'billing', problemType: 'question' }];
    expect(mailboxFor(['cc@else.example', 'Billing@Example.com', 'support@example.com'], mailboxes)?.productLine).toBe('billing');
    expect(mailboxFor(['cc@else.example'], mailboxes)).toBeNull();
  });
});

describe('attachments', () => {
  it('makes file names safe to store and offer', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\report "final".pdf')).toBe('report _final_.pdf');
    expect(safeFileName('evil\u0000name\r\n.txt')).toBe('evilname.txt');
    expect(safeFileName('...')).toBe('attachment');
    expect(safeFileName(undefined)).toBe('attachment');
    expect(safeFileName('Überweisung – März.pdf')).toBe('Überweisung – März.pdf');
    expect([...safeFileName('a'.repeat(500))]).toHaveLength(200);
  });

  it('keeps allowed types within the size limit, and serves anything else as opaque bytes', () => {
    const limits = { maxBytes: 100, types: ['application/pdf', 'text/plain'] };
    expect(attachmentRefusal('application/pdf', 100, limits)).toBeNull();
    expect(attachmentRefusal('Text/Plain; charset=utf-8', 10, limits)).toBeNull();
    expect(attachmentRefusal('text/html', 10, limits)).toBe('its type text/html is not accepted');
    expect(attachmentRefusal('application/pdf', 101, limits)).toBe('it is larger than 100 bytes');
    expect(downloadType('text/plain; charset=utf-8', limits.types)).toBe('text/plain');
    expect(downloadType('text/html', limits.types)).toBe('application/octet-stream');
  });
});

describe('notices as mail', () => {
  it('escapes what people wrote in the HTML and starts with the reply line', () => {
    const notice = composeNotice({ kind: 'public_reply', subject: '[#7K2XQ9MPA4] <i>VPN</i>', body: 'Run <script>x()</script> & "restart"\n\nthen\ncheck', ticketId: '7K2XQ9MPA4' }, 'requester');
    expect(notice.html).toContain('<p>Run &lt;script&gt;x()&lt;/script&gt; &amp; &quot;restart&quot;</p>');
    expect(notice.html).toContain('<p>then<br>check</p>');
    expect(notice.html).toContain('<title>[#7K2XQ9MPA4] &lt;i&gt;VPN&lt;/i&gt;</title>');
    expect(notice.html).not.toMatch(/<script>|<i>/);
    expect(notice.text.startsWith(`${REPLY_ABOVE}\n\nRun <script>`)).toBe(true);
    expect(notice.autoSubmitted).toBeNull();
  });

  it('marks the acknowledgement auto-replied, the desk’s other notices auto-generated, people’s words neither', () => {
    expect(autoSubmittedOf('ticket_received')).toBe('auto-replied');
    expect(autoSubmittedOf('sla_warning')).toBe('auto-generated');
    expect(autoSubmittedOf('survey')).toBe('auto-generated');
    expect(autoSubmittedOf('public_reply')).toBeNull();
    expect(autoSubmittedOf('requester_reply')).toBeNull();
  });
});
