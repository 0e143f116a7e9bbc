// Admin: canned replies (macros) agents start a reply from, for one group's agents or for everyone; in the order
// agents see them.
import { getConfig, type ConfigItem } from '../../api/admin';
import { ConfigTabs } from '../../components/config-tabs';
import { Select, TextArea, TextField } from '../../components/fields';
import { ListEditor } from '../../components/list-editor';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useResource } from '../../hooks';

type Reply = ConfigItem<'canned-replies'>;
interface ReplyForm {
  id: string;
  title: string;
  body: string;
  group: string;
}

export function CannedRepliesPage() {
  const replies = useResource((signal) => getConfig('canned-replies', signal), []);
  const groups = useResource((signal) => getConfig('groups', signal), []);
  const ready = replies.data && groups.data;
  return (
    <Page title="Configuration: canned replies">
      <ConfigTabs current="canned-replies" />
      <p class="hint">Agents pick one in the reply box and edit it before sending. A reply for one group is offered to that group's agents only.</p>
      <ProblemAlert error={replies.error ?? groups.error} />
      {!ready && (replies.loading || groups.loading) && <Loading what="the canned replies" />}
      {ready && (
        <ListEditor<Reply, ReplyForm>
          kind="canned-replies"
          title="Canned replies"
          noun="canned reply"
          ordered
          items={replies.data!}
          toForm={(r) => ({ id: r.id, title: r.title, body: r.body, group: r.group ?? '' })}
          toApi={(f) => ({ id: f.id, title: f.title, body: f.body, group: f.group || null })}
          blank={() => ({ id: '', title: '', body: '', group: '' })}
          name={(f) => f.id}
          fields={['id', 'title', 'body', 'group']}
          renderItem={({ item, update, problem }) => {
            const options = groups.data!.map((g) => ({ value: g.id, label: `${g.name} (${g.id})` }));
            if (item.group && !options.some((o) => o.value === item.group)) options.push({ value: item.group, label: `${item.group} (not a group)` });
            return (
              <>
                <TextField label="Id" hint="Letters, digits, _ . -" value={item.id} onValue={(id) => update({ id })} error={problem('id')} required />
                <TextField label="Title" value={item.title} onValue={(title) => update({ title })} error={problem('title')} required />
                <Select label="For" value={item.group} onValue={(group) => update({ group })} placeholder="Every group" options={options} error={problem('group')} />
                <div class="config-wide">
                  <TextArea label="Reply" rows={4} value={item.body} onValue={(body) => update({ body })} error={problem('body')} required />
                </div>
              </>
            );
          }}
        />
      )}
    </Page>
  );
}
