// Admin: the desk's groups (SPEC §8): tier and escalation target. The API refuses an escalation chain that loops,
// a target that does not exist, and removing a group agents, rules or canned replies still use.
import { getConfig, type ConfigItem } from '../../api/admin';
import { ConfigTabs } from '../../components/config-tabs';
import { Select, TextField } from '../../components/fields';
import { ListEditor } from '../../components/list-editor';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useResource } from '../../hooks';

type Group = ConfigItem<'groups'>;
interface GroupForm {
  id: string;
  name: string;
  tier: string;
  escalationTarget: string;
}

export function GroupsPage() {
  const groups = useResource((signal) => getConfig('groups', signal), []);
  return (
    <Page title="Configuration: groups">
      <ConfigTabs current="groups" />
      <p class="hint">Groups take tickets by tier (1 first line, 3 experts); escalation moves a ticket to the group's escalation target, one tier up.</p>
      <ProblemAlert error={groups.error} />
      {groups.loading && !groups.data && <Loading what="the groups" />}
      {groups.data && (
        <ListEditor<Group, GroupForm>
          kind="groups"
          title="Groups"
          noun="group"
          items={groups.data}
          toForm={(g) => ({ id: g.id, name: g.name, tier: String(g.tier), escalationTarget: g.escalationTarget ?? '' })}
          toApi={(f) => ({ id: f.id, name: f.name, tier: Number(f.tier), escalationTarget: f.escalationTarget || null })}
          blank={() => ({ id: '', name: '', tier: '1', escalationTarget: '' })}
          name={(f) => f.id}
          fields={['id', 'name', 'tier', 'escalationTarget']}
          renderItem={({ item, all, update, problem }) => {
            const others = all.filter((g) => g !== item && g.id);
            const targets = others.map((g) => ({ value: g.id, label: `${g.name || g.id} (${g.id})` }));
            // A target no longer in the list still shows, so the API's complaint about it has a field to sit at.
            if (item.escalationTarget && !others.some((g) => g.id === item.escalationTarget)) targets.push({ value: item.escalationTarget, label: `${item.escalationTarget} (not in the list)` });
            return (
              <>
                <TextField label="Id" hint="Letters, digits, _ . -" value={item.id} onValue={(id) => update({ id })} error={problem('id')} required />
                <TextField label="Name" value={item.name} onValue={(name) => update({ name })} error={problem('name')} required />
                <Select label="Tier" value={item.tier} onValue={(tier) => update({ tier })} options={['1', '2', '3'].map((t) => ({ value: t, label: `Tier ${t}` }))} error={problem('tier')} />
                <Select label="Escalates to" value={item.escalationTarget} onValue={(escalationTarget) => update({ escalationTarget })} placeholder="Nobody (top of the chain)" options={targets} error={problem('escalationTarget')} />
              </>
            );
          }}
        />
      )}
    </Page>
  );
}
