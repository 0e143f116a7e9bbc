// Admin: the addresses the desk receives mail for (the SMTP intake and POST /channels/email): where a new
// ticket from each goes (product line) and which template it follows (problem type).
import { getConfig, type ConfigItem } from '../../api/admin';
import { getIntakeCatalogue } from '../../api/intake';
import { ConfigTabs } from '../../components/config-tabs';
import { Select, TextField } from '../../components/fields';
import { ListEditor } from '../../components/list-editor';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useResource } from '../../hooks';

type Mailbox = ConfigItem<'mailboxes'>;

export function MailboxesPage() {
  const mailboxes = useResource((signal) => getConfig('mailboxes', signal), []);
  const catalogue = useResource((signal) => getIntakeCatalogue(signal), []);
  const ready = mailboxes.data && catalogue.data;
  return (
    <Page title="Configuration: mailboxes">
      <ConfigTabs current="mailboxes" />
      <p class="hint">Mail to an address not listed here is refused by the mail intake. Product lines known to routing and SLA policies: {catalogue.data?.productLines.join(', ') ?? '…'}.</p>
      <ProblemAlert error={mailboxes.error ?? catalogue.error} />
      {!ready && (mailboxes.loading || catalogue.loading) && <Loading what="the mailboxes" />}
      {ready && (
        <ListEditor<Mailbox, Mailbox>
          kind="mailboxes"
          title="Mailboxes"
          noun="mailbox"
          items={mailboxes.data!}
          toForm={(m) => ({ ...m })}
          toApi={(m) => m}
          blank={() => ({ address: '', name: '', productLine: '', problemType: '' })}
          name={(m) => m.address}
          fields={['address', 'name', 'productLine', 'problemType']}
          renderItem={({ item, update, problem }) => {
            const types = catalogue.data!.items.map((t) => ({ value: t.problemType, label: t.name }));
            if (item.problemType && !types.some((t) => t.value === item.problemType)) types.push({ value: item.problemType, label: `${item.problemType} (no template)` });
            return (
              <>
                <TextField label="Address" type="email" value={item.address} onValue={(address) => update({ address })} error={problem('address')} required />
                <TextField label="Name" value={item.name} onValue={(name) => update({ name })} error={problem('name')} required />
                <TextField label="Product line" value={item.productLine} onValue={(productLine) => update({ productLine })} error={problem('productLine')} required />
                <Select label="Problem type" value={item.problemType} onValue={(problemType) => update({ problemType })} placeholder="Choose a template" options={types} error={problem('problemType')} required />
              </>
            );
          }}
        />
      )}
    </Page>
  );
}
