/**
 * Cases (F0) of the officer's area: search by name or phone, status filter, keyset "load more",
 * and the way to register a new case.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { canEditTracing } from "../../access";
import { areaLabel, ensureAreaNames, unitName } from "../../adminUnits";
import LoadMore from "../../components/LoadMore";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { CaseStatusBadge } from "./Badges";
import { CASE_STATUSES, type CaseStatus } from "./tracing.api";
import { caseStatusLabel, createCaseList, formatVnDateTime, formatVnDay, methodLabel, sameCaseFilters, type CaseFilters } from "./tracing.data";
import "./tracing.css";

export default function CasesPage() {
  const me = () => session.user()!;
  const [q, setQ] = createSignal("");
  const [status, setStatus] = createSignal<CaseStatus | "">("");
  const query = createDebounced(q, 300);
  const filters = createMemo((): CaseFilters => ({ q: query().trim(), status: status() }), undefined, { equals: sameCaseFilters });
  const list = createCaseList(filters);
  createEffect(() => list.items().forEach((c) => ensureAreaNames(c.provinceCode, c.communeCode)));

  const filtersActive = () => !!(q() || status());
  const clearFilters = () => {
    setQ("");
    setStatus("");
  };

  return (
    <section class="page" data-testid="cases-page">
      <header class="page-head">
        <div>
          <h1 data-testid="cases-title">{t("tracing.cases.title")}</h1>
          <p class="muted">{t("tracing.cases.lead")}</p>
        </div>
        <Show when={canEditTracing(me().role)}>
          <A href="/cases/new" class="btn btn-primary" data-testid="case-new">
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z" fill="currentColor" />
            </svg>
            {t("tracing.cases.new")}
          </A>
        </Show>
      </header>

      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="cases-filters">
        <div class="toolbar-field grow">
          <label for="cases-q" class="sr-only">
            {t("common.search")}
          </label>
          <input
            id="cases-q"
            type="search"
            class="search-input"
            placeholder={t("tracing.cases.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="cases-search"
          />
        </div>
        <div class="toolbar-field">
          <label for="cases-status">{t("tracing.cases.filter.status")}</label>
          <select id="cases-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as CaseStatus | "")} data-testid="cases-status-filter">
            <option value="">{t("common.all")}</option>
            <For each={CASE_STATUSES}>{(s) => <option value={s}>{caseStatusLabel(s)}</option>}</For>
          </select>
        </div>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters}>
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone" data-testid="cases-table">
          <thead>
            <tr>
              <th scope="col">{t("tracing.cases.col.person")}</th>
              <th scope="col">{t("tracing.cases.col.confirmed")}</th>
              <th scope="col">{t("tracing.cases.col.area")}</th>
              <th scope="col">{t("tracing.cases.col.status")}</th>
              <th scope="col" class="num">
                F1 / F2
              </th>
              <th scope="col">{t("tracing.cases.col.traced")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(c) => (
                <tr data-testid="case-row" data-case-id={c.id} data-person-name={c.person.fullName}>
                  <td data-label={t("tracing.cases.col.person")} class="cell-title">
                    <A href={`/cases/${encodeURIComponent(c.id)}`} class="venue-link" data-testid="case-open">
                      {c.person.fullName}
                    </A>
                    <span class="sub muted">
                      {c.person.phone ?? "–"}
                      <Show when={c.person.birthYear}> · {c.person.birthYear}</Show>
                    </span>
                  </td>
                  <td data-label={t("tracing.cases.col.confirmed")} class="nowrap">
                    <div>
                      {formatVnDay(c.confirmedOn)}
                      <span class="sub muted">{methodLabel(c.method)}</span>
                    </div>
                  </td>
                  <td data-label={t("tracing.cases.col.area")}>
                    <span title={areaLabel(c.provinceCode, c.communeCode)}>{c.communeCode ? unitName(c.communeCode) : areaLabel(c.provinceCode, null)}</span>
                  </td>
                  <td data-label={t("tracing.cases.col.status")}>
                    <CaseStatusBadge status={c.status} />
                  </td>
                  <td data-label="F1 / F2" class="num nowrap" data-testid="case-counts">
                    {c.contacts.f1} / {c.contacts.f2}
                  </td>
                  <td data-label={t("tracing.cases.col.traced")} class="nowrap">
                    <Show when={c.tracedAt} fallback={<span class="muted">{t("tracing.cases.notTraced")}</span>}>
                      {formatVnDateTime(c.tracedAt)}
                    </Show>
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
          <div class="table-empty muted" data-testid="cases-empty">
            <p>{filtersActive() ? t("common.empty") : t("tracing.cases.empty")}</p>
            <Show when={filtersActive()}>
              <button type="button" class="btn btn-small" onClick={clearFilters}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="cases-load-more" />
    </section>
  );
}
