// Admin: the desk's agents (SPEC §6): their groups, skills (matched against routing rules' skills) and whether
// they take new tickets now.
import { getConfig, type ConfigItem } from '../../api/admin';
import { ConfigTabs } from '../../components/config-tabs';
import { Checkbox, TextField } from '../../components/fields';
import { ListEditor } from '../../components/list-editor';
import { Loading, Page } from '../../components/page';
import { ProblemAlert } from '../../components/problem';
import { useResource } from '../../hooks';

type Agent = ConfigItem<'agents'>;
interface AgentForm {
  id: string;
  name: string;
  email: string;
  groups: string[];
  skills: string;
  available: boolean;
}

const words = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

export function AgentsPage() {
  const agents = useResource((signal) => getConfig('agents', signal), []);
  const groups = useResource((signal) => getConfig('groups', signal), []);
  const ready = agents.data && groups.data;
  return (
    <Page title="Configuration: agents">
      <ConfigTabs current="agents" />
      <p class="hint">Dispatch gives a group's ticket to its available agent with the skills the routing rule asks for and the fewest open tickets.</p>
      <ProblemAlert error={agents.error ?? groups.error} />
      {!ready && (agents.loading || groups.loading) && <Loading what="the agents" />}
      {ready && (
        <ListEditor<Agent, AgentForm>
          kind="agents"
          title="Agents"
          noun="agent"
          items={agents.data!}
          toForm={(a) => ({ id: a.id, name: a.name, email: a.email ?? '', groups: [...a.groups], skills: a.skills.join(', '), available: a.available })}
          toApi={(f) => ({ id: f.id, name: f.name, ...(f.email.trim() ? { email: f.email.trim() } : {}), groups: f.groups, skills: words(f.skills), available: f.available })}
          blank={() => ({ id: '', name: '', email: '', groups: [], skills: '', available: true })}
          name={(f) => f.id}
          fields={['id', 'name', 'email', 'groups', 'skills', 'available']}
          renderItem={({ item, update, problem }) => {
            const groupsError = problem('groups');
            const known = groups.data!.map((g) => g.id);
            const shown = [...known, ...item.groups.filter((g) => !known.includes(g))];
            return (
              <>
                <TextField label="Id" hint="Their user id when they sign in" value={item.id} onValue={(id) => update({ id })} error={problem('id')} required />
                <TextField label="Name" value={item.name} onValue={(name) => update({ name })} error={problem('name')} required />
                <TextField label="Email" type="email" hint="Where their notices go (optional)" value={item.email} onValue={(email) => update({ email })} error={problem('email')} />
                <TextField label="Skills" hint="Separated by commas" value={item.skills} onValue={(skills) => update({ skills })} error={problem('skills')} />
                <fieldset class={groupsError ? 'checks field-invalid' : 'checks'}>
                  <legend>Groups</legend>
                  {shown.map((g) => (
                    <Checkbox key={g} label={g} checked={item.groups.includes(g)} onChecked={(on) => update({ groups: on ? [...item.groups, g] : item.groups.filter((x) => x !== g) })} />
                  ))}
                  {groupsError && <p class="field-error">{groupsError}</p>}
                </fieldset>
                <Checkbox label="Takes new tickets" checked={item.available} onChecked={(available) => update({ available })} error={problem('available')} />
              </>
            );
          }}
        />
      )}
    </Page>
  );
}
