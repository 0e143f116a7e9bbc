// Shared data that changes rarely (the desk's configuration, the published knowledge) is cached in each
// process and reloaded when its version moves. The version itself is read at most once a second per process
// and kind: on the local MongoDB-wire server every command costs milliseconds. A change made in this process
// is seen at once; one made in another process within a second.
import type { Models } from './models';

const CHECK_EVERY_MS = 1_000;

/** Version reads shared by every cache of the same data in this process (the API's and the worker's alike). */
const checks = new Map<string, { version: number; at: number }>();

export class Versioned<T> {
  private cached: { version: number; value: T } | null = null;
  private loading: Promise<T> | null = null;

  constructor(
    private readonly models: Models,
    private readonly kind: string,
    private readonly load: () => Promise<T>,
  ) {}

  private get key(): string {
    return `${this.models.Version.db.name}/${this.kind}`;
  }

  async get(): Promise<T> {
    const version = await this.version();
    if (this.cached?.version === version) return this.cached.value;
    this.loading ??= this.load()
      .then((value) => {
        // Read after the version, so a change made meanwhile shows at the next call at worst.
        this.cached = { version, value };
        return value;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Call after changing the data, so every process reloads it. */
  async bump(): Promise<void> {
    await this.models.Version.collection.updateOne({ _id: this.kind as never }, { $inc: { version: 1 } }, { upsert: true });
    checks.delete(this.key);
  }

  private async version(): Promise<number> {
    const known = checks.get(this.key);
    if (known && Date.now() - known.at < CHECK_EVERY_MS) return known.version;
    const found = await this.models.Version.collection.findOne({ _id: this.kind as never });
    const version = (found?.version as number | undefined) ?? 0;
    checks.set(this.key, { version, at: Date.now() });
    return version;
  }
}
