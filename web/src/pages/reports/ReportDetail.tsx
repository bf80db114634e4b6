/**
 * One community report: the description, place, kind, area and receipt; the reporter's contact
 * when they left one; the notes as a timeline (public ones marked); and, for the officers who
 * work reports, the form to add a note with an optional status change.
 */
import { For, Show, createEffect } from "solid-js";
import { canWorkReports } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Flash, { createFlash } from "../../components/Flash";
import { t } from "../../i18n";
import { session } from "../../session";
import { formatVnDateTime } from "../declarations/format";
import { ReportStatusBadge } from "./Badges";
import NoteForm from "./NoteForm";
import { getReport, type ReportDetail } from "./reports.api";
import { reportKindLabel, reportStatusLabel } from "./reports.data";
import "./reports.css";
import RecordPage, { Fact } from "../../components/RecordPage";

export default function ReportDetailPage() {
  return (
    <RecordPage<ReportDetail>
      name="report"
      load={getReport}
      backHref="/reports"
      backLabel={t("reports.back")}
      notFoundTitle={t("reports.notFound")}
      notFoundBody={t("reports.notFoundBody")}
    >
      {(r, set) => <ReportBody report={r()} onChange={set} />}
    </RecordPage>
  );
}


function ReportBody(props: { report: ReportDetail; onChange: (r: ReportDetail) => void }) {
  const me = () => session.user()!;
  const r = () => props.report;
  const worker = () => canWorkReports(me().role);
  const flash = createFlash(6000);
  const notes = () => [...r().notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const hasReporter = () => !!(r().reporter.name || r().reporter.phone || r().reporter.userId);

  createEffect(() => ensureAreaNames(r().provinceCode, r().communeCode));

  return (
    <>
      <header class="page-head">
        <div>
          <h1 data-testid="report-title">{reportKindLabel(r().kind)}</h1>
          <p class="muted">
            {t("reports.receipt")}: <code data-testid="report-page-receipt">{r().receipt}</code> · {formatVnDateTime(r().createdAt)}
          </p>
        </div>
        <div class="head-actions">
          <ReportStatusBadge status={r().status} testId="report-page-status" />
        </div>
      </header>
      <Flash message={flash.message()} />

      <div class="report-grid">
        <div class="report-main">
          <section class="card" aria-labelledby="report-details-title" data-testid="report-details">
            <h2 id="report-details-title">{t("reports.details")}</h2>
            <p class="report-description" data-testid="report-description">
              {r().description}
            </p>
            <dl class="facts">
              <Fact label={t("reports.place")} testId="report-place">
                {r().place ?? <span class="muted">{t("reports.noPlace")}</span>}
              </Fact>
              <Fact label={t("reports.kind")}>{reportKindLabel(r().kind)}</Fact>
              <Fact label={t("reports.area")}>{areaLabel(r().provinceCode, r().communeCode)}</Fact>
              <Fact label={t("reports.receivedAt")}>{formatVnDateTime(r().createdAt)}</Fact>
              <Fact label={t("reports.updatedAt")}>{formatVnDateTime(r().updatedAt)}</Fact>
            </dl>
          </section>

          <section class="card" aria-labelledby="report-notes-title" data-testid="report-notes">
            <h2 id="report-notes-title">{t("reports.notes")}</h2>
            <ol class="report-timeline">
              <li class="report-event report-event-start">
                <div class="report-event-head">
                  <strong>{t("reports.received")}</strong>
                  <span class="muted small">{formatVnDateTime(r().createdAt)}</span>
                </div>
              </li>
              <For each={notes()}>
                {(n) => (
                  <li class="report-event" classList={{ "report-event-public": n.isPublic }} data-testid="report-note" data-public={String(n.isPublic)} data-status={n.status ?? ""}>
                    <div class="report-event-head">
                      <strong>{n.authorName ?? t("reports.note.system")}</strong>
                      <span class="muted small">{formatVnDateTime(n.createdAt)}</span>
                      <span class={n.isPublic ? "report-tag report-tag-public" : "report-tag"} data-testid="report-note-visibility">
                        {n.isPublic ? t("reports.note.public") : t("reports.note.internal")}
                      </span>
                    </div>
                    <Show when={n.status}>
                      {(s) => (
                        <p class="report-event-move" data-testid="report-note-move">
                          {t("reports.note.moved", { status: reportStatusLabel(s()) })}
                        </p>
                      )}
                    </Show>
                    <p class="report-event-text" data-testid="report-note-text-shown">
                      {n.note}
                    </p>
                  </li>
                )}
              </For>
            </ol>
            <Show when={notes().length === 0}>
              <p class="muted small" data-testid="report-no-notes">
                {t("reports.noNotes")}
              </p>
            </Show>
          </section>
        </div>

        <div class="report-side">
          <section class="card" aria-labelledby="report-reporter-title" data-testid="report-reporter">
            <h2 id="report-reporter-title">{t("reports.reporter")}</h2>
            <Show when={hasReporter()} fallback={<p class="muted" data-testid="report-anonymous">{t("reports.anonymous")}</p>}>
              <dl class="facts">
                <Show when={r().reporter.name}>
                  <Fact label={t("reports.reporterName")} testId="report-reporter-name">
                    {r().reporter.name}
                  </Fact>
                </Show>
                <Show when={r().reporter.phone}>
                  <Fact label={t("reports.reporterPhone")} testId="report-reporter-phone">
                    <a href={`tel:${r().reporter.phone}`}>{r().reporter.phone}</a>
                  </Fact>
                </Show>
                <Show when={r().reporter.userId}>
                  <Fact label={t("reports.reporter")}>{t("reports.reporterAccount")}</Fact>
                </Show>
              </dl>
            </Show>
          </section>

          <Show when={worker()}>
            <section class="card" aria-labelledby="report-note-form-title" data-testid="report-note-card">
              <h2 id="report-note-form-title">{t("reports.form.title")}</h2>
              <NoteForm
                report={r()}
                onSaved={(saved, moved) => {
                  props.onChange(saved);
                  flash.show(moved ? t("reports.form.savedMoved", { status: reportStatusLabel(moved) }) : t("reports.form.saved"));
                }}
              />
            </section>
          </Show>
        </div>
      </div>
    </>
  );
}
