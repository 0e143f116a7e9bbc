// The shape of GET /directory (api/directory/routes.ts). Kept apart from the route so the browser console (web/)
// can import the types without the server's dependencies.
import { z } from 'zod';

export const directoryResource = z.object({
  groups: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tier: z.number().int(),
      escalationTarget: z.string().nullable().describe('where escalating from this group goes (POST /tickets/{id}/escalate without toGroup)'),
    }),
  ),
  agents: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      groups: z.array(z.string()),
      skills: z.array(z.string()),
      available: z.boolean(),
    }),
  ),
});
export type Directory = z.infer<typeof directoryResource>;
