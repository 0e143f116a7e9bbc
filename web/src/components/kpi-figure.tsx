// A KPI figure: a bar chart (Chart.js on a canvas) beside a table of the same numbers. The canvas is an image
// with a summary for screen readers; the table is what they read, and what anyone can copy. Chart.js comes in
// with the first chart (chart-setup.ts, a file of its own), so pages without charts never load it.
import type { Chart as ChartType } from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let chartModule: Promise<typeof import('./chart-setup')> | undefined;
const loadChart = () => (chartModule ??= import('./chart-setup'));

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies. */
export const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];

export interface Series {
  label: string;
  values: Array<number | null>;
  colour: string;
}

export function BarChart({ labels, series, stacked = false, counts = false, axis, summary }: { labels: string[]; series: Series[]; stacked?: boolean; /** Whole numbers (tickets): no fractional ticks. */ counts?: boolean; axis: string; summary: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const shape = JSON.stringify({ labels, series, stacked, counts, axis });
  useEffect(() => {
    let chart: ChartType | undefined;
    let gone = false;
    void loadChart().then(({ Chart }) => {
      if (gone || !canvas.current) return;
      chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.colour, borderColor: s.colour })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked, grid: { display: false } },
          y: { stacked, beginAtZero: true, title: { display: true, text: axis }, ...(counts ? { ticks: { precision: 0 } } : {}) },
        },
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
      },
    });
      canvas.current.dataset.drawn = 'true';
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [shape]);
  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}

/** One KPI: its heading, what it measures, the chart and the table side by side (stacked on narrow screens). */
export function KpiFigure({ id, title, description, chart, table }: { id: string; title: string; description: string; chart: ComponentChildren; table: ComponentChildren }) {
  return (
    <section class="kpi-figure" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p class="hint">{description}</p>
      <div class="kpi-figure-body">
        {chart}
        <div class="table-wrap">{table}</div>
      </div>
    </section>
  );
}
