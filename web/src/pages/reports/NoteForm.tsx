/**
 * A note on a report (POST /api/reports/:id/notes): the text, an optional status change, and
 * whether the reporter sees it when following the receipt code.
 */
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { fieldError } from "../declarations/format";
import { addReportNote, type ReportDetail, type ReportMove } from "./reports.api";
import { isSettled, movesFrom, reportStatusLabel } from "./reports.data";

export default function NoteForm(props: { report: ReportDetail; onSaved: (r: ReportDetail, moved: ReportMove | null) => void }) {
  const [note, setNote] = createSignal("");
  const [move, setMove] = createSignal<ReportMove | "">("");
  const [isPublic, setIsPublic] = createSignal(false);
  const [noteMissing, setNoteMissing] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const moves = () => movesFrom(props.report.status);
  const noteError = () => (noteMissing() ? t("common.required") : fieldError(failure(), "note"));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const text = note().trim();
    if (!text) {
      setNoteMissing(true);
      return;
    }
    setNoteMissing(false);
    setSaving(true);
    try {
      const status = move() || undefined;
      const saved = await addReportNote(props.report.id, { note: text, isPublic: isPublic(), ...(status ? { status } : {}) });
      props.onSaved(saved, status ?? null);
      setNote("");
      setMove("");
      setIsPublic(false);
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="report-note-form">
      <Show when={isSettled(props.report.status)}>
        <p class="small muted">{t("reports.form.finished")}</p>
      </Show>
      <ErrorBanner error={failure()} handledFields={["note"]} testId="report-note-error" />
      <Field id="report-note-text" label={t("reports.form.note")} error={noteError()} required>
        <textarea
          id="report-note-text"
          rows="3"
          maxLength={2000}
          value={note()}
          onInput={(e) => {
            setNote(e.currentTarget.value);
            if (e.currentTarget.value.trim()) setNoteMissing(false);
          }}
          aria-invalid={noteError() ? "true" : undefined}
          aria-describedby={describedBy("report-note-text", noteError())}
          aria-required="true"
          data-testid="report-note-text"
        />
      </Field>
      <Field id="report-note-status" label={t("reports.form.status")}>
        <select id="report-note-status" value={move()} onChange={(e) => setMove(e.currentTarget.value as ReportMove | "")} data-testid="report-note-status">
          <option value="">{t("reports.form.keepStatus", { status: reportStatusLabel(props.report.status) })}</option>
          <For each={moves()}>{(m) => <option value={m}>{reportStatusLabel(m)}</option>}</For>
        </select>
      </Field>
      <div class="field">
        <label class="report-check">
          <input type="checkbox" checked={isPublic()} onChange={(e) => setIsPublic(e.currentTarget.checked)} aria-describedby="report-note-public-hint" data-testid="report-note-public" />
          {t("reports.form.public")}
        </label>
        <p class="field-hint" id="report-note-public-hint">
          {t("reports.form.publicHint")}
        </p>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="report-note-submit">
          <Show when={saving()} fallback={t("reports.form.submit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
