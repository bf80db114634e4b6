/**
 * Declarations per day for the chosen range: a small column chart drawn with CSS (one column per
 * day, oldest on the left; follow-up red at the foot, watch amber, the rest grey), the range's
 * totals, and the same numbers as a table for screen readers. No chart library.
 */
import { For, Show, type Accessor } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { createDeclarationStats, riskLabel, type StatsRange } from "./declarations.data";
import { formatVnDay } from "./format";

const pct = (n: number, of: number) => (of > 0 ? `${(100 * n) / of}%` : "0%");

/** The label under a column: the day of the month, with the month on the first column and on the 1st. */
function columnLabel(day: string, first: boolean): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const dd = String(Number(m[2]));
  return first || dd === "1" ? `${dd}/${Number(m[1])}` : dd;
}

export default function StatsCard(props: { range: Accessor<StatsRange> }) {
  const data = createDeclarationStats(props.range);
  const days = () => [...(data.stats()?.days ?? [])].sort((a, b) => a.day.localeCompare(b.day));
  const max = () => Math.max(1, ...days().map((d) => d.total));

  return (
    <section class="card decl-stats" aria-labelledby="decl-stats-title" data-testid="decl-stats">
      <div class="decl-stats-head">
        <h2 id="decl-stats-title">{t("decl.stats.title")}</h2>
        <Show when={data.stats()}>
          {(s) => (
            <p class="decl-stats-totals" data-testid="decl-stats-totals">
              <span class="muted">
                {formatVnDay(s().from)} – {formatVnDay(s().to)}
              </span>
              <span>
                {t("decl.stats.total")}: <strong data-testid="decl-stats-total">{s().totals.total}</strong>
              </span>
              <span class="decl-dot decl-dot-follow_up">
                {riskLabel("follow_up")}: <strong data-testid="decl-stats-follow-up">{s().totals.followUp}</strong>
              </span>
              <span class="decl-dot decl-dot-watch">
                {riskLabel("watch")}: <strong>{s().totals.watch}</strong>
              </span>
            </p>
          )}
        </Show>
      </div>
      <Show when={data.error()}>
        <ErrorBanner error={data.error()} onRetry={data.reload} testId="decl-stats-error" />
      </Show>
      <Show when={data.loading() && !data.stats()}>
        <Spinner label={t("common.loading")} />
      </Show>
      <Show when={data.stats()}>
        <div class="decl-chart-scroll" classList={{ stale: data.loading() }}>
          <div class="decl-chart" aria-hidden="true" style={{ "grid-template-columns": `repeat(${days().length}, minmax(22px, 1fr))` }}>
            <For each={days()}>
              {(d, i) => (
                <div
                  class="decl-col"
                  title={`${formatVnDay(d.day)} · ${t("decl.stats.all")}: ${d.total} · ${riskLabel("follow_up")}: ${d.followUp} · ${riskLabel("watch")}: ${d.watch}`}
                  data-testid="decl-stats-day"
                  data-day={d.day}
                  data-total={d.total}
                  data-follow-up={d.followUp}
                  data-watch={d.watch}
                >
                  <span class="decl-col-n">{d.total > 0 ? d.total : ""}</span>
                  <div class="decl-col-track">
                    <div class="decl-col-bar" style={{ height: pct(d.total, max()) }}>
                      <span class="decl-bar-follow_up" style={{ height: pct(d.followUp, d.total) }} />
                      <span class="decl-bar-watch" style={{ height: pct(d.watch, d.total) }} />
                    </div>
                  </div>
                  <span class="decl-col-day">{columnLabel(d.day, i() === 0)}</span>
                </div>
              )}
            </For>
          </div>
        </div>
        <Show when={data.stats()?.totals.total === 0}>
          <p class="muted small decl-stats-empty" data-testid="decl-stats-empty">
            {t("decl.stats.empty")}
          </p>
        </Show>
        <table class="sr-only">
          <caption>{t("decl.stats.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("decl.stats.day")}</th>
              <th scope="col">{t("decl.stats.all")}</th>
              <th scope="col">{riskLabel("follow_up")}</th>
              <th scope="col">{riskLabel("watch")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={days()}>
              {(d) => (
                <tr>
                  <th scope="row">{formatVnDay(d.day)}</th>
                  <td>{d.total}</td>
                  <td>{d.followUp}</td>
                  <td>{d.watch}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
