/**
 * Health declarations of the officer's area: the risky first (follow-up, then watch), newest
 * first within each; filters by day range, risk, kind, review and commune, kept in the address
 * so "back" from a declaration returns to the same list; keyset "load more"; the counts per day
 * of the range above the list.
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo } from "solid-js";
import { areaLabel, ensureAreaNames, unitName } from "../../adminUnits";
import Field, { describedBy } from "../../components/Field";
import LoadMore from "../../components/LoadMore";
import Spinner from "../../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { session } from "../../session";
import { todayInVietnam } from "../venues.data";
import { ReviewBadge, RiskWithReasons } from "./Badges";
import { DECLARATION_KINDS, RISK_LEVELS, REVIEW_STATUSES } from "./declarations.api";
import {
  DEFAULT_RANGE_DAYS,
  createDeclarationList,
  kindLabel,
  reviewLabel,
  riskLabel,
  sameDeclarationFilters,
  type DeclarationFilters,
  type StatsRange,
} from "./declarations.data";
import { addDays, areaFilterOf, formatVnDateTime, formatVnDay, isDay } from "./format";
import StatsCard from "./StatsCard";
import "./declarations.css";

type Params = { from?: string; to?: string; risk?: string; kind?: string; review?: string; province?: string; commune?: string };

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[]): T | "" => (allowed.includes(value as T) ? (value as T) : "");

export default function DeclarationsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const today = todayInVietnam();
  const defaultFrom = addDays(today, -(DEFAULT_RANGE_DAYS - 1));

  const from = () => (isDay(params.from) ? params.from : defaultFrom);
  const to = () => (isDay(params.to) ? params.to : today);
  const badRange = () => from() > to();
  const areaMode = () => areaFilterOf(me());
  const provinceCode = () => (areaMode() === "province" ? (params.province ?? "") : "");
  const communeCode = () => (areaMode() === "none" ? "" : areaMode() === "province" && !provinceCode() ? "" : (params.commune ?? ""));

  // A backwards range keeps the last good one on screen (the field says what is wrong).
  const filters = createMemo(
    (prev: DeclarationFilters | undefined): DeclarationFilters =>
      badRange() && prev
        ? prev
        : {
            from: from(),
            to: to(),
            risk: oneOf(params.risk, RISK_LEVELS),
            kind: oneOf(params.kind, DECLARATION_KINDS),
            review: oneOf(params.review, REVIEW_STATUSES),
            provinceCode: provinceCode(),
            communeCode: communeCode(),
          },
    undefined,
    { equals: sameDeclarationFilters },
  );
  const range = createMemo(
    (): StatsRange => ({ from: filters().from, to: filters().to, provinceCode: filters().provinceCode, communeCode: filters().communeCode }),
    undefined,
    { equals: (a, b) => a.from === b.from && a.to === b.to && a.provinceCode === b.provinceCode && a.communeCode === b.communeCode },
  );
  const list = createDeclarationList(filters);
  createEffect(() => list.items().forEach((d) => ensureAreaNames(d.provinceCode, d.communeCode)));

  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const setDay = (key: "from" | "to", value: string, fallback: string) => set({ [key]: !value || value === fallback ? undefined : value });
  const filtersActive = () => !!(params.from || params.to || params.risk || params.kind || params.review || params.province || params.commune);
  const clearFilters = () => set({ from: undefined, to: undefined, risk: undefined, kind: undefined, review: undefined, province: undefined, commune: undefined });

  return (
    <section class="page" data-testid="declarations-page">
      <header class="page-head">
        <div>
          <h1 data-testid="declarations-title">{t("decl.title")}</h1>
          <p class="muted">{t("decl.lead")}</p>
        </div>
      </header>

      <form class="toolbar decl-toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="declarations-filters">
        <Field id="decl-from" label={t("decl.filter.from")} class="toolbar-field decl-day-field" error={badRange() ? t("decl.filter.badRange") : undefined}>
          <input
            id="decl-from"
            type="date"
            max={today}
            value={from()}
            onChange={(e) => setDay("from", e.currentTarget.value, defaultFrom)}
            aria-invalid={badRange() ? "true" : undefined}
            aria-describedby={describedBy("decl-from", badRange() ? "x" : undefined)}
            data-testid="decl-filter-from"
          />
        </Field>
        <Field id="decl-to" label={t("decl.filter.to")} class="toolbar-field decl-day-field">
          <input id="decl-to" type="date" max={today} value={to()} onChange={(e) => setDay("to", e.currentTarget.value, today)} data-testid="decl-filter-to" />
        </Field>
        <div class="toolbar-field">
          <label for="decl-risk">{t("decl.filter.risk")}</label>
          <select id="decl-risk" value={filters().risk} onChange={(e) => set({ risk: e.currentTarget.value || undefined })} data-testid="decl-filter-risk">
            <option value="">{t("common.all")}</option>
            <For each={RISK_LEVELS}>{(r) => <option value={r}>{riskLabel(r)}</option>}</For>
          </select>
        </div>
        <div class="toolbar-field">
          <label for="decl-kind">{t("decl.filter.kind")}</label>
          <select id="decl-kind" value={filters().kind} onChange={(e) => set({ kind: e.currentTarget.value || undefined })} data-testid="decl-filter-kind">
            <option value="">{t("common.all")}</option>
            <For each={DECLARATION_KINDS}>{(k) => <option value={k}>{kindLabel(k)}</option>}</For>
          </select>
        </div>
        <div class="toolbar-field">
          <label for="decl-review">{t("decl.filter.review")}</label>
          <select id="decl-review" value={filters().review} onChange={(e) => set({ review: e.currentTarget.value || undefined })} data-testid="decl-filter-review">
            <option value="">{t("common.all")}</option>
            <For each={REVIEW_STATUSES}>{(r) => <option value={r}>{reviewLabel(r)}</option>}</For>
          </select>
        </div>
        <Switch>
          <Match when={areaMode() === "province"}>
            <div class="toolbar-field">
              <label for="decl-province">{t("area.province")}</label>
              <ProvinceSelect
                id="decl-province"
                value={provinceCode()}
                emptyLabel={t("area.anyProvince")}
                onChange={(code) => set({ province: code || undefined, commune: undefined })}
                testId="decl-filter-province"
              />
            </div>
            <div class="toolbar-field">
              <label for="decl-commune">{t("decl.filter.commune")}</label>
              <CommuneSelect
                id="decl-commune"
                provinceCode={provinceCode()}
                value={communeCode()}
                emptyLabel={t("area.anyCommune")}
                onChange={(code) => set({ commune: code || undefined })}
                testId="decl-filter-commune"
              />
            </div>
          </Match>
          <Match when={areaMode() === "commune"}>
            <div class="toolbar-field">
              <label for="decl-commune">{t("decl.filter.commune")}</label>
              <CommuneSelect
                id="decl-commune"
                provinceCode={me().provinceCode ?? ""}
                value={communeCode()}
                emptyLabel={t("area.anyCommune")}
                onChange={(code) => set({ commune: code || undefined })}
                testId="decl-filter-commune"
              />
            </div>
          </Match>
        </Switch>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters} data-testid="decl-clear-filters">
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <StatsCard range={range} />

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone decl-table" data-testid="declarations-table">
          <thead>
            <tr>
              <th scope="col">{t("decl.col.person")}</th>
              <th scope="col">{t("decl.col.risk")}</th>
              <th scope="col">{t("decl.col.kind")}</th>
              <th scope="col">{t("decl.col.area")}</th>
              <th scope="col">{t("decl.col.filed")}</th>
              <th scope="col">{t("decl.col.review")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(d) => (
                <tr data-testid="decl-row" data-declaration-id={d.id} data-risk={d.risk} data-review={d.review} data-person-name={d.fullName}>
                  <td data-label={t("decl.col.person")} class="cell-title">
                    <A href={`/declarations/${encodeURIComponent(d.id)}`} class="venue-link" data-testid="decl-open">
                      {d.fullName}
                    </A>
                    <span class="sub muted">
                      {d.phone ?? "–"} · {d.birthYear}
                    </span>
                  </td>
                  <td data-label={t("decl.col.risk")}>
                    <RiskWithReasons risk={d.risk} reasons={d.riskReasons} />
                  </td>
                  <td data-label={t("decl.col.kind")}>
                    <span data-testid="decl-kind">{kindLabel(d.kind)}</span>
                    <Show when={d.venue}>{(v) => <span class="sub muted">{v().name}</span>}</Show>
                  </td>
                  <td data-label={t("decl.col.area")}>
                    <span title={areaLabel(d.provinceCode, d.communeCode)}>{d.communeCode ? unitName(d.communeCode) : areaLabel(d.provinceCode, null)}</span>
                  </td>
                  <td data-label={t("decl.col.filed")} class="nowrap">
                    {formatVnDateTime(d.createdAt)}
                  </td>
                  <td data-label={t("decl.col.review")}>
                    <ReviewBadge review={d.review} />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={list.loading() && list.items().length === 0}>
          <div class="table-empty">
            <Spinner label={t("common.loading")} />
          </div>
        </Show>
        <Show when={list.loaded() && list.items().length === 0}>
          <div class="table-empty muted" data-testid="declarations-empty">
            <p>{filtersActive() ? t("common.empty") : t("decl.empty")}</p>
            <p class="small">
              {formatVnDay(filters().from)} – {formatVnDay(filters().to)}
            </p>
            <Show when={filtersActive()}>
              <button type="button" class="btn btn-small" onClick={clearFilters}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="declarations-load-more" />
    </section>
  );
}
