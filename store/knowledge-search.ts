// Ranked search over the knowledge base. The MongoDB-wire server here has no text index (SPEC §18), so
// articles are ranked in TypeScript with MiniSearch (BM25). Each process keeps an index of the published
// articles and rebuilds it when one is published or rejected; staff searches across drafts build one on the spot.
import MiniSearch from 'minisearch';
import type { Article } from '../domain/knowledge';
import type { Suggestion, Ticket } from '../domain/ticket';
import type { KnowledgeStore } from './knowledge';
import type { Versioned } from './versions';

const STOP_WORDS = new Set(
  'a an and are as at be but by can cannot do does for from has have how i if in into is it its me my no not of on or our so than that the their then there these they this to up was we were what when where which while who why will with you your'.split(' '),
);

/** The smallest relevance a suggestion must reach: below it the match is a stray common word. */
export const MIN_SUGGESTION_SCORE = 3;

type Indexed = Pick<Article, 'id' | 'title' | 'problem' | 'symptoms' | 'solution' | 'productLine' | 'module' | 'status'> & { tags: string };

export interface Hit {
  id: string;
  title: string;
  score: number;
}

export class KnowledgeSearch {
  private readonly published: Versioned<MiniSearch<Indexed>>;

  constructor(private readonly knowledge: KnowledgeStore) {
    this.published = knowledge.published(buildIndex);
  }

  /** Up to `limit` published articles for a new ticket, most relevant first; its product line and module weigh in. */
  async suggest(ticket: Pick<Ticket, 'title' | 'description' | 'productLine' | 'module'>, limit = 3): Promise<Suggestion[]> {
    const index = await this.published.get();
    const results = index.search(`${ticket.title} ${ticket.description}`, {
      boostDocument: (_id, _term, stored) => (stored?.productLine === ticket.productLine ? 2 : 0.5) * (ticket.module && stored?.module === ticket.module ? 1.5 : 1),
    });
    return results
      .filter((r) => r.score >= MIN_SUGGESTION_SCORE)
      .slice(0, limit)
      .map((r) => ({ articleId: String(r.id), title: String(r.title), score: round(r.score) }));
  }

  /** Articles matching a query among the given statuses (and product line), most relevant first. */
  async search(query: string, filter: { statuses: Article['status'][]; productLine?: string }): Promise<Hit[]> {
    const publishedOnly = filter.statuses.length === 1 && filter.statuses[0] === 'published';
    const index = publishedOnly ? await this.published.get() : buildIndex(await this.knowledge.all({ statuses: filter.statuses }));
    return index
      .search(query, { filter: (r) => !filter.productLine || r.productLine === filter.productLine })
      .map((r) => ({ id: String(r.id), title: String(r.title), score: round(r.score) }));
  }
}

function buildIndex(articles: Article[]): MiniSearch<Indexed> {
  const index = new MiniSearch<Indexed>({
    fields: ['title', 'problem', 'symptoms', 'solution', 'tags'],
    storeFields: ['title', 'status', 'productLine', 'module'],
    processTerm: (term) => {
      const word = term.toLowerCase();
      return word.length < 2 || STOP_WORDS.has(word) ? null : word;
    },
    searchOptions: { boost: { title: 3, symptoms: 2, tags: 2, problem: 1.5 }, prefix: true, fuzzy: 0.15, combineWith: 'OR' },
  });
  index.addAll(articles.map((a) => ({ id: a.id, title: a.title, problem: a.problem, symptoms: a.symptoms, solution: a.solution, productLine: a.productLine, module: a.module, status: a.status, tags: a.tags.join(' ') })));
  return index;
}

const round = (score: number) => Math.round(score * 100) / 100;
