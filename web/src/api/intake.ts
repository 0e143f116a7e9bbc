// What a new ticket must say: the problem types' templates and the product lines (GET /templates).
import { request } from './client';
import type { IntakeCatalogue } from './types';

export const getIntakeCatalogue = (signal?: AbortSignal) => request<IntakeCatalogue>('GET', '/templates', { signal });
