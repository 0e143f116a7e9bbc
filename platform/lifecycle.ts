// Processes started by `npm start` stop themselves if the launcher dies, so nothing is left running.

export function exitWithParent(): void {
  if (process.env.EXIT_WITH_PARENT !== '1') return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}
