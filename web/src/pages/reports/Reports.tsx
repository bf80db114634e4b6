/**
 * The community-reports inbox of the officer's area: one tab per status (new, checking,
 * resolved, unfounded), a kind filter (and a commune filter above the commune level), newest
 * first, keyset "load more". The tab and filters live in the address, so "back" from a report
 * returns to the same view.
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo } from "solid-js";
import { areaLabel, ensureAreaNames, unitName } from "../../adminUnits";
import LoadMore from "../../components/LoadMore";
import Spinner from "../../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { session } from "../../session";
import { areaFilterOf, formatVnDateTime } from "../declarations/format";
import { ReportStatusBadge } from "./Badges";
import { REPORT_KINDS, REPORT_STATUSES, type ReportKind, type ReportStatus } from "./reports.api";
import { createReportList, excerpt, reportKindLabel, reportStatusLabel, sameReportFilters, type ReportFilters } from "./reports.data";
import "./reports.css";

type Params = { status?: string; kind?: string; province?: string; commune?: string };

export default function ReportsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const status = (): ReportStatus => (REPORT_STATUSES.includes(params.status as ReportStatus) ? (params.status as ReportStatus) : "new");
  const kind = (): ReportKind | "" => (REPORT_KINDS.includes(params.kind as ReportKind) ? (params.kind as ReportKind) : "");
  const areaMode = () => areaFilterOf(me());
  const provinceCode = () => (areaMode() === "province" ? (params.province ?? "") : "");
  const communeCode = () => (areaMode() === "none" ? "" : areaMode() === "province" && !provinceCode() ? "" : (params.commune ?? ""));

  const filters = createMemo(
    (): ReportFilters => ({ status: status(), kind: kind(), provinceCode: provinceCode(), communeCode: communeCode() }),
    undefined,
    { equals: sameReportFilters },
  );
  const list = createReportList(filters);
  createEffect(() => list.items().forEach((r) => ensureAreaNames(r.provinceCode, r.communeCode)));

  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const filtersActive = () => !!(params.kind || params.province || params.commune);
  const clearFilters = () => set({ kind: undefined, province: undefined, commune: undefined });

  return (
    <section class="page" data-testid="reports-page">
      <header class="page-head">
        <div>
          <h1 data-testid="reports-title">{t("reports.title")}</h1>
          <p class="muted">{t("reports.lead")}</p>
        </div>
      </header>

      <div class="tabs report-tabs" role="tablist" aria-label={t("reports.col.status")}>
        <For each={REPORT_STATUSES}>
          {(s) => (
            <button
              type="button"
              role="tab"
              class="tab"
              aria-selected={status() === s}
              onClick={() => setParams({ status: s === "new" ? undefined : s })}
              data-testid={`reports-tab-${s}`}
            >
              {reportStatusLabel(s)}
            </button>
          )}
        </For>
      </div>

      <form class="toolbar report-toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="reports-filters">
        <div class="toolbar-field">
          <label for="reports-kind">{t("reports.filter.kind")}</label>
          <select id="reports-kind" value={kind()} onChange={(e) => set({ kind: e.currentTarget.value || undefined })} data-testid="reports-filter-kind">
            <option value="">{t("common.all")}</option>
            <For each={REPORT_KINDS}>{(k) => <option value={k}>{reportKindLabel(k)}</option>}</For>
          </select>
        </div>
        <Switch>
          <Match when={areaMode() === "province"}>
            <div class="toolbar-field">
              <label for="reports-province">{t("area.province")}</label>
              <ProvinceSelect
                id="reports-province"
                value={provinceCode()}
                emptyLabel={t("area.anyProvince")}
                onChange={(code) => set({ province: code || undefined, commune: undefined })}
                testId="reports-filter-province"
              />
            </div>
            <div class="toolbar-field">
              <label for="reports-commune">{t("reports.filter.commune")}</label>
              <CommuneSelect
                id="reports-commune"
                provinceCode={provinceCode()}
                value={communeCode()}
                emptyLabel={t("area.anyCommune")}
                onChange={(code) => set({ commune: code || undefined })}
                testId="reports-filter-commune"
              />
            </div>
          </Match>
          <Match when={areaMode() === "commune"}>
            <div class="toolbar-field">
              <label for="reports-commune">{t("reports.filter.commune")}</label>
              <CommuneSelect
                id="reports-commune"
                provinceCode={me().provinceCode ?? ""}
                value={communeCode()}
                emptyLabel={t("area.anyCommune")}
                onChange={(code) => set({ commune: code || undefined })}
                testId="reports-filter-commune"
              />
            </div>
          </Match>
        </Switch>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters}>
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()} role="tabpanel">
        <table class="data-table cards-on-phone report-table" data-testid="reports-table">
          <thead>
            <tr>
              <th scope="col">{t("reports.col.report")}</th>
              <th scope="col">{t("reports.col.kind")}</th>
              <th scope="col">{t("reports.col.place")}</th>
              <th scope="col">{t("reports.col.area")}</th>
              <th scope="col">{t("reports.col.received")}</th>
              <th scope="col">{t("reports.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(r) => (
                <tr data-testid="report-row" data-report-id={r.id} data-receipt={r.receipt} data-status={r.status} data-kind={r.kind}>
                  <td data-label={t("reports.col.report")} class="cell-title report-cell-title">
                    <A href={`/reports/${encodeURIComponent(r.id)}`} class="venue-link" data-testid="report-open">
                      {excerpt(r.description, 90)}
                    </A>
                    <span class="sub muted">
                      {t("reports.receipt")}: <code data-testid="report-receipt">{r.receipt}</code>
                    </span>
                  </td>
                  <td data-label={t("reports.col.kind")}>
                    <span class={`report-kind report-kind-${r.kind}`} data-testid="report-kind">
                      {reportKindLabel(r.kind)}
                    </span>
                  </td>
                  <td data-label={t("reports.col.place")}>{r.place ?? <span class="muted">{t("reports.noPlace")}</span>}</td>
                  <td data-label={t("reports.col.area")}>
                    <span title={areaLabel(r.provinceCode, r.communeCode)}>{r.communeCode ? unitName(r.communeCode) : areaLabel(r.provinceCode, null)}</span>
                  </td>
                  <td data-label={t("reports.col.received")} class="nowrap">
                    {formatVnDateTime(r.createdAt)}
                  </td>
                  <td data-label={t("reports.col.status")}>
                    <ReportStatusBadge status={r.status} />
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
          <div class="table-empty muted" data-testid="reports-empty">
            <p>{filtersActive() ? t("common.empty") : t("reports.empty")}</p>
            <Show when={filtersActive()}>
              <button type="button" class="btn btn-small" onClick={clearFilters}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="reports-load-more" />
    </section>
  );
}
