/** Venues of the officer's area where a case was present in the last N days. */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createSignal } from "solid-js";
import { areaLabel, ensureAreaNames, unitName } from "../../adminUnits";
import LoadMore from "../../components/LoadMore";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { createRiskyVenueList, formatVnDateTime } from "./tracing.data";
import "./tracing.css";

const DAY_CHOICES = [3, 7, 14, 21, 30, 60] as const;

export default function RiskyVenuesPage() {
  const [days, setDays] = createSignal(14);
  const list = createRiskyVenueList(days);
  createEffect(() => list.items().forEach((v) => ensureAreaNames(v.provinceCode, v.communeCode)));

  return (
    <section class="page" data-testid="risky-venues-page">
      <header class="page-head">
        <div>
          <h1 data-testid="risky-venues-title">{t("tracing.risky.title")}</h1>
          <p class="muted">{t("tracing.risky.lead", { days: days() })}</p>
        </div>
      </header>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
        <div class="toolbar-field" style={{ flex: "0 1 220px" }}>
          <label for="risky-days">{t("tracing.risky.days")}</label>
          <select id="risky-days" value={String(days())} onChange={(e) => setDays(Number(e.currentTarget.value))} data-testid="risky-days">
            <For each={DAY_CHOICES}>
              {(n) => (
                <option value={n} selected={n === days()}>
                  {t("tracing.risky.daysOption", { n })}
                </option>
              )}
            </For>
          </select>
        </div>
      </form>
      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone" data-testid="risky-venues-table">
          <thead>
            <tr>
              <th scope="col">{t("tracing.col.venue")}</th>
              <th scope="col">{t("tracing.cases.col.area")}</th>
              <th scope="col" class="num">
                {t("tracing.risky.cases")}
              </th>
              <th scope="col" class="num">
                {t("tracing.risky.visits")}
              </th>
              <th scope="col" class="num">
                {t("tracing.risky.contacts")}
              </th>
              <th scope="col">{t("tracing.risky.lastVisit")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(v) => (
                <tr data-testid="risky-venue-row" data-venue-id={v.venueId} data-venue-name={v.name}>
                  <td data-label={t("tracing.col.venue")} class="cell-title">
                    <A href={`/venues/${encodeURIComponent(v.venueId)}`} class="venue-link">
                      {v.name}
                    </A>
                    <span class="sub muted">{v.address}</span>
                  </td>
                  <td data-label={t("tracing.cases.col.area")}>
                    <span title={areaLabel(v.provinceCode, v.communeCode)}>{v.communeCode ? unitName(v.communeCode) : areaLabel(v.provinceCode, null)}</span>
                  </td>
                  <td data-label={t("tracing.risky.cases")} class="num" data-testid="risky-cases">
                    {v.cases}
                  </td>
                  <td data-label={t("tracing.risky.visits")} class="num">
                    {v.visits}
                  </td>
                  <td data-label={t("tracing.risky.contacts")} class="num">
                    {v.contacts}
                  </td>
                  <td data-label={t("tracing.risky.lastVisit")} class="nowrap">
                    {formatVnDateTime(v.lastVisitAt)}
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
          <div class="table-empty muted" data-testid="risky-venues-empty">
            <p>{t("tracing.risky.empty", { days: days() })}</p>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="risky-venues-load-more" />
    </section>
  );
}
