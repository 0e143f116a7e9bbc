// What encrypting payloads costs (issue 15; README, "Privacy"): full ticket lifecycles through the HTTP API with the
// payload codec on and with it off (PAYLOAD_ENCRYPTION=off), on the same servers in the same run. Each side is a
// fresh product (its own worker, API and database), and both run at once, half the concurrency each, so whatever
// else loads the machine meanwhile falls on both alike; two such rounds, averaged.
import { PAYLOAD_KEYS_COLLECTION } from '../store/keys';
import { startProduct } from './product';
import type { Figure } from './report';
import type { BenchServers } from './stack';
import { CONCURRENCY, lifecycle, rate, SECONDS } from './throughput';

const TARGET = 0.95;
const ROUNDS = 2;
const HALF = Math.max(1, Math.round(CONCURRENCY / 2));

export async function benchCodec(servers: BenchServers): Promise<Figure[]> {
  const on = await startProduct(servers, { encryption: true });
  const off = await startProduct(servers, { encryption: false }).catch(async (err: unknown) => {
    await on.stop();
    throw err;
  });
  try {
    const rates = { on: [] as number[], off: [] as number[] };
    const failed = { on: 0, off: 0 };
    let n = 0;
    // A lifecycle refused under load (a 503 after UPDATE_TIMEOUT) must not end the run: it is counted and reported.
    const run = (side: 'on' | 'off') => rate(() => lifecycle(side === 'on' ? on : off, n++).catch(() => void failed[side]++), HALF);
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await Promise.all([run('on'), run('off')]);
      rates.on.push(a);
      rates.off.push(b);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [withCodec, without] = [mean(rates.on), mean(rates.off)];
    const keys = await on.db.connection.db!.collection(PAYLOAD_KEYS_COLLECTION).countDocuments();
    const refused = failed.on + failed.off ? `; lifecycles refused (counted above): on ${failed.on}, off ${failed.off}` : '';
    const context = `${HALF} + ${HALF} concurrent (on and off at once), ${ROUNDS} rounds of ${SECONDS} s: on ${rates.on.map((r) => r.toFixed(2)).join(', ')}, off ${rates.off.map((r) => r.toFixed(2)).join(', ')}${refused}`;
    return [
      { section: 'codec', name: 'full lifecycles with payload encryption on', value: withCodec, unit: 'lifecycles/s', context: `${context}; ${keys} payload keys made` },
      { section: 'codec', name: 'full lifecycles with payload encryption off', value: without, unit: 'lifecycles/s', context },
      { section: 'codec', name: 'lifecycle rate, codec on ÷ off', value: withCodec / without, unit: '×', note: `target ≥ ${TARGET}: ${withCodec / without >= TARGET ? 'met' : 'MISSED'}`, context, ratio: 'codecOnVsOff' },
    ];
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
}
