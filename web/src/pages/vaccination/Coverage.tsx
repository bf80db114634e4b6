/**
 * Coverage of a unit of the caller's area: people with dose 1, 2, 3 and the share of the unit's
 * population, the same for each child unit (click one to go down), with plain CSS bars, and the
 * doses given day by day. A province and a commune are picked within the area; the address keeps
 * the choice (?province=&commune=&from=&to=).
 */
import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import { FilterBar, FilterField } from "../../components/ListView";
import Spinner from "../../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { session } from "../../session";
import { isDay } from "../declarations/format";
import { formatDay } from "../venues.data";
import VaccinationNav from "./VaccinationNav";
import { getCoverage, type Coverage, type CoverageQuery } from "./vaccination.api";
import { formatCount, formatPct, sameFilters } from "./vaccination.data";
import "./vaccination.css";

type Params = { province?: string; commune?: string; from?: string; to?: string };

export default function CoveragePage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  // What the caller may pick: national admins anything; province-wide officers a commune; commune officers nothing.
  const fixedProvince = () => (me().role === "national_admin" ? null : me().provinceCode);
  const fixedCommune = () => (me().role === "national_admin" ? null : me().communeCode);
  const provinceCode = () => fixedProvince() ?? params.province ?? "";
  const communeCode = () => fixedCommune() ?? (provinceCode() ? (params.commune ?? "") : "");
  const from = () => (isDay(params.from) ? params.from : "");
  const to = () => (isDay(params.to) ? params.to : "");

  const query = createMemo(
    (): CoverageQuery => ({ provinceCode: provinceCode() || undefined, communeCode: communeCode() || undefined, from: from() || undefined, to: to() || undefined }),
    undefined,
    { equals: sameFilters },
  );
  const [coverage, { refetch }] = createResource(query, (q) => getCoverage(q));
  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const active = () => !!(params.province || params.commune || params.from || params.to);

  /** A click on a child unit: a province (national view) or a commune (province view). */
  const drill = (code: string) => {
    const level = coverage()?.unit.level;
    if (level === "country") set({ province: code, commune: undefined });
    else if (level === "province") set({ commune: code });
  };

  return (
    <section class="page" data-testid="vacc-coverage-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-coverage-title">{t("vacc.coverage.title")}</h1>
          <p class="muted">{t("vacc.coverage.lead")}</p>
        </div>
      </header>
      <FilterBar testId="vacc-coverage" active={active()} onClear={() => set({ province: undefined, commune: undefined, from: undefined, to: undefined })}>
        <Show when={!fixedProvince()}>
          <FilterField id="vacc-coverage-province" label={t("area.province")}>
            <ProvinceSelect
              id="vacc-coverage-province"
              value={provinceCode()}
              emptyLabel={t("area.national")}
              onChange={(code) => set({ province: code || undefined, commune: undefined })}
              testId="vacc-coverage-province"
            />
          </FilterField>
        </Show>
        <Show when={!fixedCommune()}>
          <FilterField id="vacc-coverage-commune" label={t("area.commune")}>
            <CommuneSelect
              id="vacc-coverage-commune"
              provinceCode={provinceCode()}
              value={communeCode()}
              emptyLabel={t("area.noCommune")}
              onChange={(code) => set({ commune: code || undefined })}
              testId="vacc-coverage-commune"
            />
          </FilterField>
        </Show>
        <FilterField id="vacc-coverage-from" label={t("vacc.filter.from")}>
          <input id="vacc-coverage-from" type="date" value={from()} max={to() || undefined} onChange={(e) => set({ from: e.currentTarget.value || undefined })} data-testid="vacc-coverage-from" />
        </FilterField>
        <FilterField id="vacc-coverage-to" label={t("vacc.filter.to")}>
          <input id="vacc-coverage-to" type="date" value={to()} min={from() || undefined} onChange={(e) => set({ to: e.currentTarget.value || undefined })} data-testid="vacc-coverage-to" />
        </FilterField>
      </FilterBar>
      <Switch>
        <Match when={coverage.error}>
          <ErrorBanner error={coverage.error} onRetry={() => void refetch()} />
        </Match>
        <Match when={coverage.latest}>
          {(c) => (
            <div classList={{ stale: coverage.loading }} aria-busy={coverage.loading}>
              <CoverageBody coverage={c()} onDrill={drill} />
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

function CoverageBody(props: { coverage: Coverage; onDrill: (code: string) => void }) {
  const c = () => props.coverage;
  const dose = (n: number) => c().byDose.find((d) => d.doseNumber === n) ?? { doseNumber: n, people: 0, pct: null };
  const maxDaily = () => Math.max(1, ...c().daily.map((d) => d.dose1 + d.dose2 + d.dose3plus));
  const canDrill = () => c().unit.level !== "commune";

  return (
    <>
      <section class="card" aria-labelledby="vacc-coverage-unit" data-testid="vacc-coverage-unit" data-unit-code={c().unit.code}>
        <h2 id="vacc-coverage-unit">
          {c().unit.level === "country" ? t("area.national") : c().unit.name}
          <span class="muted small">
            {" "}
            · {c().unit.population !== null ? t("vacc.coverage.population", { n: formatCount(c().unit.population) }) : t("vacc.coverage.noPopulation")}
          </span>
        </h2>
        <div class="counters">
          <For each={[1, 2, 3]}>
            {(n) => (
              <div class="counter" data-testid={`vacc-coverage-dose${n}`} data-people={dose(n).people}>
                <span class="counter-label">{t("vacc.coverage.withDose", { n })}</span>
                <span class="counter-value">{formatCount(dose(n).people)}</span>
                <span class="counter-sub">{formatPct(dose(n).pct)}</span>
                <Bar pct={dose(n).pct} />
              </div>
            )}
          </For>
        </div>
      </section>

      <Show when={c().units.length > 0}>
        <section class="card" aria-labelledby="vacc-coverage-units-title">
          <h2 id="vacc-coverage-units-title">{c().unit.level === "country" ? t("vacc.coverage.byProvince") : t("vacc.coverage.byCommune")}</h2>
          <div class="table-wrap">
            <table class="data-table cards-on-phone vacc-coverage-table" data-testid="vacc-coverage-units">
              <thead>
                <tr>
                  <th scope="col">{t("vacc.coverage.unit")}</th>
                  <th scope="col" class="num">
                    {t("vacc.coverage.populationCol")}
                  </th>
                  <th scope="col">{t("vacc.coverage.withDose", { n: 1 })}</th>
                  <th scope="col">{t("vacc.coverage.withDose", { n: 2 })}</th>
                  <th scope="col">{t("vacc.coverage.withDose", { n: 3 })}</th>
                </tr>
              </thead>
              <tbody>
                <For each={c().units}>
                  {(u) => (
                    <tr data-testid="vacc-coverage-row" data-unit-code={u.code} data-dose1={u.dose1} data-dose2={u.dose2} data-dose3={u.dose3}>
                      <td data-label={t("vacc.coverage.unit")} class="cell-title">
                        <Show when={canDrill()} fallback={u.name}>
                          <button type="button" class="link-btn" onClick={() => props.onDrill(u.code)} data-testid="vacc-coverage-drill">
                            {u.name}
                          </button>
                        </Show>
                      </td>
                      <td data-label={t("vacc.coverage.populationCol")} class="num">
                        {formatCount(u.population)}
                      </td>
                      <DoseCell label={t("vacc.coverage.withDose", { n: 1 })} people={u.dose1} pct={u.dose1Pct} />
                      <DoseCell label={t("vacc.coverage.withDose", { n: 2 })} people={u.dose2} pct={u.dose2Pct} />
                      <DoseCell label={t("vacc.coverage.withDose", { n: 3 })} people={u.dose3} pct={u.dose3Pct} />
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </Show>

      <section class="card" aria-labelledby="vacc-coverage-daily-title">
        <h2 id="vacc-coverage-daily-title">{t("vacc.coverage.daily")}</h2>
        <Show when={c().daily.some((d) => d.dose1 + d.dose2 + d.dose3plus > 0)} fallback={<p class="muted">{t("vacc.coverage.noDaily")}</p>}>
          <div class="table-wrap">
            <table class="data-table vacc-daily-table" data-testid="vacc-coverage-daily">
              <thead>
                <tr>
                  <th scope="col">{t("vacc.coverage.day")}</th>
                  <th scope="col" class="num">
                    {t("vacc.doseN", { n: 1 })}
                  </th>
                  <th scope="col" class="num">
                    {t("vacc.doseN", { n: 2 })}
                  </th>
                  <th scope="col" class="num">
                    {t("vacc.coverage.dose3plus")}
                  </th>
                  <th scope="col" class="vacc-daily-bar-col">
                    <span class="sr-only">{t("vacc.coverage.total")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={[...c().daily].reverse()}>
                  {(d) => (
                    <tr data-testid="vacc-coverage-day" data-day={d.day}>
                      <td class="nowrap">{formatDay(d.day)}</td>
                      <td class="num">{formatCount(d.dose1)}</td>
                      <td class="num">{formatCount(d.dose2)}</td>
                      <td class="num">{formatCount(d.dose3plus)}</td>
                      <td class="vacc-daily-bar-col">
                        <div class="vacc-stack" aria-hidden="true">
                          <span class="vacc-stack-1" style={{ width: `${(d.dose1 / maxDaily()) * 100}%` }} />
                          <span class="vacc-stack-2" style={{ width: `${(d.dose2 / maxDaily()) * 100}%` }} />
                          <span class="vacc-stack-3" style={{ width: `${(d.dose3plus / maxDaily()) * 100}%` }} />
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
    </>
  );
}

function DoseCell(props: { label: string; people: number; pct: number | null }) {
  return (
    <td data-label={props.label} class="vacc-dose-cell">
      <span class="vacc-dose-figures">
        <strong>{formatCount(props.people)}</strong> <span class="muted small">{formatPct(props.pct)}</span>
      </span>
      <Bar pct={props.pct} />
    </td>
  );
}

/** A horizontal bar of a share (0–100 %); nothing when the share is unknown. */
function Bar(props: { pct: number | null }) {
  return (
    <Show when={props.pct !== null}>
      <span class="vacc-bar" role="presentation">
        <span class="vacc-bar-fill" style={{ width: `${Math.max(0, Math.min(100, props.pct ?? 0))}%` }} />
      </span>
    </Show>
  );
}
