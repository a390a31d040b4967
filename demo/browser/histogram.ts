// A bar chart of lateness buckets on a canvas, with the share of timeouts
// above each bar; the tallest bar fills the chart.
import { BUCKET_LIMITS_MS } from "./timeout-race.js";

const LABELS = ["<1", ...BUCKET_LIMITS_MS.slice(1).map((limit, i) => `${BUCKET_LIMITS_MS[i]}–${limit}`), `≥${BUCKET_LIMITS_MS.at(-1)}`];

export function drawHistogram(canvas: HTMLCanvasElement, buckets: Uint32Array, total: number, color: string): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  const { width, height } = canvas;
  const top = 22, bottom = 30, gap = 8;
  const barWidth = (width - gap * (buckets.length + 1)) / buckets.length;
  context.clearRect(0, 0, width, height);
  context.font = "12px ui-monospace, SFMono-Regular, Menlo, monospace";
  context.textAlign = "center";
  const tallest = Math.max(...buckets, 1);
  for (let i = 0; i < buckets.length; i++) {
    const share = total === 0 ? 0 : buckets[i] / total;
    const x = gap + i * (barWidth + gap);
    const barHeight = (buckets[i] / tallest) * (height - top - bottom);
    context.fillStyle = "rgba(148, 163, 184, 0.12)";
    context.fillRect(x, top, barWidth, height - top - bottom);
    context.fillStyle = color;
    context.fillRect(x, height - bottom - barHeight, barWidth, barHeight);
    context.fillStyle = "#cbd5e1";
    if (share > 0) context.fillText(`${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`, x + barWidth / 2, height - bottom - barHeight - 6);
    context.fillStyle = "#64748b";
    context.fillText(LABELS[i], x + barWidth / 2, height - bottom + 16);
  }
  context.fillText("ms late", width / 2, height - 2);
}
