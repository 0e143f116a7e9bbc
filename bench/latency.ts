// API latency under a steady load from a standard tool (autocannon): POST /tickets at 20 requests/s and
// GET /tickets/:id at 200 requests/s.
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
  const post = await load({ url: `${product.base}/tickets`, method: 'POST', headers, body: JSON.stringify(ticketBody('latency')), connections: 10, overallRate: 20, duration: SECONDS });
  const ticket = (await (await fetch(`${product.base}/tickets`, { method: 'POST', headers, body: JSON.stringify(ticketBody('read')) })).json()) as { id: string };
  const get = await load({ url: `${product.base}/tickets/${ticket.id}`, headers, connections: 20, overallRate: 200, duration: SECONDS });
  const tickets = await product.db.models.Ticket.estimatedDocumentCount();
  const figure = (name: string, r: autocannon.Result, target: number): Figure[] => [
    { section: 'latency', name: `${name} p50`, value: r.latency.p50, unit: 'ms', context: `${r.requests.average} req/s for ${SECONDS} s; ${r.non2xx} non-2xx; ${tickets} tickets stored` },
    { section: 'latency', name: `${name} p99`, value: r.latency.p99, unit: 'ms', note: `target < ${target} ms: ${r.latency.p99 < target ? 'met' : 'MISSED'}`, context: `${r.errors} errors, ${r.timeouts} timeouts` },
  ];
  return [...figure('POST /tickets at 20/s', post, 150), ...figure('GET /tickets/:id at 200/s', get, 30)];
}
