/**
 * The exports of what the dashboard shows (docs/STATS.md, "Exports"): the aggregated table (one
 * row per day × child unit, every metric a column) as CSV, XLSX or JSON; for the roles allowed,
 * the line lists of cases, contacts and doses (personal data: the server audits each export) and
 * the daily report of a province. Files come with the officer's token and are saved by the browser.
 */
import { For, Show, createSignal } from "solid-js";
import { DAILY_REPORT_ROLES, LINE_LIST_ROLES } from "../../access";
import { areaLabel } from "../../adminUnits";
import type { Download, User } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import { t } from "../../i18n";
import { saveBlob } from "../venues.data";
import {
  EXPORT_FORMATS,
  LINE_LIST_KINDS,
  downloadDailyReport,
  downloadLineList,
  downloadStats,
  type Dashboard,
  type ExportFormat,
  type LineListKind,
  type StatsExportQuery,
} from "./stats.api";
import { exportFileName, localised } from "./stats.data";

export default function ExportPanel(props: { me: User; dashboard: Dashboard; provinceCode: string }) {
  const d = () => props.dashboard;
  const [busy, setBusy] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [kind, setKind] = createSignal<LineListKind>("cases");
  const [reportDay, setReportDay] = createSignal("");
  const day = () => reportDay() || d().to;

  const communeCode = () => (d().unit.level === "commune" ? d().unit.code : undefined);
  /** The table's rows: provinces of the country, communes of a province, or the one commune. */
  const statsQuery = (): StatsExportQuery => {
    const range = { from: d().from, to: d().to };
    if (d().unit.level === "country") return { level: "province", ...range };
    if (d().unit.level === "province") return { level: "commune", provinceCode: d().unit.code, ...range };
    return { level: "commune", communeCode: d().unit.code, ...range };
  };
  /** Line lists cover the caller's area, or the commune on screen. */
  const lineListArea = () =>
    communeCode() ? d().unit.name : props.me.role === "national_admin" ? t("area.national") : areaLabel(props.me.provinceCode, props.me.communeCode);

  const run = async (id: string, fetchFile: () => Promise<Download>, fallbackName: string) => {
    if (busy()) return;
    setBusy(id);
    setFailure(null);
    try {
      const { blob, filename } = await fetchFile();
      const url = saveBlob(blob, filename ?? fallbackName);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const FormatButtons = (p: { prefix: string; onPick: (format: ExportFormat) => void }) => (
    <div class="stats-export-buttons" role="group">
      <For each={EXPORT_FORMATS}>
        {(format) => (
          <button
            type="button"
            class="btn btn-small"
            disabled={!!busy()}
            aria-busy={busy() === `${p.prefix}-${format}`}
            onClick={() => p.onPick(format)}
            data-testid={`${p.prefix}-${format}`}
          >
            {busy() === `${p.prefix}-${format}` ? t("stats.export.downloading") : format.toUpperCase()}
          </button>
        )}
      </For>
    </div>
  );

  return (
    <section class="card stats-exports" aria-labelledby="stats-exports-title" data-testid="stats-exports">
      <h2 id="stats-exports-title">{t("stats.export.title")}</h2>
      <ErrorBanner error={localised(failure())} onDismiss={() => setFailure(null)} testId="stats-export-error" />

      <div class="stats-export-row">
        <div>
          <h3>{t("stats.export.table")}</h3>
          <p class="small muted">{t("stats.export.tableLead", { unit: d().unit.level === "country" ? t("area.national") : d().unit.name })}</p>
        </div>
        <FormatButtons
          prefix="stats-export"
          onPick={(format) =>
            void run(`stats-export-${format}`, () => downloadStats(format, statsQuery()), exportFileName("thong-ke", d().unit.code, d().from, d().to, format))
          }
        />
      </div>

      <Show when={LINE_LIST_ROLES.includes(props.me.role)}>
        <div class="stats-export-row">
          <div>
            <h3>{t("stats.export.lineLists")}</h3>
            <p class="small muted">{t("stats.export.lineListsLead", { area: lineListArea() })}</p>
            <label class="stats-export-kind">
              <span>{t("stats.export.kind")}</span>
              <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as LineListKind)} data-testid="stats-linelist-kind">
                <For each={LINE_LIST_KINDS}>{(k) => <option value={k}>{t(`stats.export.kind.${k}`)}</option>}</For>
              </select>
            </label>
          </div>
          <FormatButtons
            prefix="stats-linelist"
            onPick={(format) =>
              void run(
                `stats-linelist-${format}`,
                () => downloadLineList(kind(), format, { from: d().from, to: d().to, ...(communeCode() ? { communeCode: communeCode()! } : {}) }),
                exportFileName(kind(), communeCode() ?? props.me.communeCode ?? props.me.provinceCode ?? "vn", d().from, d().to, format),
              )
            }
          />
        </div>
      </Show>

      <Show when={DAILY_REPORT_ROLES.includes(props.me.role)}>
        <div class="stats-export-row">
          <div>
            <h3>{t("stats.export.report")}</h3>
            <Show when={props.provinceCode} fallback={<p class="small muted">{t("stats.export.reportPickProvince")}</p>}>
              <p class="small muted">{t("stats.export.reportLead", { province: areaLabel(props.provinceCode, props.me.communeCode) })}</p>
              <label class="stats-export-kind">
                <span>{t("stats.export.reportDay")}</span>
                <input type="date" value={day()} onChange={(e) => setReportDay(e.currentTarget.value)} data-testid="stats-report-day" />
              </label>
            </Show>
          </div>
          <Show when={props.provinceCode}>
            <div class="stats-export-buttons">
              <button
                type="button"
                class="btn btn-small"
                disabled={!!busy()}
                aria-busy={busy() === "stats-report-xlsx"}
                onClick={() =>
                  void run("stats-report-xlsx", () => downloadDailyReport({ day: day(), provinceCode: props.provinceCode }), `bao-cao-ngay-${props.provinceCode}-${day()}.xlsx`)
                }
                data-testid="stats-report-xlsx"
              >
                {busy() === "stats-report-xlsx" ? t("stats.export.downloading") : "XLSX"}
              </button>
            </div>
          </Show>
        </div>
      </Show>
    </section>
  );
}
