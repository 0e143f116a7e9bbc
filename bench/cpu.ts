// CPU time by server, read from /proc: what a section costs each process of the stack, to say what bounds a figure.
// Processes are told apart by their command lines; PostgreSQL's backends are summed (the bench's own pool keeps them).
import { readdirSync, readFileSync } from 'node:fs';

// Matched by program, not by argument: PostgreSQL's backends are titled "postgres: <user> <database> …" (the
// database is named ferretdb), and FerretDB's arguments name PostgreSQL's URL.
const SERVERS: Array<[string, RegExp]> = [
  ['API', /^\S*node .*(^|\/)api\/main\.ts/],
  ['worker', /^\S*node .*(^|\/)worker\/main\.ts/],
  ['baseline worker', /^\S*node .*bench\/baseline-worker\.ts/],
  ['baseline API', /^\S*node .*bench\/baseline-api\.ts/],
  ['PostgreSQL', /^postgres:|^\S*\/postgres\s/],
  ['FerretDB', /^\S*\/ferretdb\s/],
  ['Temporal', /^\S*\/(temporal|temporal-server)\s/],
];
// Linux reports utime and stime in clock ticks of USER_HZ, 100 a second on every architecture Node runs on here.
const TICK_MS = 10;

export type CpuTimes = Map<string, number>;

/** Milliseconds of CPU each server has used so far (user and system, its threads included). */
export function cpuTimes(): CpuTimes {
  const times: CpuTimes = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const server = SERVERS.find(([, pattern]) => pattern.test(command))?.[0];
      if (!server) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name in parentheses: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(server, (times.get(server) ?? 0) + (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // The process ended while it was read.
    }
  }
  return times;
}

/** CPU per unit of work by server between two readings, largest first: "worker 61, FerretDB 48, …" (ms). */
export function cpuPerUnit(before: CpuTimes, after: CpuTimes, units: number): Array<[string, number]> {
  return [...after]
    .map(([server, ms]): [string, number] => [server, (ms - (before.get(server) ?? 0)) / units])
    .filter(([, ms]) => ms >= 0.5)
    .sort((a, b) => b[1] - a[1]);
}
