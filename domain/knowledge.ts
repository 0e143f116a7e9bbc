// Knowledge capture (SPEC §11): a new solution becomes a draft article; a reused one counts another use.
import type { Ticket } from './ticket';

export const ARTICLE_STATUSES = ['draft', 'published', 'rejected'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export interface Article {
  id: string;
  title: string;
  problem: string;
  symptoms: string;
  cause: string;
  solution: string;
  productLine: string;
  module: string | null;
  tags: string[];
  /** Tickets the article came from. */
  sourceTickets: string[];
  /** Tickets it solved (including self-service); its use count is their number. */
  usedBy: string[];
  status: ArticleStatus;
  author: string;
  reviewer: string | null;
  rejectReason: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** The draft a ticket's new solution becomes; its id follows from the ticket, so capturing twice is harmless. */
export function draftFromTicket(ticket: Ticket, at: string): Article {
  const resolution = ticket.resolution!;
  const symptom = ticket.fields.symptom;
  return {
    id: articleIdFor(ticket.id),
    title: ticket.title,
    problem: ticket.description,
    symptoms: typeof symptom === 'string' ? symptom : ticket.description,
    cause: resolution.rootCause,
    solution: `${resolution.summary}\n\n${resolution.steps}`,
    productLine: ticket.productLine,
    module: ticket.module,
    tags: [ticket.problemType, ...(ticket.module ? [ticket.module] : [])],
    sourceTickets: [ticket.id],
    usedBy: [],
    status: 'draft',
    author: resolution.resolvedBy,
    reviewer: null,
    rejectReason: null,
    createdAt: at,
    updatedAt: at,
    publishedAt: null,
  };
}

export const articleIdFor = (ticketId: string) => `KB-${ticketId}`;
