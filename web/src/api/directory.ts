// The desk's groups and agents (GET /directory, staff): names for ids, and what "assign", "transfer to a group" and
// "add a collaborator" offer.
import type { Directory } from '../../../api/directory/schemas';
import { request } from './client';

export type { Directory };
export type DirectoryGroup = Directory['groups'][number];
export type DirectoryAgent = Directory['agents'][number];

export const getDirectory = (signal?: AbortSignal) => request<Directory>('GET', '/directory', { signal });

/** A group's name, or its id while the directory is not there (or does not know it). */
export const groupName = (directory: Directory | undefined, id: string) => directory?.groups.find((g) => g.id === id)?.name ?? id;

/** An agent's name, or their id. */
export const agentName = (directory: Directory | undefined, id: string) => directory?.agents.find((a) => a.id === id)?.name ?? id;
