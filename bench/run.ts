// `npm run bench`: measures the product on real servers and prints one table (saved under bench/results/).
// Sections: kpis. Pass section names to run only some: `npm run bench -- kpis`.
import { benchKpis } from './kpis';
import { report, type Figure } from './report';
import { benchServers } from './stack';

const SECTIONS: Record<string, (servers: Awaited<ReturnType<typeof benchServers>>) => Promise<Figure[]>> = {
  kpis: (s) => benchKpis(s),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SECTIONS[w]);
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const servers = await benchServers();
  const figures: Figure[] = [];
  try {
    for (const [name, run] of Object.entries(SECTIONS)) {
      if (wanted.length && !wanted.includes(name)) continue;
      console.log(`[bench] ${name}…`);
      figures.push(...(await run(servers)));
    }
  } finally {
    await servers.stop();
  }
  console.log(report(figures, 'Support tickets benchmark').markdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
