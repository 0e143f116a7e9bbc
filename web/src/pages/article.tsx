// One knowledge article (requesters read published ones). Its text is shown as text.
import { getArticle } from '../api/knowledge';
import { Loading, Page } from '../components/page';
import { ProblemAlert } from '../components/problem';
import { Time } from '../components/ticket-bits';
import { useResource } from '../hooks';
import type { PageProps } from '../routes';

export function ArticlePage({ params }: PageProps) {
  const article = useResource((signal) => getArticle(params.id!, signal), [params.id]);
  const a = article.data;
  return (
    <Page title={a ? a.title : 'Knowledge article'}>
      {article.loading && !a && <Loading what="the article" />}
      <ProblemAlert error={article.error} />
      {a && (
        <article class="article">
          <p class="meta">
            Article {a.id}
            {a.publishedAt && (
              <>
                {' '}
                · published <Time iso={a.publishedAt} />
              </>
            )}
          </p>
          <h2>Problem</h2>
          <p class="prose">{a.problem}</p>
          <h2>Symptoms</h2>
          <p class="prose">{a.symptoms}</p>
          <h2>Cause</h2>
          <p class="prose">{a.cause}</p>
          <h2>Solution</h2>
          <p class="prose">{a.solution}</p>
        </article>
      )}
      <p>
        <button type="button" class="button-link" onClick={() => history.back()}>
          Back
        </button>
      </p>
    </Page>
  );
}
