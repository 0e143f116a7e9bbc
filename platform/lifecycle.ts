// Processes started by `npm start` stop themselves if the launcher dies, so nothing is left running.

export function exitWithParent(): void {
  if (process.env.EXIT_WITH_PARENT !== '1') return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}

/** Retries a start-up step while the server it needs is unreachable: a process started during an outage waits for it. */
export async function whenAvailable<T>(what: string, step: () => Promise<T>, logger: { warn(obj: object, msg: string): void }, giveUpAfterMs = 5 * 60_000): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      const wait = Math.min(250 * 2 ** attempt, 5_000);
      logger.warn({ err: (err as Error).message, attempt, retryInMs: wait }, `${what} is not available yet; waiting`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
