// Chart.js with only what the KPI charts use (bar charts on category and linear scales, legend, tooltip), so the
// rest of it stays out of the bundle. Imported with import() by kpi-figure.tsx: the build puts it in a file of
// its own that only the KPI page fetches. Chart.js sizes the canvas through the CSSOM (element.style), which the
// Content-Security-Policy allows; it injects no stylesheet.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = '#1b1f24';

export { Chart };
