// Canned replies (GET /canned-replies): an agent's groups' and everyone's; supervisors and admins get all.
import type { CannedReply } from '../../../domain/desk';
import { request } from './client';

export type { CannedReply };

export const getCannedReplies = (signal?: AbortSignal) => request<{ items: CannedReply[] }>('GET', '/canned-replies', { signal });
