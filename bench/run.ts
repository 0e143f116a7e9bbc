// `npm run bench`: measures the product on real servers and prints one table (saved under bench/results/).
// Sections: throughput, latency, sla, kpis, memory. `npm run bench -- latency kpis` runs only those.
// Starts its own stack unless TEMPORAL_ADDRESS and MONGODB_URI name running servers.
import { benchKpis } from './kpis';
import { benchLatency } from './latency';
import { startProduct, type Product } from './product';
import { report, type Figure } from './report';
import { benchSlaLateness } from './sla-lateness';
import { benchServers, type BenchServers } from './stack';
import { benchThroughput } from './throughput';

type Section = (servers: BenchServers, product: Product) => Promise<Figure[]>;

const SECTIONS: Record<string, Section> = {
  throughput: (_s, p) => benchThroughput(p),
  latency: (_s, p) => benchLatency(p),
  sla: (_s, p) => benchSlaLateness(p),
  kpis: (s) => benchKpis(s),
  memory: async (_s, p) => [{ section: 'memory', name: 'worker resident memory at the end', value: p.workerRssMiB(), unit: 'MiB', context: 'after all the sections above' }],
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SECTIONS[w]);
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const servers = await benchServers();
  const product = await startProduct(servers);
  const figures: Figure[] = [];
  try {
    for (const [name, run] of Object.entries(SECTIONS)) {
      if (wanted.length && !wanted.includes(name)) continue;
      console.log(`[bench] ${name}…`);
      const section = await run(servers, product);
      for (const f of section) console.log(`[bench]   ${f.name}: ${f.value.toFixed(2)} ${f.unit} ${f.note ?? ''}`);
      figures.push(...section);
    }
  } finally {
    await product.stop();
    await servers.stop();
  }
  console.log(report(figures, 'Support tickets benchmark').markdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
