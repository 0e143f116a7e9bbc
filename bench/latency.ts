// API latency under a steady load from a standard tool (autocannon): POST /tickets at 20 requests/s and
// GET /tickets/:id at 200 requests/s, each against its baseline at the same rate on the same servers: a minimal
// route doing a bare update-with-start, and one verifying the same JWT and reading one document by _id
// (bench/baseline-api.ts).
import autocannon from 'autocannon';
import type { Product } from './product';
import type { Figure } from './report';
import { ticketBody } from './throughput';

const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function benchLatency(product: Product): Promise<Figure[]> {
  const requester = product.token('latency-customer', 'requester');
  const headers = { authorization: `Bearer ${requester}`, 'content-type': 'application/json' };
  const bareStart = await load({ url: `${product.bareBase}/open`, method: 'POST', headers, body: '{}', connections: 10, overallRate: 20, duration: SECONDS });
  const post = await load({ url: `${product.base}/tickets`, method: 'POST', headers, body: JSON.stringify(ticketBody('latency')), connections: 10, overallRate: 20, duration: SECONDS });
  const ticket = (await (await fetch(`${product.base}/tickets`, { method: 'POST', headers, body: JSON.stringify(ticketBody('read')) })).json()) as { id: string };
  const bareRead = await load({ url: `${product.bareBase}/tickets/${ticket.id}`, headers, connections: 20, overallRate: 200, duration: SECONDS });
  const get = await load({ url: `${product.base}/tickets/${ticket.id}`, headers, connections: 20, overallRate: 200, duration: SECONDS });
  const tickets = await product.db.models.Ticket.estimatedDocumentCount();
  const figure = (name: string, r: autocannon.Result, bare: autocannon.Result, ratio: string): Figure[] => [
    { section: 'latency', name: `${name} p50`, value: r.latency.p50, unit: 'ms', context: `${r.requests.average} req/s for ${SECONDS} s; ${r.non2xx} non-2xx; ${tickets} tickets stored` },
    { section: 'latency', name: `${name} p99`, value: r.latency.p99, unit: 'ms', context: `${r.errors} errors, ${r.timeouts} timeouts` },
    { section: 'latency', name: `${name} p99, baseline route`, value: bare.latency.p99, unit: 'ms', context: `p50 ${bare.latency.p50} ms; ${bare.requests.average} req/s; ${bare.non2xx} non-2xx, ${bare.errors} errors` },
    { section: 'latency', name: `${name} p99 ÷ baseline p99`, value: r.latency.p99 / bare.latency.p99, unit: '×', note: `target ≤ 1.5: ${r.latency.p99 / bare.latency.p99 <= 1.5 ? 'met' : 'MISSED'}`, ratio },
  ];
  return [...figure('POST /tickets at 20/s', post, bareStart, 'postP99VsBareStart'), ...figure('GET /tickets/:id at 200/s', get, bareRead, 'getP99VsBareRead')];
}
