/**
 * One import: the counts (new people, doses for people already known, rows already recorded,
 * rejected rows), the rejected rows with their reasons (and the file of them to fix and upload
 * again), a sample of what each row does, then commit (one transaction) or discard.
 */
import { For, Show, createSignal } from "solid-js";
import { canVaccinate } from "../../access";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage from "../../components/RecordPage";
import Spinner from "../../components/Spinner";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import { formatDay, saveBlob } from "../venues.data";
import VaccinationNav from "./VaccinationNav";
import { commitImport, discardImport, downloadRejected, getImport, type ImportPreview } from "./vaccination.api";
import { formatCount, importActionLabel, importStatusLabel, inMyLanguage, localised } from "./vaccination.data";
import "./vaccination.css";

export default function ImportDetailPage() {
  return (
    <RecordPage<ImportPreview>
      name="vacc-import"
      load={getImport}
      backHref="/vaccination/imports"
      backLabel={t("vacc.imports.back")}
      notFoundTitle={t("vacc.imports.notFound")}
      notFoundBody={t("vacc.imports.notFoundBody")}
    >
      {(r, set) => <ImportBody preview={r()} onChange={set} />}
    </RecordPage>
  );
}

function ImportBody(props: { preview: ImportPreview; onChange: (p: ImportPreview) => void }) {
  const me = () => session.user()!;
  const p = () => props.preview;
  const flash = createFlash(8000);
  const [busy, setBusy] = createSignal<"commit" | "discard" | "download" | null>(null);
  const [failure, setFailure] = createSignal<unknown>(null);
  const open = () => p().status === "previewed";
  const accepted = () => p().createRows + p().mergeRows;

  const act = async (kind: "commit" | "discard") => {
    if (kind === "discard" && !window.confirm(t("vacc.imports.discardConfirm"))) return;
    setBusy(kind);
    setFailure(null);
    try {
      const next = kind === "commit" ? await commitImport(p().id) : await discardImport(p().id);
      props.onChange(next);
      flash.show(kind === "commit" ? t("vacc.imports.committed", { n: formatCount(next.createRows + next.mergeRows) }) : t("vacc.imports.discarded"));
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    setBusy("download");
    setFailure(null);
    try {
      const { blob, filename } = await downloadRejected(p().id);
      const url = saveBlob(blob, filename ?? `${p().fileName.replace(/\.csv$/i, "")}-loi.csv`);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-import-title">{p().fileName}</h1>
          <p class="muted">
            {t("vacc.imports.uploadedAt")}: {formatDateTime(p().createdAt)}
            <Show when={p().committedAt}> · {t("vacc.imports.committedAt", { at: formatDateTime(p().committedAt) })}</Show>
          </p>
        </div>
        <div class="head-actions">
          <span class={`vacc-badge vacc-import-${p().status}`} data-testid="vacc-import-status" data-status={p().status}>
            {importStatusLabel(p().status)}
          </span>
        </div>
      </header>
      <Flash message={flash.message()} />
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="vacc-import-error" />

      <section class="card" aria-labelledby="vacc-import-counts-title">
        <h2 id="vacc-import-counts-title">{open() ? t("vacc.imports.preview") : t("vacc.imports.result")}</h2>
        <div class="counters vacc-import-counts" data-testid="vacc-import-counts">
          <Counter label={t("vacc.imports.total")} value={p().totalRows} testId="vacc-import-total" />
          <Counter label={t("vacc.import.action.create")} value={p().createRows} testId="vacc-import-create" />
          <Counter label={t("vacc.import.action.merge")} value={p().mergeRows} testId="vacc-import-merge" />
          <Counter label={t("vacc.import.action.unchanged")} value={p().unchangedRows} testId="vacc-import-unchanged" />
          <Counter label={t("vacc.import.action.rejected")} value={p().rejectedRows} testId="vacc-import-rejected" alert={p().rejectedRows > 0} />
        </div>
        <Show when={open()}>
          <p class="small muted">{t("vacc.imports.previewNote", { n: formatCount(accepted()) })}</p>
        </Show>
        <div class="form-actions vacc-import-actions">
          <Show when={p().rejectedRows > 0}>
            <button type="button" class="btn" disabled={busy() !== null} onClick={() => void download()} data-testid="vacc-import-download">
              {t("vacc.imports.downloadRejected")}
            </button>
          </Show>
          <Show when={open() && canVaccinate(me().role)}>
            <button type="button" class="btn btn-danger-ghost" disabled={busy() !== null} onClick={() => void act("discard")} data-testid="vacc-import-discard">
              {busy() === "discard" ? t("vacc.imports.discarding") : t("vacc.imports.discard")}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy() !== null || accepted() === 0}
              aria-busy={busy() === "commit"}
              onClick={() => void act("commit")}
              data-testid="vacc-import-commit"
            >
              <Show when={busy() === "commit"} fallback={t("vacc.imports.commit", { n: formatCount(accepted()) })}>
                <Spinner inline label={t("vacc.imports.committing")} />
              </Show>
            </button>
          </Show>
        </div>
      </section>

      <Show when={p().rejected.length > 0}>
        <section class="card" aria-labelledby="vacc-import-rejected-title">
          <h2 id="vacc-import-rejected-title">{t("vacc.imports.rejectedRows")}</h2>
          <Show when={p().rejectedRows > p().rejected.length}>
            <p class="small muted">{t("vacc.imports.rejectedFirst", { n: p().rejected.length, total: p().rejectedRows })}</p>
          </Show>
          <div class="table-wrap">
            <table class="data-table cards-on-phone" data-testid="vacc-import-rejected-table">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t("vacc.imports.row")}
                  </th>
                  <th scope="col">{t("vacc.imports.reasons")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={p().rejected}>
                  {(r) => (
                    <tr data-testid="vacc-import-rejected-row" data-row={r.row}>
                      <td data-label={t("vacc.imports.row")} class="num">
                        {r.row}
                      </td>
                      <td data-label={t("vacc.imports.reasons")}>
                        <ul class="vacc-reasons">
                          <For each={r.errors}>
                            {(e) => (
                              <li data-testid="vacc-import-reason">
                                <code>{e.column}</code>: {inMyLanguage(e.message)}
                              </li>
                            )}
                          </For>
                        </ul>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </Show>

      <Show when={p().sample.length > 0}>
        <section class="card" aria-labelledby="vacc-import-sample-title">
          <h2 id="vacc-import-sample-title">{t("vacc.imports.sample")}</h2>
          <div class="table-wrap">
            <table class="data-table cards-on-phone" data-testid="vacc-import-sample">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t("vacc.imports.row")}
                  </th>
                  <th scope="col">{t("vacc.imports.action")}</th>
                  <th scope="col">{t("vacc.col.person")}</th>
                  <th scope="col">{t("vacc.col.dose")}</th>
                  <th scope="col">{t("vacc.col.product")}</th>
                  <th scope="col">{t("vacc.col.givenOn")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={p().sample}>
                  {(s) => (
                    <tr data-testid="vacc-import-sample-row" data-row={s.row} data-action={s.action}>
                      <td data-label={t("vacc.imports.row")} class="num">
                        {s.row}
                      </td>
                      <td data-label={t("vacc.imports.action")}>
                        <span class={`vacc-badge vacc-action-${s.action}`}>{importActionLabel(s.action)}</span>
                      </td>
                      <td data-label={t("vacc.col.person")}>{s.fullName ?? "–"}</td>
                      <td data-label={t("vacc.col.dose")}>{s.doseNumber ?? "–"}</td>
                      <td data-label={t("vacc.col.product")}>{s.productCode ?? "–"}</td>
                      <td data-label={t("vacc.col.givenOn")} class="nowrap">
                        {s.givenOn ? formatDay(s.givenOn) : "–"}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </Show>
    </>
  );
}

function Counter(props: { label: string; value: number; testId: string; alert?: boolean }) {
  return (
    <div class="counter" classList={{ "counter-alert": !!props.alert }} data-testid={props.testId} data-value={props.value}>
      <span class="counter-label">{props.label}</span>
      <span class="counter-value">{formatCount(props.value)}</span>
    </div>
  );
}
