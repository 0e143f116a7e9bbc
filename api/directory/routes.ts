// The desk's directory for staff (read-only): its groups and its agents, so the console can offer "transfer to a
// group" and "add a collaborator" as choices instead of asking for ids. Admins edit both through /admin/groups and
// /admin/agents; this read carries only what picking a group or a colleague needs (no email addresses, loads or
// routing rules). Requesters and the mail gateway may not read it.
import type { ApiDeps } from '../deps';
import { defineRoute } from '../http/routes';
import { directoryResource, type Directory } from './schemas';

export function directoryRoutes({ deskConfig }: ApiDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/directory',
      summary: 'The desk’s groups and agents, to transfer a ticket to a group or add a collaborator (staff)',
      tags: ['tickets'],
      roles: ['agent', 'supervisor', 'admin'],
      responses: { 200: { description: 'Groups by tier then name, agents by name', schema: directoryResource } },
      async handle() {
        const [groups, agents] = await Promise.all([deskConfig.groups(), deskConfig.agents()]);
        // Allow-lists: a field added to groups or agents stays out of this answer until it is added here.
        const body: Directory = {
          groups: [...groups]
            .sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name))
            .map((g) => ({ id: g.id, name: g.name, tier: g.tier, escalationTarget: g.escalationTarget })),
          agents: [...agents]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((a) => ({ id: a.id, name: a.name, groups: [...a.groups], skills: [...a.skills], available: a.available })),
        };
        return { status: 200, body };
      },
    }),
  ];
}
