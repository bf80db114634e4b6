/**
 * Bulk import of the lists sites keep: upload a CSV for a site (nothing is written yet: the next
 * page shows what each row would do), and the imports of the area with their counts.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal } from "solid-js";
import { canVaccinate } from "../../access";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import VaccinationNav from "./VaccinationNav";
import { IMPORT_STATUSES, listSites, uploadImport, type ImportStatus, type Site } from "./vaccination.api";
import { createImportList, formatCount, importStatusLabel, localised, sameFilters } from "./vaccination.data";
import "./vaccination.css";

/** The server's body limit is IMPORT_BODY_LIMIT; this only saves uploading a file that is plainly too big. */
const MAX_BYTES = 20 * 1024 * 1024;

export default function ImportsPage() {
  const me = () => session.user()!;
  const [sites] = createResource(() => listSites({ status: "active", limit: 100 }).then((r) => r.items));
  const [siteId, setSiteId] = createSignal("");
  const [status, setStatus] = createSignal<ImportStatus | "">("");
  const filters = createMemo(() => ({ siteId: siteId(), status: status() }), undefined, { equals: sameFilters });
  const list = createImportList(filters);
  const active = () => !!(siteId() || status());
  const clear = () => {
    setSiteId("");
    setStatus("");
  };

  return (
    <section class="page" data-testid="vacc-imports-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-imports-title">{t("vacc.imports.title")}</h1>
          <p class="muted">{t("vacc.imports.lead")}</p>
        </div>
      </header>
      <Show when={canVaccinate(me().role)}>
        <UploadForm sites={sites() ?? []} loading={sites.loading} />
      </Show>
      <FilterBar testId="vacc-imports" active={active()} onClear={clear}>
        <FilterField id="vacc-imports-site" label={t("vacc.col.site")}>
          <select id="vacc-imports-site" value={siteId()} onChange={(e) => setSiteId(e.currentTarget.value)} data-testid="vacc-imports-site">
            <option value="">{t("common.all")}</option>
            <For each={sites() ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
        </FilterField>
        <FilterField id="vacc-imports-status" label={t("vacc.imports.status")}>
          <select id="vacc-imports-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as ImportStatus | "")} data-testid="vacc-imports-status">
            <option value="">{t("common.all")}</option>
            <For each={IMPORT_STATUSES}>{(s) => <option value={s}>{importStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
      </FilterBar>
      <ListTable
        list={list}
        testId="vacc-imports"
        columns={[
          { label: t("vacc.imports.file") },
          { label: t("vacc.imports.status") },
          { label: t("vacc.imports.total"), class: "num" },
          { label: t("vacc.imports.accepted"), class: "num" },
          { label: t("vacc.imports.rejected"), class: "num" },
          { label: t("vacc.imports.uploadedAt") },
        ]}
        emptyText={t("vacc.imports.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(i) => (
          <tr data-testid="vacc-import-row" data-import-id={i.id} data-status={i.status}>
            <td data-label={t("vacc.imports.file")} class="cell-title">
              <A href={`/vaccination/imports/${encodeURIComponent(i.id)}`} class="venue-link" data-testid="vacc-import-open">
                {i.fileName}
              </A>
              <span class="sub muted">{i.siteName}</span>
            </td>
            <td data-label={t("vacc.imports.status")}>
              <span class={`vacc-badge vacc-import-${i.status}`}>{importStatusLabel(i.status)}</span>
            </td>
            <td data-label={t("vacc.imports.total")} class="num">
              {formatCount(i.totalRows)}
            </td>
            <td data-label={t("vacc.imports.accepted")} class="num">
              {formatCount(i.createRows + i.mergeRows)}
            </td>
            <td data-label={t("vacc.imports.rejected")} class="num">
              {formatCount(i.rejectedRows)}
            </td>
            <td data-label={t("vacc.imports.uploadedAt")} class="nowrap">
              {formatDateTime(i.createdAt)}
              <Show when={i.committedAt}>
                <span class="sub muted">{t("vacc.imports.committedAt", { at: formatDateTime(i.committedAt) })}</span>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}

function UploadForm(props: { sites: Site[]; loading: boolean }) {
  const navigate = useNavigate();
  const [siteId, setSiteId] = createSignal("");
  const [file, setFile] = createSignal<File | null>(null);
  const [errors, setErrors] = createSignal<{ siteId?: string; file?: string }>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [sending, setSending] = createSignal(false);
  createEffect(() => {
    if (!siteId() && props.sites.length === 1) setSiteId(props.sites[0]!.id);
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: { siteId?: string; file?: string } = {};
    if (!siteId()) found.siteId = t("common.requiredSelect");
    const f = file();
    if (!f) found.file = t("vacc.imports.fileRequired");
    else if (f.size === 0) found.file = t("vacc.imports.fileEmpty");
    else if (f.size > MAX_BYTES) found.file = t("vacc.imports.fileTooBig");
    setErrors(found);
    if (Object.keys(found).length) return;
    setSending(true);
    try {
      const preview = await uploadImport(siteId(), f!);
      navigate(`/vaccination/imports/${encodeURIComponent(preview.id)}`);
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="card" aria-labelledby="vacc-upload-title">
      <h2 id="vacc-upload-title">{t("vacc.imports.upload")}</h2>
      <p class="small muted">{t("vacc.imports.columns")}</p>
      <form class="form form-grid" onSubmit={submit} noValidate data-testid="vacc-upload-form">
        <ErrorBanner error={failure()} testId="vacc-upload-error" />
        <Field id="vacc-upload-site" label={t("vacc.col.site")} error={errors().siteId} required>
          <select
            id="vacc-upload-site"
            value={siteId()}
            onChange={(e) => {
              setSiteId(e.currentTarget.value);
              setErrors(({ siteId: _, ...rest }) => rest);
            }}
            aria-invalid={errors().siteId ? "true" : undefined}
            aria-describedby={describedBy("vacc-upload-site", errors().siteId)}
            data-testid="vacc-upload-site"
          >
            <option value="" selected={!siteId()}>
              {props.loading ? t("common.loading") : t("vacc.record.chooseSite")}
            </option>
            <For each={props.sites}>
              {(s) => (
                <option value={s.id} selected={s.id === siteId()}>
                  {s.name}
                </option>
              )}
            </For>
          </select>
        </Field>
        <Field id="vacc-upload-file" label={t("vacc.imports.file")} error={errors().file} required hint={t("vacc.imports.fileHint")}>
          <input
            id="vacc-upload-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setErrors(({ file: _, ...rest }) => rest);
            }}
            aria-invalid={errors().file ? "true" : undefined}
            aria-describedby={describedBy("vacc-upload-file", errors().file, true)}
            data-testid="vacc-upload-file"
          />
        </Field>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={sending()} aria-busy={sending()} data-testid="vacc-upload-submit">
            {sending() ? t("vacc.imports.uploading") : t("vacc.imports.uploadSubmit")}
          </button>
        </div>
      </form>
    </section>
  );
}
