/**
 * Close contacts of the officer's area. "Today's calls": the worklist of open contacts not yet
 * followed up on the day (newly identified first). "All contacts": every contact, filtered by
 * status, degree, name or phone. Each row opens the contact.
 */
import { useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createSignal } from "solid-js";
import { canEditTracing } from "../../access";
import LoadMore from "../../components/LoadMore";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { todayInVietnam } from "../venues.data";
import ContactsTable from "./ContactsTable";
import { CONTACT_STATUSES, type ContactStatus } from "./tracing.api";
import { contactStatusLabel, createContactList, formatVnDay, sameContactFilters, type ContactFilters } from "./tracing.data";
import "./tracing.css";

type View = ContactFilters["view"];

export default function ContactsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<{ view?: string; caseId?: string }>();
  const caseId = () => params.caseId ?? "";
  const view = (): View => (params.view === "all" || caseId() ? "all" : "today");
  const [day, setDay] = createSignal("");
  const [q, setQ] = createSignal("");
  const [status, setStatus] = createSignal<ContactStatus | "">("");
  const [degree, setDegree] = createSignal<1 | 2 | "">("");
  const query = createDebounced(q, 300);

  const filters = createMemo(
    (): ContactFilters => ({ view: view(), day: day(), q: query().trim(), status: status(), degree: degree(), caseId: caseId() }),
    undefined,
    { equals: sameContactFilters },
  );
  const list = createContactList(filters);
  const today = () => todayInVietnam();

  const filtersActive = () => (view() === "all" ? !!(q() || status() || degree() || caseId()) : !!day());
  const clearFilters = () => {
    setParams({ caseId: undefined });
    setQ("");
    setStatus("");
    setDegree("");
    setDay("");
  };

  return (
    <section class="page" data-testid="contacts-page">
      <header class="page-head">
        <div>
          <h1 data-testid="contacts-title">{t("tracing.contacts.title")}</h1>
          <p class="muted">{view() === "today" ? t("tracing.contacts.leadToday") : t("tracing.contacts.leadAll")}</p>
        </div>
      </header>

      <div class="tabs" role="tablist" aria-label={t("tracing.contacts.title")}>
        <button type="button" role="tab" class="tab" aria-selected={view() === "today"} onClick={() => setParams({ view: undefined, caseId: undefined })} data-testid="contacts-tab-today">
          {t("tracing.contacts.tabToday")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={view() === "all"} onClick={() => setParams({ view: "all" })} data-testid="contacts-tab-all">
          {t("tracing.contacts.tabAll")}
        </button>
      </div>

      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()} data-testid="contacts-filters">
        <Show
          when={view() === "all"}
          fallback={
            <div class="toolbar-field day-field">
              <label for="contacts-day">{t("tracing.contacts.day")}</label>
              <input
                id="contacts-day"
                type="date"
                max={today()}
                value={day() || today()}
                onChange={(e) => setDay(!e.currentTarget.value || e.currentTarget.value === today() ? "" : e.currentTarget.value)}
                data-testid="contacts-day"
              />
            </div>
          }
        >
          <div class="toolbar-field grow">
            <label for="contacts-q" class="sr-only">
              {t("common.search")}
            </label>
            <input
              id="contacts-q"
              type="search"
              class="search-input"
              placeholder={t("tracing.contacts.search")}
              value={q()}
              onInput={(e) => setQ(e.currentTarget.value)}
              data-testid="contacts-search"
            />
          </div>
          <div class="toolbar-field">
            <label for="contacts-status">{t("tracing.col.status")}</label>
            <select id="contacts-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as ContactStatus | "")} data-testid="contacts-status-filter">
              <option value="">{t("common.all")}</option>
              <For each={CONTACT_STATUSES}>{(s) => <option value={s}>{contactStatusLabel(s)}</option>}</For>
            </select>
          </div>
          <div class="toolbar-field">
            <label for="contacts-degree">{t("tracing.col.degree")}</label>
            <select
              id="contacts-degree"
              value={String(degree())}
              onChange={(e) => setDegree(e.currentTarget.value === "" ? "" : (Number(e.currentTarget.value) as 1 | 2))}
              data-testid="contacts-degree-filter"
            >
              <option value="">{t("common.all")}</option>
              <option value="1">F1</option>
              <option value="2">F2</option>
            </select>
          </div>
        </Show>
        <Show when={filtersActive()}>
          <button type="button" class="btn btn-ghost btn-small toolbar-clear" onClick={clearFilters}>
            {t("common.clearFilters")}
          </button>
        </Show>
      </form>

      <Show when={view() === "today"}>
        <p class="small muted" data-testid="contacts-today-hint">
          {t("tracing.contacts.todayHint", { day: formatVnDay(day() || today()) })}
        </p>
      </Show>

      <div class="list-block" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <Show when={list.items().length > 0}>
          <ContactsTable
            contacts={list.items()}
            canEdit={canEditTracing(me().role)}
            showLastFollowUp
            onChanged={(updated) => list.update((items) => items.map((c) => (c.id === updated.id ? { ...c, ...updated } : c)))}
          />
        </Show>
        <Show when={list.loading() && list.items().length === 0}>
          <div class="table-empty">
            <Spinner label={t("common.loading")} />
          </div>
        </Show>
        <Show when={list.loaded() && list.items().length === 0}>
          <div class="table-empty muted card" data-testid="contacts-empty">
            <p>{view() === "today" && !filtersActive() ? t("tracing.contacts.emptyToday") : t("common.empty")}</p>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="contacts-load-more" />
    </section>
  );
}
