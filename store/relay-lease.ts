// One change relay at a time: the process holding the lease delivers and folds the pending changes, in numbered
// batches, and records how far it got, so a relay that takes over redoes an unfinished batch and nothing else.
// The lease is renewed with each batch begun, and at least every half lease while idle.
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from './insert-once';
import type { Models, RelayLeaseDocument } from './models';

export interface Leadership {
  leading: boolean;
  /** On taking over: a batch the previous leader began and did not finish, to redo. */
  redo: number | null;
}

export class RelayLease {
  private leading = false;
  private until = 0;
  private batch = 0;

  constructor(
    private readonly models: Models,
    private readonly leaseMs: number,
    private readonly name = 'changes',
    private readonly me = randomUUID(),
  ) {}

  private get leases() {
    return this.models.RelayLease.collection;
  }

  /** Takes or renews the lease when it is due; free while more than half of it is left. */
  async hold(now = Date.now()): Promise<Leadership> {
    if (this.leading && this.until - now > this.leaseMs / 2) return { leading: true, redo: null };
    const until = now + this.leaseMs;
    try {
      const doc = (await this.leases.findOneAndUpdate(
        { _id: this.name as never, $or: [{ leader: this.me }, { leaseUntil: { $lt: new Date(now).toISOString() } }] },
        { $set: { leader: this.me, leaseUntil: new Date(until).toISOString() }, $setOnInsert: { batch: 0, finished: true } },
        { upsert: true, returnDocument: 'after' },
      )) as unknown as RelayLeaseDocument | null;
      if (!doc) return this.lost();
      const takingOver = !this.leading;
      this.leading = true;
      this.until = until;
      this.batch = doc.batch;
      return { leading: true, redo: takingOver && !doc.finished ? doc.batch : null };
    } catch (err) {
      // Another relay holds a lease that has not run out: the upsert met its document.
      if (isDuplicateKey(err)) return this.lost();
      throw err;
    }
  }

  /** Begins the next batch (renewing the lease), which also says the one before finished; null when another relay took over meanwhile. */
  async begin(now = Date.now()): Promise<number | null> {
    const next = this.batch + 1;
    const until = now + this.leaseMs;
    const result = await this.leases.updateOne({ _id: this.name as never, leader: this.me, batch: this.batch }, { $set: { batch: next, finished: false, leaseUntil: new Date(until).toISOString() } });
    if (result.modifiedCount !== 1) {
      this.lost();
      return null;
    }
    this.batch = next;
    this.until = until;
    return next;
  }

  async finish(batch: number): Promise<void> {
    await this.leases.updateOne({ _id: this.name as never, leader: this.me, batch }, { $set: { finished: true } });
  }

  /** Lets another relay take over at once (a clean stop). */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.leases.updateOne({ _id: this.name as never, leader: this.me }, { $set: { leaseUntil: new Date(0).toISOString() } });
  }

  private lost(): Leadership {
    this.leading = false;
    return { leading: false, redo: null };
  }
}
