/**
 * Thống kê / Statistics (docs/STATS.md, "Dashboard"): the headline figures of a unit of the
 * caller's area over a range of days, the daily series as uPlot charts, the child units ranked by
 * incidence (click one to go down: country → province → commune, never outside the caller's area),
 * and the exports of what is on screen. The address keeps the choice (?province=&commune=&from=&to=).
 */
import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo, createResource } from "solid-js";
import { ensureAreaNames, unitName } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import { FilterBar, FilterField } from "../../components/ListView";
import Spinner from "../../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t, type MessageKey } from "../../i18n";
import { session } from "../../session";
import { isDay } from "../declarations/format";
import { formatDay } from "../venues.data";
import Chart, { type ChartLine } from "./Chart";
import ExportPanel from "./ExportPanel";
import { getDashboard, type Dashboard, type DashboardQuery, type Headline, type HeadlineKey, type MetricKey } from "./stats.api";
import {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  RANGE_PRESETS,
  addDays,
  createMetricLabels,
  formatCount,
  formatRate,
  formatShare,
  localised,
  rangeDays,
  sameFilters,
  todayInVietnam,
} from "./stats.data";
import "./stats.css";

type Params = { province?: string; commune?: string; from?: string; to?: string };

const COLOURS = ["#0b6e4f", "#1d4ed8", "#c2410c"];
const CHARTS: { id: string; title: MessageKey; lines: MetricKey[] }[] = [
  { id: "checkins", title: "stats.group.checkins", lines: ["checkins", "visitors", "venues_active"] },
  { id: "declarations", title: "stats.group.declarations", lines: ["declarations", "declarations_risky"] },
  { id: "testing", title: "stats.group.testing", lines: ["samples", "results_negative", "results_positive"] },
  { id: "cases", title: "stats.group.cases", lines: ["cases_new", "f1_identified", "f2_identified"] },
  { id: "vaccination", title: "stats.group.vaccination", lines: ["doses_1", "doses_2", "doses_3"] },
];

export default function StatsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const { label } = createMetricLabels();
  const today = todayInVietnam();

  // What the caller may pick: national admins anything; officers of a province a commune of it; officers of a commune nothing.
  const fixedProvince = () => (me().role === "national_admin" ? null : me().provinceCode);
  const fixedCommune = () => (me().role === "national_admin" ? null : me().communeCode);
  const provinceCode = () => fixedProvince() ?? params.province ?? "";
  const communeCode = () => fixedCommune() ?? (provinceCode() ? (params.commune ?? "") : "");
  const to = () => (isDay(params.to) ? params.to : today);
  const from = () => (isDay(params.from) ? params.from : addDays(to(), -(DEFAULT_RANGE_DAYS - 1)));
  const rangeError = () =>
    from() > to() ? t("stats.range.reversed") : rangeDays(from(), to()) > MAX_RANGE_DAYS ? t("stats.range.tooLong", { n: MAX_RANGE_DAYS }) : null;

  const query = createMemo(
    (): DashboardQuery | null =>
      rangeError() ? null : { provinceCode: provinceCode() || undefined, communeCode: communeCode() || undefined, from: from(), to: to() },
    undefined,
    { equals: (a, b) => a === b || (!!a && !!b && sameFilters(a, b)) },
  );
  const [dashboard, { refetch }] = createResource(query, (q) => getDashboard(q));
  createEffect(() => ensureAreaNames(provinceCode() || null, communeCode() || null));

  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const preset = (days: number) => set({ from: addDays(today, -(days - 1)), to: today });
  const presetActive = (days: number) => to() === today && from() === addDays(today, -(days - 1));

  /** A click on a child unit: a province (country view) or a commune (province view). */
  const drill = (code: string) => {
    const level = dashboard.latest?.unit.level;
    if (level === "country") set({ province: code, commune: undefined });
    else if (level === "province") set({ commune: code });
  };

  /** The way back up, as far as the caller's area reaches. */
  const crumbs = createMemo(() => {
    const out: { id: string; label: string; go?: () => void }[] = [];
    if (me().role === "national_admin") out.push({ id: "country", label: t("area.national"), go: () => set({ province: undefined, commune: undefined }) });
    if (provinceCode() && !fixedCommune()) out.push({ id: "province", label: unitName(provinceCode()), go: () => set({ commune: undefined }) });
    if (communeCode()) out.push({ id: "commune", label: unitName(communeCode()) });
    return out.length > 1 ? out : [];
  });

  return (
    <section class="page stats-page" data-testid="stats-page">
      <header class="page-head">
        <div>
          <h1 data-testid="stats-title">{t("stats.title")}</h1>
          <p class="muted">{t("stats.lead")}</p>
        </div>
      </header>

      <Show when={crumbs().length > 0}>
        <nav class="stats-crumbs" aria-label={t("stats.crumbs")} data-testid="stats-crumbs">
          <ol>
            <For each={crumbs()}>
              {(c, i) => (
                <li>
                  <Show when={i() < crumbs().length - 1 && c.go} fallback={<span aria-current="page">{c.label}</span>}>
                    <button type="button" class="link-btn" onClick={() => c.go?.()} data-testid={`stats-crumb-${c.id}`}>
                      {c.label}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </nav>
      </Show>

      <FilterBar
        testId="stats"
        class="stats-filters"
        active={!!(params.province || params.commune || params.from || params.to)}
        onClear={() => set({ province: undefined, commune: undefined, from: undefined, to: undefined })}
      >
        <Show when={!fixedProvince()}>
          <FilterField id="stats-province" label={t("area.province")}>
            <ProvinceSelect
              id="stats-province"
              value={provinceCode()}
              emptyLabel={t("area.national")}
              onChange={(code) => set({ province: code || undefined, commune: undefined })}
              testId="stats-province"
            />
          </FilterField>
        </Show>
        <Show when={!fixedCommune()}>
          <FilterField id="stats-commune" label={t("area.commune")}>
            <CommuneSelect
              id="stats-commune"
              provinceCode={provinceCode()}
              value={communeCode()}
              emptyLabel={t("stats.allCommunes")}
              disabled={!provinceCode()}
              onChange={(code) => set({ commune: code || undefined })}
              testId="stats-commune"
            />
          </FilterField>
        </Show>
        <FilterField id="stats-from" label={t("stats.from")}>
          <input
            id="stats-from"
            type="date"
            value={from()}
            max={to()}
            onChange={(e) => isDay(e.currentTarget.value) && set({ from: e.currentTarget.value })}
            aria-invalid={rangeError() ? "true" : undefined}
            aria-describedby={rangeError() ? "stats-range-error" : undefined}
            data-testid="stats-from"
          />
        </FilterField>
        <FilterField id="stats-to" label={t("stats.to")}>
          <input
            id="stats-to"
            type="date"
            value={to()}
            min={from()}
            onChange={(e) => isDay(e.currentTarget.value) && set({ to: e.currentTarget.value })}
            aria-invalid={rangeError() ? "true" : undefined}
            aria-describedby={rangeError() ? "stats-range-error" : undefined}
            data-testid="stats-to"
          />
        </FilterField>
        <div class="stats-presets" role="group" aria-label={t("stats.presets")}>
          <For each={RANGE_PRESETS}>
            {(days) => (
              <button type="button" class="btn btn-small" classList={{ "btn-primary": presetActive(days) }} aria-pressed={presetActive(days)} onClick={() => preset(days)} data-testid={`stats-preset-${days}`}>
                {t("stats.preset", { n: days })}
              </button>
            )}
          </For>
        </div>
      </FilterBar>
      <Show when={rangeError()}>
        <p class="field-error" id="stats-range-error" role="alert" data-testid="stats-range-error">
          {rangeError()}
        </p>
      </Show>

      <Switch>
        <Match when={dashboard.error}>
          <ErrorBanner error={localised(dashboard.error)} onRetry={() => void refetch()} />
        </Match>
        <Match when={dashboard.latest}>
          {(d) => (
            <div class="stats-body" classList={{ stale: dashboard.loading }} aria-busy={dashboard.loading}>
              <Body dashboard={d()} label={label} onDrill={drill} />
              <ExportPanel me={me()} dashboard={d()} provinceCode={provinceCode()} />
            </div>
          )}
        </Match>
        <Match when={!rangeError()}>
          <div class="page-loading">
            <Spinner label={t("common.loading")} />
          </div>
        </Match>
      </Switch>
    </section>
  );
}

interface Card {
  key: HeadlineKey | "doses";
  value: (h: Headline) => number | null;
  share?: boolean;
  sub?: (h: Headline, label: (k: string) => string) => string;
  alert?: (h: Headline) => boolean;
}

const CARDS: Card[] = [
  { key: "checkins", value: (h) => h.checkins, sub: (h, l) => `${l("venues_active")}: ${formatCount(h.venues_active)}` },
  { key: "declarations", value: (h) => h.declarations, sub: (h, l) => `${l("declarations_risky")}: ${formatCount(h.declarations_risky)}` },
  { key: "samples", value: (h) => h.samples, sub: (h, l) => `${l("results_positive")}: ${formatCount(h.results_positive)}` },
  { key: "positivity", value: (h) => h.positivity, share: true, sub: (h) => t("stats.card.ofResults", { n: formatCount(h.results_positive + h.results_negative) }) },
  { key: "cases_new", value: (h) => h.cases_new, sub: (h, l) => `${l("f1_identified")}: ${formatCount(h.f1_identified)}`, alert: (h) => h.cases_new > 0 },
  { key: "f0_active", value: (h) => h.f0_active, sub: () => t("stats.card.now"), alert: (h) => h.f0_active > 0 },
  { key: "in_quarantine", value: (h) => h.in_quarantine, sub: () => t("stats.card.now") },
  {
    key: "doses",
    value: (h) => h.doses_1 + h.doses_2 + h.doses_3,
    sub: (h) => t("stats.card.dosesSub", { d1: formatCount(h.doses_1), d2: formatCount(h.doses_2), d3: formatCount(h.doses_3) }),
  },
  {
    key: "coverage_1",
    value: (h) => h.coverage_1,
    share: true,
    sub: (h, l) => `${l("coverage_2")}: ${formatShare(h.coverage_2)} · ${l("coverage_3")}: ${formatShare(h.coverage_3)}`,
  },
];

function Body(props: { dashboard: Dashboard; label: (key: string) => string; onDrill: (code: string) => void }) {
  const d = () => props.dashboard;
  const canDrill = () => d().unit.level !== "commune";
  const lines = (keys: MetricKey[]): ChartLine[] => keys.map((key, i) => ({ key, label: props.label(key), colour: COLOURS[i % COLOURS.length]! }));

  return (
    <>
      <section class="card" aria-labelledby="stats-unit-title" data-testid="stats-unit" data-unit-code={d().unit.code} data-level={d().unit.level} data-from={d().from} data-to={d().to}>
        <h2 id="stats-unit-title">
          <span data-testid="stats-unit-name">{d().unit.level === "country" ? t("area.national") : d().unit.name}</span>
          <span class="muted small">
            {" "}
            · {formatDay(d().from)} – {formatDay(d().to)} ·{" "}
            {d().unit.population !== null ? t("stats.population", { n: formatCount(d().unit.population) }) : t("stats.noPopulation")}
          </span>
        </h2>
        <div class="stats-cards">
          <For each={CARDS}>
            {(c) => {
              const raw = () => c.value(d().headline);
              return (
                <div class="counter stats-card" classList={{ "counter-alert": !!c.alert?.(d().headline) }} data-testid={`stats-card-${c.key}`} data-value={raw() ?? ""}>
                  <span class="counter-label">{c.key === "doses" ? t("stats.card.doses") : props.label(c.key)}</span>
                  <span class="counter-value">{c.share ? formatShare(raw()) : formatCount(raw())}</span>
                  <Show when={c.sub}>{(sub) => <span class="counter-sub">{sub()(d().headline, props.label)}</span>}</Show>
                </div>
              );
            }}
          </For>
        </div>
      </section>

      <section class="card" aria-labelledby="stats-charts-title">
        <h2 id="stats-charts-title">{t("stats.charts")}</h2>
        <div class="stats-charts">
          <For each={CHARTS}>{(c) => <Chart id={c.id} title={t(c.title)} series={d().series} lines={lines(c.lines)} />}</For>
        </div>
      </section>

      <Show when={d().children.length > 0}>
        <section class="card" aria-labelledby="stats-children-title">
          <h2 id="stats-children-title">{d().unit.level === "country" ? t("stats.children.provinces") : t("stats.children.communes")}</h2>
          <p class="small muted">{t("stats.children.lead")}</p>
          <div class="table-wrap">
            <table class="data-table cards-on-phone stats-children" data-testid="stats-children">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    #
                  </th>
                  <th scope="col">{t("stats.col.unit")}</th>
                  <th scope="col" class="num">
                    {t("stats.col.population")}
                  </th>
                  <th scope="col" class="num">
                    {props.label("checkins")}
                  </th>
                  <th scope="col" class="num">
                    {props.label("cases_new")}
                  </th>
                  <th scope="col" class="num">
                    {t("stats.col.incidence")}
                  </th>
                  <th scope="col" class="num">
                    {props.label("positivity")}
                  </th>
                  <th scope="col" class="num">
                    {props.label("coverage_1")}
                  </th>
                  <th scope="col" class="num">
                    {props.label("coverage_2")}
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={d().children}>
                  {(c, i) => (
                    <tr data-testid="stats-child" data-code={c.code} data-cases-new={c.casesNew} data-checkins={c.checkins}>
                      <td data-label="#" class="num muted">
                        {i() + 1}
                      </td>
                      <td data-label={t("stats.col.unit")} class="cell-title">
                        <Show when={canDrill()} fallback={c.name}>
                          <button type="button" class="link-btn" onClick={() => props.onDrill(c.code)} data-testid="stats-drill">
                            {c.name}
                          </button>
                        </Show>
                      </td>
                      <td data-label={t("stats.col.population")} class="num">
                        {formatCount(c.population)}
                      </td>
                      <td data-label={props.label("checkins")} class="num">
                        {formatCount(c.checkins)}
                      </td>
                      <td data-label={props.label("cases_new")} class="num">
                        {formatCount(c.casesNew)}
                      </td>
                      <td data-label={t("stats.col.incidence")} class="num">
                        {formatRate(c.incidencePer100k)}
                      </td>
                      <td data-label={props.label("positivity")} class="num">
                        {formatShare(c.positivity)}
                      </td>
                      <td data-label={props.label("coverage_1")} class="num">
                        {formatShare(c.coverage1)}
                      </td>
                      <td data-label={props.label("coverage_2")} class="num">
                        {formatShare(c.coverage2)}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </Show>
    </>
  );
}
