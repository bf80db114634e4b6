/**
 * Testing statistics of the caller's area: samples, people tested and positivity per day (plain
 * CSS bars, as the vaccination coverage page), positivity per commune, turnaround from the swab
 * to the final result, and pools. Filters: the days, a commune, a campaign; the address keeps
 * them (?from=&to=&commune=&campaign=).
 */
import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource } from "solid-js";
import AreaFilter from "../../components/AreaFilter";
import ErrorBanner from "../../components/ErrorBanner";
import { FilterBar, FilterField } from "../../components/ListView";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import { isDay } from "../declarations/format";
import { formatDay } from "../venues.data";
import TestingNav from "./TestingNav";
import { getCampaign, getTestingStats, type StatsQuery, type TestingStats } from "./testing.api";
import { formatCount, formatHours, formatShare, sameFilters } from "./testing.data";
import "./testing.css";

type Params = { from?: string; to?: string; province?: string; commune?: string; campaign?: string };

export default function StatsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const from = () => (isDay(params.from) ? params.from : "");
  const to = () => (isDay(params.to) ? params.to : "");
  const query = createMemo(
    (): StatsQuery => ({ from: from() || undefined, to: to() || undefined, communeCode: params.commune || undefined, campaignId: params.campaign || undefined }),
    undefined,
    { equals: sameFilters },
  );
  const [stats, { refetch }] = createResource(query, (q) => getTestingStats(q));
  const [campaign] = createResource(
    () => params.campaign,
    (id) => getCampaign(id).catch(() => null),
  );
  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const active = () => !!(params.from || params.to || params.province || params.commune || params.campaign);

  return (
    <section class="page" data-testid="test-stats-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-stats-title">{t("test.stats.title")}</h1>
          <p class="muted">
            <Show when={campaign()} fallback={t("test.stats.lead")}>
              {(c) => t("test.stats.ofCampaign", { name: c().name })}
            </Show>
          </p>
        </div>
      </header>
      <FilterBar testId="test-stats" active={active()} onClear={() => set({ from: undefined, to: undefined, province: undefined, commune: undefined, campaign: undefined })}>
        <AreaFilter
          me={me()}
          idPrefix="test-stats"
          provinceCode={params.province ?? me().provinceCode ?? ""}
          communeCode={params.commune ?? ""}
          onChange={(a) => set({ province: a.provinceCode || undefined, commune: a.communeCode || undefined })}
        />
        <FilterField id="test-stats-from" label={t("test.stats.from")}>
          <input id="test-stats-from" type="date" value={from()} max={to() || undefined} onChange={(e) => set({ from: e.currentTarget.value || undefined })} data-testid="test-stats-from" />
        </FilterField>
        <FilterField id="test-stats-to" label={t("test.stats.to")}>
          <input id="test-stats-to" type="date" value={to()} min={from() || undefined} onChange={(e) => set({ to: e.currentTarget.value || undefined })} data-testid="test-stats-to" />
        </FilterField>
      </FilterBar>
      <Switch>
        <Match when={stats.error}>
          <ErrorBanner error={stats.error} onRetry={() => void refetch()} />
        </Match>
        <Match when={stats.latest}>
          {(s) => (
            <div classList={{ stale: stats.loading }} aria-busy={stats.loading}>
              <StatsBody stats={s()} />
            </div>
          )}
        </Match>
        <Match when={true}>
          <div class="page-loading">
            <Spinner label={t("common.loading")} />
          </div>
        </Match>
      </Switch>
    </section>
  );
}

function StatsBody(props: { stats: TestingStats }) {
  const s = () => props.stats;
  const total = createMemo(() => {
    const sum = { samples: 0, tested: 0, positive: 0, negative: 0, invalid: 0 };
    for (const d of s().days) {
      sum.samples += d.samples;
      sum.tested += d.tested;
      sum.positive += d.positive;
      sum.negative += d.negative;
      sum.invalid += d.invalid;
    }
    return sum;
  });
  const positivity = () => (total().positive + total().negative > 0 ? total().positive / (total().positive + total().negative) : null);
  const maxDay = () => Math.max(1, ...s().days.map((d) => Math.max(d.samples, d.positive + d.negative + d.invalid)));
  /** The days with samples or results, newest first (a quiet day is a row of zeros). */
  const activeDays = createMemo(() => s().days.filter((d) => d.samples + d.tested + d.positive + d.negative + d.invalid > 0).reverse());
  const maxRate = () => Math.max(0.0001, ...s().communes.map((c) => c.positivity ?? 0));

  return (
    <>
      <section class="card" aria-labelledby="test-stats-summary-title" data-testid="test-stats-summary">
        <h2 id="test-stats-summary-title">
          {t("test.stats.summary")}
          <span class="muted small">
            {" "}
            · {formatDay(s().from)} – {formatDay(s().to)}
          </span>
        </h2>
        <div class="counters test-counters">
          <Counter id="samples" label={t("test.stats.samples")} value={formatCount(total().samples)} raw={total().samples} />
          <Counter id="tested" label={t("test.stats.tested")} value={formatCount(total().tested)} raw={total().tested} />
          <Counter id="positive" label={t("test.stats.positive")} value={formatCount(total().positive)} raw={total().positive} alert={total().positive > 0} />
          <Counter id="positivity" label={t("test.stats.positivity")} value={formatShare(positivity())} raw={positivity() ?? ""} />
          <Counter
            id="turnaround"
            label={t("test.stats.turnaround")}
            value={formatHours(s().turnaround.medianHours)}
            sub={t("test.stats.turnaroundSub", { p90: formatHours(s().turnaround.p90Hours), n: formatCount(s().turnaround.count) })}
            raw={s().turnaround.medianHours ?? ""}
          />
          <Counter
            id="pools"
            label={t("test.stats.pools")}
            value={formatCount(s().pools.total)}
            sub={t("test.stats.poolsSub", { resulted: formatCount(s().pools.resulted), positive: formatCount(s().pools.positive), rate: formatShare(s().pools.positivityRate) })}
            raw={s().pools.total}
          />
        </div>
      </section>

      <section class="card" aria-labelledby="test-stats-days-title">
        <h2 id="test-stats-days-title">{t("test.stats.perDay")}</h2>
        <p class="small muted test-legend">
          <span class="test-key test-key-negative" /> {t("test.result.negative")} <span class="test-key test-key-positive" /> {t("test.result.positive")}{" "}
          <span class="test-key test-key-invalid" /> {t("test.result.invalid")}
        </p>
        <Show when={activeDays().length > 0} fallback={<p class="muted">{t("test.stats.noDays")}</p>}>
          <p class="small muted">{t("test.stats.quietDays")}</p>
          <div class="table-wrap test-scroll">
            <table class="data-table test-stats-table" data-testid="test-stats-days">
              <thead>
                <tr>
                  <th scope="col">{t("test.stats.day")}</th>
                  <th scope="col" class="num">
                    {t("test.stats.samples")}
                  </th>
                  <th scope="col" class="num test-col-tested">
                    {t("test.stats.tested")}
                  </th>
                  <th scope="col" class="num">
                    {t("test.stats.positive")}
                  </th>
                  <th scope="col" class="num">
                    {t("test.stats.positivity")}
                  </th>
                  <th scope="col" class="test-bar-col">
                    <span class="sr-only">{t("test.stats.results")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={activeDays()}>
                  {(d) => (
                    <tr data-testid="test-stats-day" data-day={d.day} data-samples={d.samples} data-positive={d.positive} data-tested={d.tested}>
                      <td class="nowrap">{formatDay(d.day)}</td>
                      <td class="num">{formatCount(d.samples)}</td>
                      <td class="num test-col-tested">{formatCount(d.tested)}</td>
                      <td class="num">{formatCount(d.positive)}</td>
                      <td class="num">{formatShare(d.positivity)}</td>
                      <td class="test-bar-col">
                        <div class="test-stack" aria-hidden="true">
                          <span class="test-stack-negative" style={{ width: `${(d.negative / maxDay()) * 100}%` }} />
                          <span class="test-stack-positive" style={{ width: `${(d.positive / maxDay()) * 100}%` }} />
                          <span class="test-stack-invalid" style={{ width: `${(d.invalid / maxDay()) * 100}%` }} />
                        </div>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>

      <section class="card" aria-labelledby="test-stats-communes-title">
        <h2 id="test-stats-communes-title">{t("test.stats.perCommune")}</h2>
        <Show when={s().communes.length > 0} fallback={<p class="muted">{t("test.stats.noCommunes")}</p>}>
          <div class="table-wrap">
            <table class="data-table cards-on-phone test-stats-table" data-testid="test-stats-communes">
              <thead>
                <tr>
                  <th scope="col">{t("area.commune")}</th>
                  <th scope="col" class="num">
                    {t("test.stats.samples")}
                  </th>
                  <th scope="col" class="num">
                    {t("test.stats.positive")}
                  </th>
                  <th scope="col">{t("test.stats.positivity")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={s().communes}>
                  {(c) => (
                    <tr data-testid="test-stats-commune" data-commune-code={c.communeCode} data-samples={c.samples} data-positive={c.positive}>
                      <td data-label={t("area.commune")} class="cell-title">
                        {c.name}
                      </td>
                      <td data-label={t("test.stats.samples")} class="num">
                        {formatCount(c.samples)}
                      </td>
                      <td data-label={t("test.stats.positive")} class="num">
                        {formatCount(c.positive)}
                      </td>
                      <td data-label={t("test.stats.positivity")} class="test-rate-cell">
                        <span class="small">{formatShare(c.positivity)}</span>
                        <Show when={c.positivity !== null}>
                          <span class="test-bar" role="presentation">
                            <span class="test-bar-fill" style={{ width: `${((c.positivity ?? 0) / maxRate()) * 100}%` }} />
                          </span>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
    </>
  );
}

function Counter(props: { id: string; label: string; value: string; raw: number | string; sub?: string; alert?: boolean }) {
  return (
    <div class="counter" classList={{ "counter-alert": !!props.alert }} data-testid={`test-stats-${props.id}`} data-value={props.raw}>
      <span class="counter-label">{props.label}</span>
      <span class="counter-value">{props.value}</span>
      <Show when={props.sub}>
        <span class="counter-sub">{props.sub}</span>
      </Show>
    </div>
  );
}
