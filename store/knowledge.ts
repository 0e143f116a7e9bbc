// The knowledge base in MongoDB (SPEC §11). Publishing or rejecting bumps the 'knowledge' version, so every
// process's index of published articles rebuilds; drafts are not in it, so capturing one bumps nothing.
import type { Article } from '../domain/knowledge';
import type { Notification } from '../domain/notifications';
import { bulkUpdate } from './bulk';
import { insertOnce } from './insert-once';
import { Versioned } from './versions';
import type { ArticleDocument, Models } from './models';
import { queued } from './outbox';

export class KnowledgeStore {
  constructor(private readonly models: Models) {}

  async get(id: string): Promise<Article | null> {
    const doc = await this.models.Article.findById(id).lean<ArticleDocument>();
    return doc ? toArticle(doc) : null;
  }

  /** Newest first. Drafts grow with the tickets, so each status is its own query, an equality FerretDB pushes down. */
  async all(filter: { statuses?: Article['status'][]; productLine?: string } = {}): Promise<Article[]> {
    const line = filter.productLine ? { productLine: filter.productLine } : {};
    const queries = filter.statuses ? filter.statuses.map((status) => ({ status, ...line })) : [line];
    const docs = (await Promise.all(queries.map((q) => this.models.Article.find(q).lean<ArticleDocument[]>()))).flat();
    return docs.sort((a, b) => (a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a._id < b._id ? -1 : 1)).map(toArticle);
  }

  /** Idempotent: the draft's id follows from its ticket, and an existing article is left as it is. */
  async captureDraft({ id, ...fields }: Article): Promise<void> {
    await insertOnce(this.models.Article.collection, [{ _id: id, ...fields }]);
  }

  /** Records that a ticket was solved by the article; counting a ticket twice is impossible. */
  async recordUse(articleId: string, ticketId: string): Promise<boolean> {
    const result = await this.models.Article.updateOne({ _id: articleId }, { $addToSet: { usedBy: ticketId } });
    return result.matchedCount > 0;
  }

  /**
   * A reviewer's decision on a draft, as one idempotent step: the article moves from draft to the decided status,
   * the published articles' version moves, and the author's notification (keyed by article and decision) is queued.
   * Repeating the same decision, as a retry after a half-done one does, completes what is missing. Answers the
   * article as it now stands, so a status other than the decision means it was decided otherwise; null when unknown.
   */
  async review(id: string, decision: { status: 'published' | 'rejected'; reviewer: string; reason?: string; at: string }, notice: (article: Article) => Notification): Promise<Article | null> {
    const set =
      decision.status === 'published'
        ? { status: 'published', reviewer: decision.reviewer, publishedAt: decision.at, updatedAt: decision.at }
        : { status: 'rejected', reviewer: decision.reviewer, rejectReason: decision.reason ?? null, updatedAt: decision.at };
    await this.models.Article.updateOne({ _id: id, status: 'draft' }, { $set: set });
    const article = await this.get(id);
    if (article?.status !== decision.status) return article;
    // Whether an earlier attempt got this far is unknown: another bump only makes the caches reload once more.
    await this.bump();
    await insertOnce(this.models.Outbox.collection, [queued(notice(article))]);
    return article;
  }

  /** Adds or replaces articles as given (demo data, imports). */
  async put(articles: Article[]): Promise<void> {
    if (articles.length === 0) return;
    await bulkUpdate(this.models.Article.collection, articles.map(({ id, ...a }) => ({ replaceOne: { filter: { _id: id }, replacement: { _id: id, ...a }, upsert: true } })));
    await this.bump();
  }

  /** A per-process cache of something derived from the published articles, reloaded when they change. */
  published<T>(load: (articles: Article[]) => T): Versioned<T> {
    return new Versioned(this.models, 'knowledge', async () => load(await this.all({ statuses: ['published'] })));
  }

  private async bump(): Promise<void> {
    await new Versioned(this.models, 'knowledge', async () => undefined).bump();
  }
}

function toArticle({ _id, ...rest }: ArticleDocument): Article {
  return { id: _id, ...rest };
}
