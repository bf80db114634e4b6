/**
 * The audit log of the caller's area: who did what to which subject, when and from where.
 * Filters are kept in the URL so a link ("history of this user") opens the right slice.
 */
import { useSearchParams } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal, on } from "solid-js";
import type { AuditEntry } from "../api";
import { areaLabel, ensureAreaNames } from "../adminUnits";
import Field from "../components/Field";
import LoadMore from "../components/LoadMore";
import Spinner from "../components/Spinner";
import { formatDateTime, roleLabel, t } from "../i18n";
import { AUDIT_FILTER_KEYS, createAuditList, sameAuditFilters, type AuditFilters } from "./audit.data";

const SUBJECT_TYPES = ["user", "person", "venue", "checkin", "declaration", "vaccination", "test", "case", "contact", "report", "export"];

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

function detailsText(details: unknown): string | null {
  if (details === null || details === undefined) return null;
  if (typeof details === "object" && Object.keys(details).length === 0) return null;
  return JSON.stringify(details, null, 2);
}

export default function AuditPage() {
  const [params, setParams] = useSearchParams();

  const filters = createMemo(
    (): AuditFilters => ({
      action: one(params.action),
      subjectType: one(params.subjectType),
      subjectId: one(params.subjectId),
      actorUserId: one(params.actorUserId),
      from: one(params.from),
      to: one(params.to),
    }),
    undefined,
    { equals: sameAuditFilters },
  );
  const list = createAuditList(filters);
  createEffect(() => list.items().forEach((e) => ensureAreaNames(e.provinceCode, e.communeCode)));

  // The form edits a draft; "Filter" writes it to the URL, which reloads the list.
  const [action, setAction] = createSignal("");
  const [subjectType, setSubjectType] = createSignal("");
  const [from, setFrom] = createSignal("");
  const [to, setTo] = createSignal("");
  const [rangeError, setRangeError] = createSignal<string | undefined>();
  createEffect(
    on(filters, (f) => {
      setAction(f.action);
      setSubjectType(f.subjectType);
      setFrom(f.from);
      setTo(f.to);
    }),
  );

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    if (from() && to() && from() > to()) {
      setRangeError(t("audit.filter.badRange"));
      return;
    }
    setRangeError(undefined);
    setParams({
      action: action().trim() || undefined,
      subjectType: subjectType().trim() || undefined,
      from: from() || undefined,
      to: to() || undefined,
    });
  };

  const clearAll = () => {
    setRangeError(undefined);
    setParams(Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, undefined])));
  };
  const anyFilter = () => AUDIT_FILTER_KEYS.some((k) => filters()[k]);

  const actorName = (e: AuditEntry) => e.actorUsername ?? (e.actorUserId ? short(e.actorUserId) : t("audit.system"));

  return (
    <section class="page" data-testid="audit-page">
      <header class="page-head">
        <div>
          <h1 data-testid="audit-title">{t("audit.title")}</h1>
          <p class="muted">{t("audit.lead")}</p>
        </div>
      </header>

      <form class="toolbar toolbar-form" onSubmit={apply} noValidate data-testid="audit-filters">
        <Field id="audit-action" label={t("audit.filter.action")} class="toolbar-field">
          <input
            id="audit-action"
            placeholder={t("audit.filter.actionPlaceholder")}
            autocapitalize="none"
            spellcheck={false}
            value={action()}
            onInput={(e) => setAction(e.currentTarget.value)}
            data-testid="audit-action"
          />
        </Field>
        <Field id="audit-subjectType" label={t("audit.filter.subjectType")} class="toolbar-field">
          <input
            id="audit-subjectType"
            list="audit-subject-types"
            placeholder={t("audit.filter.subjectTypePlaceholder")}
            autocapitalize="none"
            spellcheck={false}
            value={subjectType()}
            onInput={(e) => setSubjectType(e.currentTarget.value)}
            data-testid="audit-subject-type"
          />
          <datalist id="audit-subject-types">
            <For each={SUBJECT_TYPES}>{(s) => <option value={s} />}</For>
          </datalist>
        </Field>
        <Field id="audit-from" label={t("audit.filter.from")} class="toolbar-field" error={rangeError()}>
          <input
            id="audit-from"
            type="date"
            value={from()}
            max={to() || undefined}
            onInput={(e) => setFrom(e.currentTarget.value)}
            aria-invalid={rangeError() ? "true" : undefined}
            data-testid="audit-from"
          />
        </Field>
        <Field id="audit-to" label={t("audit.filter.to")} class="toolbar-field">
          <input
            id="audit-to"
            type="date"
            value={to()}
            min={from() || undefined}
            onInput={(e) => setTo(e.currentTarget.value)}
            data-testid="audit-to"
          />
        </Field>
        <div class="toolbar-buttons">
          <button type="submit" class="btn btn-primary" data-testid="audit-apply">
            {t("common.filter")}
          </button>
          <Show when={anyFilter()}>
            <button type="button" class="btn btn-ghost" onClick={clearAll} data-testid="audit-clear">
              {t("common.clearFilters")}
            </button>
          </Show>
        </div>
      </form>

      <Show when={filters().actorUserId || filters().subjectId}>
        <div class="chips">
          <Show when={filters().actorUserId}>
            <span class="chip">
              {t("audit.filter.actor")}: <code>{short(filters().actorUserId)}</code>
              <button type="button" aria-label={t("common.remove")} onClick={() => setParams({ actorUserId: undefined })}>
                ×
              </button>
            </span>
          </Show>
          <Show when={filters().subjectId}>
            <span class="chip">
              {t("audit.filter.subject")}: <code>{short(filters().subjectId)}</code>
              <button type="button" aria-label={t("common.remove")} onClick={() => setParams({ subjectId: undefined })}>
                ×
              </button>
            </span>
          </Show>
        </div>
      </Show>

      <div class="table-wrap" classList={{ stale: list.loading() && !list.loaded() }} aria-busy={list.loading()}>
        <table class="data-table cards-on-phone" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t("audit.col.at")}</th>
              <th scope="col">{t("audit.col.actor")}</th>
              <th scope="col">{t("audit.col.action")}</th>
              <th scope="col">{t("audit.col.subject")}</th>
              <th scope="col">{t("audit.col.area")}</th>
              <th scope="col">{t("audit.col.origin")}</th>
              <th scope="col">{t("audit.col.details")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(entry) => (
                <tr data-testid="audit-row">
                  <td data-label={t("audit.col.at")} class="nowrap cell-title">
                    <time datetime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td data-label={t("audit.col.actor")}>
                    <div>
                      <Show when={entry.actorUserId} fallback={<span class="muted">{actorName(entry)}</span>}>
                        <button
                          type="button"
                          class="link-btn"
                          title={t("audit.byActor")}
                          onClick={() => setParams({ actorUserId: entry.actorUserId ?? undefined })}
                        >
                          {actorName(entry)}
                        </button>
                      </Show>
                      <Show when={entry.actorRole}>
                        {(r) => <span class="sub muted">{roleLabel(r())}</span>}
                      </Show>
                    </div>
                  </td>
                  <td data-label={t("audit.col.action")}>
                    <code class="action-code">{entry.action}</code>
                  </td>
                  <td data-label={t("audit.col.subject")}>
                    <Show when={entry.subjectType} fallback={<span class="muted">—</span>}>
                      <div>
                        <span>{entry.subjectType}</span>
                        <Show when={entry.subjectId}>
                          {(id) => (
                            <button
                              type="button"
                              class="link-btn sub mono"
                              title={`${t("audit.bySubject")}: ${id()}`}
                              onClick={() => setParams({ subjectType: entry.subjectType ?? undefined, subjectId: id() })}
                            >
                              {short(id())}
                            </button>
                          )}
                        </Show>
                      </div>
                    </Show>
                  </td>
                  <td data-label={t("audit.col.area")}>
                    {entry.provinceCode || entry.communeCode ? areaLabel(entry.provinceCode, entry.communeCode) : <span class="muted">—</span>}
                  </td>
                  <td data-label={t("audit.col.origin")}>
                    <div>
                      <span class="mono">{entry.ip ?? "—"}</span>
                      <Show when={entry.requestId}>
                        <span class="sub muted mono" title={`${t("error.requestId")}: ${entry.requestId}`}>
                          {short(entry.requestId ?? "")}
                        </span>
                      </Show>
                    </div>
                  </td>
                  <td data-label={t("audit.col.details")}>
                    <Show when={detailsText(entry.details)} fallback={<span class="muted">—</span>}>
                      {(text) => (
                        <details class="json-details">
                          <summary>{t("audit.showDetails")}</summary>
                          <pre>{text()}</pre>
                        </details>
                      )}
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
        <Show when={list.loaded() && list.items().length === 0 && !list.error()}>
          <div class="table-empty muted" data-testid="audit-empty">
            <p>{t("common.empty")}</p>
          </div>
        </Show>
      </div>
      <LoadMore list={list} testId="audit-load-more" />
    </section>
  );
}
