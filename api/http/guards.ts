// Protections in front of every route (OWASP API4): a rate limit per client and a cap on JSON nesting.
import type { IncomingMessage } from 'node:http';
import { badRequest, HttpProblem } from './problem';

/** Token bucket per client: `rate` requests a second on average, bursts up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one request (or what `cost` says it weighs) from the client's bucket, or refuses with 429 and the seconds to wait. */
  take(client: string, cost = 1): void {
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (bucket.tokens < cost) {
      this.buckets.set(client, bucket);
      const retryAfter = Math.max(1, Math.ceil((cost - bucket.tokens) / this.rate));
      throw new HttpProblem(429, `too many requests: at most ${this.rate} a second (bursts of ${this.burst})`, undefined, { 'Retry-After': String(retryAfter) });
    }
    bucket.tokens -= cost;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 50_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) if (now - bucket.at > (this.burst / this.rate) * 1000) this.buckets.delete(client);
  }
}

export const MAX_JSON_DEPTH = 32;

/** express.json's verify hook: refuses bodies nested deeper than MAX_JSON_DEPTH before they are parsed. */
export function limitJsonDepth(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw badRequest(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
