/**
 * Venues: venue staff see theirs, officers those of their area. Search, status and category
 * filters (and a commune filter for officers), keyset "load more", today's numbers per venue,
 * the officers' approve/suspend/reopen, and the form to register a venue.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { VENUE_CATEGORIES, VENUE_STATUSES, type Venue, type VenueCategory, type VenueStatus, type VenueStatusAction } from "../api";
import { canCreateVenues, canModerateVenues, lockedArea } from "../access";
import { areaLabel, ensureAreaNames, unitName } from "../adminUnits";
import ErrorBanner from "../components/ErrorBanner";
import Flash, { createFlash } from "../components/Flash";
import LoadMore from "../components/LoadMore";
import Spinner from "../components/Spinner";
import VenueStatusBadge, { venueStatusLabel as statusLabel } from "../components/VenueStatusBadge";
import { CommuneSelect, ProvinceSelect } from "../components/UnitSelect";
import { t } from "../i18n";
import { createDebounced } from "../pagination";
import { session } from "../session";
import VenueForm, { categoryLabel } from "./VenueForm";
import VenueModeration, { statusChangedMessage } from "./VenueModeration";
import { createVenueList, isOverCapacity, sameVenueFilters, type VenueFilters } from "./venues.data";

export default function VenuesPage() {
  const me = () => session.user()!;
  const isStaff = () => me().role === "venue_staff";
  const moderator = () => canModerateVenues(me().role);
  const locked = () => lockedArea(me());

  const [q, setQ] = createSignal("");
  const [status, setStatus] = createSignal<VenueStatus | "">("");
  const [category, setCategory] = createSignal<VenueCategory | "">("");
  const [provinceCode, setProvinceCode] = createSignal("");
  const [communeCode, setCommuneCode] = createSignal("");
  const query = createDebounced(q, 300);
  // The commune filter, for officers with more than one commune (the API filters by commune only).
  const communeFilterShown = () => !isStaff() && !(me().role === "commune_officer" || (me().role === "health_officer" && me().communeCode));
  const provincePickShown = () => communeFilterShown() && !locked().provinceCode;
  const filterProvince = () => locked().provinceCode ?? provinceCode();

  const filters = createMemo(
    (): VenueFilters => ({ q: query().trim(), status: status(), category: category(), provinceCode: locked().provinceCode ? "" : provinceCode(), communeCode: communeCode() }),
    undefined,
    { equals: sameVenueFilters },
  );
  const list = createVenueList(filters);
  createEffect(() => list.items().forEach((v) => ensureAreaNames(v.provinceCode, v.communeCode)));

  const flash = createFlash(8000);
  const [creating, setCreating] = createSignal(false);
  const [freshId, setFreshId] = createSignal<string | null>(null);
  const [pendingNotice, setPendingNotice] = createSignal<string | null>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);

  const replaceRow = (venue: Venue) => list.update((items) => items.map((v) => (v.id === venue.id ? venue : v)));

  const onCreated = (venue: Venue) => {
    list.update((items) => [venue, ...items.filter((v) => v.id !== venue.id)]);
    setFreshId(venue.id);
    setCreating(false);
    if (venue.status === "pending") setPendingNotice(venue.name);
    else flash.show(t("venues.create.created", { name: venue.name }));
  };

  const onStatusChanged = (venue: Venue, action: VenueStatusAction, from: Venue["status"]) => {
    replaceRow(venue);
    flash.show(statusChangedMessage(action, venue.name, from));
  };

  const filtersActive = () => !!(q() || status() || category() || provinceCode() || communeCode());
  const clearFilters = () => {
    setQ("");
    setStatus("");
    setCategory("");
    setProvinceCode("");
    setCommuneCode("");
  };

  return (
    <section class="page" data-testid="venues-page">
      <header class="page-head">
        <div>
          <h1 data-testid="venues-title">{t("venues.title")}</h1>
          <p class="muted">{isStaff() ? t("venues.lead.staff") : t("venues.lead")}</p>
        </div>
        <Show when={canCreateVenues(me().role) && !creating()}>
          <button type="button" class="btn btn-primary" data-testid="venue-create-open" onClick={() => setCreating(true)}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z" fill="currentColor" />
            </svg>
            {t("venues.create.open")}
          </button>
        </Show>
      </header>

      <Flash message={flash.message()} />
      <Show when={pendingNotice()}>
        {(name) => (
          <div class="banner banner-info" role="status" data-testid="venue-pending-notice">
            <svg class="banner-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm1 5h-2v6l5 3 1-1.7-4-2.3V7z" fill="currentColor" />
            </svg>
            <div class="banner-body">
              <p class="banner-message">{t("venues.create.pending", { name: name() })}</p>
            </div>
            <div class="banner-actions">
              <button type="button" class="icon-btn" aria-label={t("error.dismiss")} onClick={() => setPendingNotice(null)}>
                ×
              </button>
            </div>
          </div>
        )}
      </Show>

      <Show when={creating()}>
        <section class="card" aria-labelledby="venue-create-title" data-testid="venue-create">
          <h2 id="venue-create-title">{t("venues.create.title")}</h2>
          <VenueForm me={me()} onSaved={onCreated} onCancel={() => setCreating(false)} />
        </section>
      </Show>

      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="venues-filters">
        <div class="toolbar-field grow">
          <label for="venues-q" class="sr-only">
            {t("common.search")}
          </label>
          <input
            id="venues-q"
            type="search"
            class="search-input"
            placeholder={t("venues.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="venues-search"
          />
        </div>
        <div class="toolbar-field">
          <label for="venues-status">{t("venues.filter.status")}</label>
          <select id="venues-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as VenueStatus | "")} data-testid="venues-status-filter">
            <option value="">{t("common.all")}</option>
            <For each={VENUE_STATUSES}>{(s) => <option value={s}>{statusLabel(s)}</option>}</For>
          </select>
        </div>
        <div class="toolbar-field">
          <label for="venues-category">{t("venues.filter.category")}</label>
          <select
            id="venues-category"
            value={category()}
            onChange={(e) => setCategory(e.currentTarget.value as VenueCategory | "")}
            data-testid="venues-category-filter"
          >
            <option value="">{t("common.all")}</option>
            <For each={VENUE_CATEGORIES}>{(c) => <option value={c}>{categoryLabel(c)}</option>}</For>
          </select>
        </div>
        <Show when={provincePickShown()}>
          <div class="toolbar-field">
            <label for="venues-province">{t("area.province")}</label>
            <ProvinceSelect
              id="venues-province"
              value={provinceCode()}
              emptyLabel={t("area.chooseProvince")}
              testId="venues-province-filter"
              onChange={(code) => {
                setProvinceCode(code);
                setCommuneCode("");
              }}
            />
          </div>
        </Show>
        <Show when={communeFilterShown()}>
          <div class="toolbar-field">
            <label for="venues-commune">{t("area.commune")}</label>
            <CommuneSelect
              id="venues-commune"
              provinceCode={filterProvince() ?? ""}
              value={communeCode()}
              emptyLabel={t("area.anyCommune")}
              testId="venues-commune-filter"
              onChange={setCommuneCode}
            />
          </div>
        </Show>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters}>
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <ErrorBanner error={actionError()} onDismiss={() => setActionError(null)} />

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone" data-testid="venues-table">
          <thead>
            <tr>
              <th scope="col">{t("venues.col.name")}</th>
              <th scope="col">{t("venues.col.category")}</th>
              <th scope="col">{t("venues.col.commune")}</th>
              <th scope="col">{t("venues.col.status")}</th>
              <th scope="col" class="num">
                {t("venues.col.today")}
              </th>
              <th scope="col" class="num">
                {t("venues.col.inside")}
              </th>
              <Show when={moderator()}>
                <th scope="col" class="actions-col">
                  {t("venues.col.actions")}
                </th>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(venue) => (
                <tr
                  data-testid="venue-row"
                  data-venue-id={venue.id}
                  data-venue-name={venue.name}
                  data-status={venue.status}
                  classList={{ "row-fresh": venue.id === freshId(), "row-disabled": venue.status === "suspended" }}
                >
                  <td data-label={t("venues.col.name")} class="cell-title">
                    <A href={`/venues/${encodeURIComponent(venue.id)}`} class="venue-link" data-testid="venue-open">
                      {venue.name}
                    </A>
                    <span class="sub muted">{venue.address}</span>
                  </td>
                  <td data-label={t("venues.col.category")}>{categoryLabel(venue.category)}</td>
                  <td data-label={t("venues.col.commune")}>
                    <span title={areaLabel(venue.provinceCode, venue.communeCode)}>
                      {venue.communeCode ? unitName(venue.communeCode) : areaLabel(venue.provinceCode, null)}
                    </span>
                  </td>
                  <td data-label={t("venues.col.status")}>
                    <div>
                      <VenueStatusBadge status={venue.status} />
                      <Show when={venue.status === "suspended" && venue.statusReason}>
                        <span class="sub muted">{venue.statusReason}</span>
                      </Show>
                    </div>
                  </td>
                  <td data-label={t("venues.col.today")} class="num" data-testid="venue-today">
                    {venue.todayCheckins}
                  </td>
                  <td data-label={t("venues.col.inside")} class="num">
                    <span class="nowrap">
                      <span data-testid="venue-inside">{venue.insideNow}</span>
                      <Show when={venue.capacity}>
                        <span class="muted"> / {venue.capacity}</span>
                      </Show>
                      <Show when={isOverCapacity(venue)}>
                        <span class="warn-badge" data-testid="venue-over-capacity" title={t("venues.overCapacity")}>
                          ⚠ {t("venues.overCapacity")}
                        </span>
                      </Show>
                    </span>
                  </td>
                  <Show when={moderator()}>
                    <td data-label={t("venues.col.actions")} class="actions-col">
                      <div class="row-actions">
                        <VenueModeration venue={venue} small onChanged={onStatusChanged} onError={setActionError} />
                      </div>
                    </td>
                  </Show>
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
          <div class="table-empty muted" data-testid="venues-empty">
            <p>{isStaff() && !filtersActive() ? t("venues.empty.staff") : t("common.empty")}</p>
            <Show when={filtersActive()}>
              <button type="button" class="btn btn-small" onClick={clearFilters}>
                {t("common.clearFilters")}
              </button>
            </Show>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="venues-load-more" />
    </section>
  );
}
