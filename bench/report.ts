// Benchmark figures: printed as a table and saved as JSON and Markdown under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** e.g. "0.93× baseline" or "target < 1000 ms: met". */
  note?: string;
  /** What was measured on what data, so the figure can be read on its own. */
  context?: string;
  /** Saved under `ratios` in latest.json by this name (issue 14's named ratios). */
  ratio?: string;
}

export function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** One run of the sections on one set of servers. */
export interface Column {
  label: string;
  figures: Figure[];
}

/** The named ratios of a column (figures that carry `ratio`), by name. */
export const ratiosOf = (column: Column): Record<string, number> =>
  Object.fromEntries(column.figures.filter((f) => f.ratio).map((f) => [f.ratio!, Math.round(f.value * 1000) / 1000]));

/** One row per figure; with two columns, their values side by side and the second ÷ the first. */
export function report(columns: Column[], title: string): { json: string; markdown: string } {
  const m = machine();
  const keys = [...new Map(columns.flatMap((c) => c.figures.map((f) => [`${f.section}/${f.name}`, f] as const))).values()];
  const cell = (f: Figure | undefined) => (f ? `${format(f.value)} ${f.unit}` : '—');
  const find = (c: Column, k: Figure) => c.figures.find((f) => f.section === k.section && f.name === k.name);
  const [first, second] = columns;
  const header = second
    ? [`| section | figure | ${first!.label} | ${second.label} | ${second.label} ÷ ${first!.label} | ratio / target (${first!.label}) | ratio / target (${second.label}) | measured on |`, '|---|---|---|---|---|---|---|---|']
    : ['| section | figure | value | ratio / target | measured on |', '|---|---|---|---|---|'];
  const rows = keys.map((k) => {
    const a = find(first!, k);
    if (!second) return `| ${k.section} | ${k.name} | ${cell(a)} | ${a?.note ?? ''} | ${a?.context ?? ''} |`;
    const b = find(second, k);
    const ratio = a && b && a.value !== 0 ? `${(b.value / a.value).toFixed(2)}×` : '';
    return `| ${k.section} | ${k.name} | ${cell(a)} | ${cell(b)} | ${ratio} | ${a?.note ?? ''} | ${b?.note ?? ''} | ${k.context ?? ''} |`;
  });
  const markdown = [`# ${title}`, '', `${new Date().toISOString()} · ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`, '', ...header, ...rows, ''].join('\n');
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // `ratios` are the first column's (the dev server's when both run); each column carries its own too.
  const json = JSON.stringify({ title, at: new Date().toISOString(), machine: m, ratios: { server: first!.label, ...ratiosOf(first!) }, columns: columns.map((c) => ({ ...c, ratios: ratiosOf(c) })) }, null, 2);
  writeFileSync(path.join(dir, `${stamp}.json`), json);
  writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  writeFileSync(path.join(dir, 'latest.md'), markdown);
  writeFileSync(path.join(dir, 'latest.json'), json);
  return { json, markdown };
}

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1));

export function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
