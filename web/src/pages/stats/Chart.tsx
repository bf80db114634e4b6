/**
 * A daily time-series chart drawn with uPlot: one line per metric, days on the x axis (Vietnam
 * days), resized with its container (so it fits a 390 px phone and a wide desk alike). The canvas
 * is described for screen readers, and the same figures are in a table under "Show the figures".
 */
import { For, createEffect, on, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { t } from "../../i18n";
import { formatShortDay } from "../declarations/format";
import { formatDay } from "../venues.data";
import type { MetricKey, SeriesDay } from "./stats.api";
import { formatCount } from "./stats.data";

export interface ChartLine {
  key: MetricKey;
  label: string;
  colour: string;
}

const TZ = "Asia/Ho_Chi_Minh";
const HEIGHT = 220;
/** Noon in Vietnam of a YYYY-MM-DD day, as uPlot's seconds. */
const secondsOf = (day: string) => Date.parse(`${day}T12:00:00+07:00`) / 1000;
/** The Vietnam day of uPlot's seconds. */
const dayOf = (seconds: number) => new Date(seconds * 1000 + 7 * 3600_000).toISOString().slice(0, 10);

export default function Chart(props: { id: string; title: string; series: SeriesDay[]; lines: ChartLine[] }) {
  let box!: HTMLDivElement;
  let plot: uPlot | undefined;

  const data = (): uPlot.AlignedData => [props.series.map((d) => secondsOf(d.day)), ...props.lines.map((l) => props.series.map((d) => d[l.key]))];

  const build = () => {
    plot?.destroy();
    const width = Math.max(200, box.clientWidth);
    plot = new uPlot(
      {
        width,
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), TZ),
        cursor: { drag: { x: false, y: false } },
        legend: { show: true, live: true },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { stroke: "#425466", grid: { stroke: "#eef2f6" }, ticks: { stroke: "#dfe5ec" }, values: (_u, splits) => splits.map((v) => formatShortDay(dayOf(v))) },
          { stroke: "#425466", grid: { stroke: "#eef2f6" }, ticks: { stroke: "#dfe5ec" }, size: 56, values: (_u, splits) => splits.map((v) => formatCount(v)) },
        ],
        series: [
          { label: t("stats.chart.day"), value: (_u, v) => (v === null ? "–" : formatDay(dayOf(v))) },
          ...props.lines.map((l) => ({
            label: l.label,
            stroke: l.colour,
            width: 2,
            points: { show: props.series.length <= 45, size: 5 },
            value: (_u: uPlot, v: number | null) => (v === null ? "–" : formatCount(v)),
          })),
        ],
      },
      data(),
      box,
    );
  };

  onMount(() => {
    build();
    let last = box.clientWidth;
    const observer = new ResizeObserver(() => {
      const width = box.clientWidth;
      if (!plot || width === last || width < 50) return;
      last = width;
      plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(box);
    onCleanup(() => {
      observer.disconnect();
      plot?.destroy();
      plot = undefined;
    });
  });
  // New figures: same lines → new data; other labels (language switch) → a new chart.
  createEffect(on(() => props.series, () => plot?.setData(data()), { defer: true }));
  createEffect(on(() => props.lines.map((l) => l.label).join("|"), build, { defer: true }));

  const total = (key: MetricKey) => props.series.reduce((s, d) => s + d[key], 0);

  return (
    <figure class="stats-chart" data-testid={`stats-chart-${props.id}`} data-days={props.series.length}>
      <figcaption class="stats-chart-title">{props.title}</figcaption>
      <div
        ref={box}
        class="stats-chart-canvas"
        role="img"
        aria-label={`${props.title}: ${props.lines.map((l) => `${l.label} ${formatCount(total(l.key))}`).join(", ")}`}
      />
      <details class="stats-chart-figures">
        <summary>{t("stats.chart.showFigures")}</summary>
        <div class="table-wrap">
          <table class="data-table stats-figures-table">
            <thead>
              <tr>
                <th scope="col">{t("stats.chart.day")}</th>
                <For each={props.lines}>
                  {(l) => (
                    <th scope="col" class="num">
                      {l.label}
                    </th>
                  )}
                </For>
              </tr>
            </thead>
            <tbody>
              <For each={[...props.series].reverse()}>
                {(d) => (
                  <tr>
                    <td class="nowrap">{formatDay(d.day)}</td>
                    <For each={props.lines}>{(l) => <td class="num">{formatCount(d[l.key])}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
