/**
 * The trace of a case: "Run trace (F1)" and "Trace F2", the summary (F1 and F2 over every
 * province, per province, time taken) and the case's visits in its infectious window.
 */
import { For, Show } from "solid-js";
import { ensureAreaNames, unitName } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import type { Case, TraceResult } from "./tracing.api";
import { formatMs, formatRange, formatVnDateTime } from "./tracing.data";

export default function CaseTracePanel(props: {
  kase: Case;
  trace: TraceResult | null;
  loading: boolean;
  error: unknown;
  running: 1 | 2 | null;
  canRun: boolean;
  onRun: (degree: 1 | 2) => void;
  onRetry: () => void;
  onDismissError: () => void;
}) {
  const traced = () => !!props.kase.tracedAt || (props.trace?.visits.length ?? 0) > 0 || (props.trace?.contacts.length ?? 0) > 0;
  const summary = () => props.trace?.summary;

  return (
    <section class="card tracing-card" aria-labelledby="case-trace-title" data-testid="case-trace">
      <div class="section-head">
        <div>
          <h2 id="case-trace-title">{t("tracing.trace.title")}</h2>
          <p class="small muted" data-testid="case-traced-at">
            <Show when={props.kase.tracedAt} fallback={t("tracing.trace.never")}>
              {t("tracing.trace.last", { at: formatVnDateTime(props.kase.tracedAt), degree: `F${props.kase.tracedDegree}` })}
            </Show>
          </p>
        </div>
        <Show when={props.canRun}>
          <div class="trace-actions">
            <button
              type="button"
              class="btn btn-primary"
              disabled={props.running !== null}
              onClick={() => props.onRun(1)}
              data-testid="trace-run-f1"
            >
              <Show when={props.running === 1} fallback={t("tracing.trace.runF1")}>
                <Spinner inline label={t("tracing.trace.running")} />
              </Show>
            </button>
            <button
              type="button"
              class="btn"
              disabled={props.running !== null || props.kase.tracedDegree < 1}
              title={props.kase.tracedDegree < 1 ? t("tracing.trace.f2First") : undefined}
              onClick={() => props.onRun(2)}
              data-testid="trace-run-f2"
            >
              <Show when={props.running === 2} fallback={t("tracing.trace.runF2")}>
                <Spinner inline label={t("tracing.trace.running")} />
              </Show>
            </button>
          </div>
        </Show>
      </div>

      <ErrorBanner error={props.error} onRetry={props.running === null ? props.onRetry : undefined} onDismiss={props.onDismissError} testId="trace-error" />

      <Show when={props.loading && !props.trace}>
        <div class="table-empty">
          <Spinner label={t("common.loading")} />
        </div>
      </Show>

      <Show when={summary()}>
        {(s) => (
          <>
            <div class="trace-summary" data-testid="trace-summary">
              <div class="trace-stat">
                <span class="trace-stat-label">F1</span>
                <span class="trace-stat-value" data-testid="trace-f1">
                  {s().f1}
                </span>
              </div>
              <div class="trace-stat">
                <span class="trace-stat-label">F2</span>
                <span class="trace-stat-value" data-testid="trace-f2">
                  {s().f2}
                </span>
              </div>
              <div class="trace-stat">
                <span class="trace-stat-label">{t("tracing.trace.newContacts")}</span>
                <span class="trace-stat-value">{s().newContacts}</span>
              </div>
              <div class="trace-stat">
                <span class="trace-stat-label">{t("tracing.trace.time")}</span>
                <span class="trace-stat-value" data-testid="trace-ms">
                  {formatMs(s().ms)}
                </span>
              </div>
            </div>
            <Show when={s().byProvince.length > 0}>
              <div class="card-block">
                <h3>{t("tracing.trace.byProvince")}</h3>
                <ul class="by-province" data-testid="trace-by-province">
                  <For each={s().byProvince}>
                    {(p) => {
                      ensureAreaNames(p.provinceCode, null);
                      return (
                        <li data-province={p.provinceCode}>
                          {unitName(p.provinceCode)}: <strong>{p.f1}</strong> F1 · <strong>{p.f2}</strong> F2
                        </li>
                      );
                    }}
                  </For>
                </ul>
              </div>
            </Show>
          </>
        )}
      </Show>

      <Show when={props.trace}>
        {(tr) => (
          <p class="small muted" data-testid="trace-window">
            {t("tracing.trace.window", { range: formatRange(tr().window.from, tr().window.to), m: tr().marginMinutes })}
          </p>
        )}
      </Show>
      <Show when={!props.loading && !traced() && !props.error}>
        <p class="muted" data-testid="trace-none">
          {props.canRun ? t("tracing.trace.neverHint") : t("tracing.trace.neverReadOnly")}
        </p>
      </Show>

      <Show when={props.trace && traced()}>
        <div class="card-block">
          <h3>{t("tracing.trace.visits")}</h3>
          <div class="table-wrap">
            <table class="data-table cards-on-phone" data-testid="trace-visits">
              <thead>
                <tr>
                  <th scope="col">{t("tracing.col.venue")}</th>
                  <th scope="col">{t("tracing.col.time")}</th>
                  <th scope="col" class="num">
                    {t("tracing.col.contactsFound")}
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={props.trace!.visits}>
                  {(v) => {
                    ensureAreaNames(v.provinceCode, v.communeCode);
                    return (
                      <tr data-testid="trace-visit-row" data-venue-id={v.venueId}>
                        <td data-label={t("tracing.col.venue")} class="cell-title">
                          {v.venueName}
                          <span class="sub muted">{v.communeCode ? `${unitName(v.communeCode)}, ${unitName(v.provinceCode)}` : unitName(v.provinceCode)}</span>
                        </td>
                        <td data-label={t("tracing.col.time")} class="nowrap">
                          {formatRange(v.start, v.end)}
                        </td>
                        <td data-label={t("tracing.col.contactsFound")} class="num">
                          {v.contacts}
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
            <Show when={props.trace!.visits.length === 0}>
              <div class="table-empty muted">
                <p>{t("tracing.trace.noVisits")}</p>
              </div>
            </Show>
          </div>
        </div>
      </Show>
    </section>
  );
}
