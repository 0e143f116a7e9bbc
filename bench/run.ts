// `npm run bench`: measures the product on real servers and prints one table (saved under bench/results/).
// Sections: throughput, latency, sla, kpis, queues, flat, codec, browser, memory. `npm run bench -- latency kpis` runs only those.
// Runs every section on the Temporal dev server, then on the full server (cluster), and prints the two columns
// side by side with their ratio; `--dev` or `--cluster` runs one. TEMPORAL_ADDRESS and MONGODB_URI: use those.
import { benchBrowser } from './browser';
import { benchCodec } from './codec';
import { benchFlat } from './flat';
import { benchKpis } from './kpis';
import { benchLatency } from './latency';
import { benchQueues } from './queues';
import { startProduct, type Product } from './product';
import { report, type Column, type Figure } from './report';
import { benchSlaLateness } from './sla-lateness';
import { benchServers, givenServers, SERVER_LABELS, type BenchServers, type ServerKind } from './stack';
import { benchThroughput } from './throughput';

type Section = (servers: BenchServers, product: Product) => Promise<Figure[]>;

const SECTIONS: Record<string, Section> = {
  throughput: (_s, p) => benchThroughput(p),
  latency: (_s, p) => benchLatency(p),
  sla: (_s, p) => benchSlaLateness(p),
  kpis: (s) => benchKpis(s),
  queues: (s) => benchQueues(s),
  flat: (s) => benchFlat(s),
  codec: (s) => benchCodec(s),
  browser: (_s, p) => benchBrowser(p),
  memory: async (_s, p) => [
    { section: 'memory', name: 'worker resident memory at the end', value: p.workerRssMiB(), unit: 'MiB', context: `after the sections above; WORKER_CACHED_WORKFLOWS: ${p.cachedWorkflows}`, ratio: 'workerRssMiB' },
  ],
};

/** What is running now, so Ctrl-C stops it instead of leaving servers behind. */
let running: { servers?: BenchServers; product?: Product } = {};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SECTIONS[w]);
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const kinds: ServerKind[] = args.includes('--dev') ? ['dev'] : args.includes('--cluster') ? ['cluster'] : ['dev', 'cluster'];
  const given = givenServers();

  const columns: Column[] = [];
  for (const kind of given ? [null] : kinds) {
    console.log(`[bench] on the ${kind ? SERVER_LABELS[kind] : SERVER_LABELS.given}`);
    const servers = given ?? (await benchServers(kind!));
    running = { servers };
    const product = (running.product = await startProduct(servers));
    const figures: Figure[] = [];
    try {
      for (const [name, run] of Object.entries(SECTIONS)) {
        if (wanted.length && !wanted.includes(name)) continue;
        console.log(`[bench] ${servers.label}: ${name}…`);
        const section = await run(servers, product);
        for (const f of section) console.log(`[bench]   ${f.name}: ${f.value.toFixed(2)} ${f.unit} ${f.note ?? ''}`);
        figures.push(...section);
      }
    } finally {
      await product.stop();
      await servers.stop();
      running = {};
    }
    columns.push({ label: servers.label, figures });
  }
  console.log(report(columns, 'Support tickets benchmark').markdown);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`[bench] ${signal}: stopping the servers`);
    void (async () => {
      await running.product?.stop().catch(() => undefined);
      await running.servers?.stop().catch(() => undefined);
      process.exit(130);
    })();
  });
}

main().catch(async (err) => {
  console.error(err);
  await running.servers?.stop().catch(() => undefined);
  process.exit(1);
});
