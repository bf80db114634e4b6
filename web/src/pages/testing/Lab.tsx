/**
 * The lab page, keyboard first. One input keeps the focus: scan or type a pool code (or an
 * individual sample's barcode) and press Enter; the pool shows; press N (negative), P (positive)
 * or I (invalid) — or click — and Enter records it. Escape starts over. A scanned code while a
 * pool is shown simply loads the next one: only a single letter followed by Enter records.
 * Below: the results recorded in this session, the pools waiting at the lab, and a CSV of
 * results with a dry-run preview before anything is written.
 */
import { A } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createSignal, onMount } from "solid-js";
import { TRACING_ROLES } from "../../access";
import { ApiError } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import { session } from "../../session";
import TestingNav from "./TestingNav";
import {
  RESULT_LIST,
  getPoolByCode,
  getSampleByBarcode,
  importResults,
  listPools,
  recordPoolResult,
  recordSampleResult,
  type PoolDetail,
  type ResultReport,
  type SampleDetail,
  type TestResult,
} from "./testing.api";
import {
  RESULT_KEYS,
  codeKind,
  errorText,
  formatCount,
  formatVnDateTime,
  inMyLanguage,
  normaliseCode,
  poolStatusLabel,
  rejectReasonLabel,
  resultClass,
  resultLabel,
  sampleStatusLabel,
  statusClass,
  testingError,
} from "./testing.data";
import "./testing.css";

type Pending = { kind: "pool"; pool: PoolDetail } | { kind: "sample"; sample: SampleDetail };

interface Recorded {
  key: number;
  kind: "pool" | "sample";
  code: string;
  result: TestResult;
  at: string;
  /** Pool: how many samples; how many now wait for a retest. */
  size?: number;
  retests?: number;
  caseId?: string | null;
}

/** A rejected line of a file (the reason is one of the server's codes, shown in words). */
type Rejected = { line: number; code: string; reason: string };

const KEY_OF: Record<TestResult, string> = { negative: "N", positive: "P", invalid: "I" };

export default function LabPage() {
  const me = () => session.user()!;
  let input!: HTMLInputElement;
  const flash = createFlash(8000);
  const [text, setText] = createSignal("");
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [picked, setPicked] = createSignal<TestResult | null>(null);
  const [looking, setLooking] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [recent, setRecent] = createSignal<Recorded[]>([]);
  let serial = 0;

  // Pools sealed to the lab (lab staff: theirs), waiting for a result; a click loads one.
  const waiting = createKeysetList(
    () => ({ status: "sealed" as const }),
    (f, cursor, signal) => listPools({ ...f, limit: 20, cursor }, signal),
  );

  const focus = () => queueMicrotask(() => input?.focus());
  onMount(focus);

  /** What Enter would record now: a single N/P/I typed, else the result clicked. */
  const chosen = createMemo<TestResult | null>(() => {
    const v = normaliseCode(text());
    if (v.length === 1 && RESULT_KEYS[v.toLowerCase()]) return RESULT_KEYS[v.toLowerCase()]!;
    return v === "" ? picked() : null;
  });

  const reset = () => {
    setPending(null);
    setPicked(null);
    setText("");
    setNotice(null);
    focus();
  };

  const lookup = async (code: string) => {
    setLooking(true);
    setNotice(null);
    setPending(null);
    setPicked(null);
    try {
      const kind = codeKind(code);
      if (!kind) {
        setNotice(t("test.lab.badCode", { code }));
        return;
      }
      if (kind === "pool") {
        const pool = await getPoolByCode(code);
        if (pool.status === "open") {
          setNotice(t("test.lab.poolOpen", { code: pool.code }));
          return;
        }
        setPending({ kind: "pool", pool });
      } else {
        const sample = await getSampleByBarcode(code);
        if (sample.poolId && !sample.retestOf) {
          setNotice(t("test.lab.sampleInPool", { barcode: sample.barcode, code: sample.poolCode ?? "" }));
          return;
        }
        setPending({ kind: "sample", sample });
      }
      setText("");
    } catch (error) {
      setNotice(error instanceof ApiError && error.status === 404 ? t("test.lab.unknownCode", { code }) : errorText(error));
    } finally {
      setLooking(false);
      focus();
    }
  };

  const record = async (result: TestResult) => {
    const p = pending();
    if (!p || saving()) return;
    setSaving(true);
    setNotice(null);
    try {
      if (p.kind === "pool") {
        const answer = await recordPoolResult(p.pool.id, result);
        const retests = answer.members.filter((m) => m.status === "retest_needed").length;
        setRecent((r) => [{ key: ++serial, kind: "pool" as const, code: answer.pool.code, result, at: answer.pool.resultAt ?? new Date().toISOString(), size: answer.members.length, retests }, ...r].slice(0, 50));
        waiting.update((items) => items.filter((x) => x.id !== p.pool.id));
      } else {
        const answer = await recordSampleResult(p.sample.id, result);
        setRecent((r) => [{ key: ++serial, kind: "sample" as const, code: answer.sample.barcode, result, at: answer.sample.resultAt ?? new Date().toISOString(), caseId: answer.caseId ?? null }, ...r].slice(0, 50));
      }
      flash.show(t("test.lab.recorded", { code: p.kind === "pool" ? p.pool.code : p.sample.barcode, result: resultLabel(result) }));
      reset();
    } catch (error) {
      setNotice(errorText(error));
      setText("");
      focus();
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      reset();
      return;
    }
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (looking() || saving()) return;
    const v = normaliseCode(text());
    const result = chosen();
    if (pending() && result) {
      void record(result);
      return;
    }
    if (v) void lookup(v);
  };

  const pick = (r: TestResult) => {
    setPicked(r);
    setText("");
    focus();
  };

  return (
    <section class="page" data-testid="test-lab-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-lab-page-title">{t("test.lab.title")}</h1>
          <p class="muted">{t("test.lab.lead")}</p>
        </div>
      </header>
      <Flash message={flash.message()} />

      <section class="card test-lab-entry" aria-labelledby="test-lab-entry-title">
        <h2 id="test-lab-entry-title" class="sr-only">
          {t("test.lab.entry")}
        </h2>
        <Field id="test-lab-code" label={pending() ? t("test.lab.keyLabel") : t("test.lab.codeLabel")} hint={pending() ? t("test.lab.keyHint") : t("test.lab.codeHint")}>
          <input
            ref={input}
            id="test-lab-code"
            class="test-lab-input"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={onKeyDown}
            aria-describedby={describedBy("test-lab-code", undefined, true)}
            aria-busy={looking() || saving()}
            data-testid="test-lab-code"
          />
        </Field>
        <Show when={notice()}>
          <p class="banner banner-error test-lab-notice" role="alert" data-testid="test-lab-notice">
            {notice()}
          </p>
        </Show>
        <Show when={looking()}>
          <Spinner inline label={t("common.loading")} />
        </Show>
        <Show when={pending()}>
          {(p) => (
            <div class="test-lab-pending" data-testid="test-lab-pending" data-kind={p().kind} data-code={p().kind === "pool" ? (p() as { pool: PoolDetail }).pool.code : (p() as { sample: SampleDetail }).sample.barcode}>
              <Switch>
                <Match when={p().kind === "pool" && (p() as { pool: PoolDetail }).pool}>
                  {(pool) => (
                    <div>
                      <strong class="test-code test-code-big">{pool().code}</strong>
                      <p class="muted">
                        {pool().siteName} · {t("test.lab.poolFacts", { n: pool().size })} · {poolStatusLabel(pool().status)}
                        <Show when={pool().sealedAt}> · {t("test.lab.sealedAt", { at: formatVnDateTime(pool().sealedAt) })}</Show>
                      </p>
                      <Show when={pool().result}>
                        <p class="small" data-testid="test-lab-already">
                          {t("test.lab.already", { result: resultLabel(pool().result!) })}
                        </p>
                      </Show>
                    </div>
                  )}
                </Match>
                <Match when={p().kind === "sample" && (p() as { sample: SampleDetail }).sample}>
                  {(s) => (
                    <div>
                      <strong class="test-code test-code-big">{s().barcode}</strong>
                      <p class="muted">
                        {s().person.fullName} · {s().person.birthYear ?? "–"} · {s().siteName}
                        <Show when={s().retestOf}> · {t("test.lab.retest")}</Show>
                      </p>
                      <p class="small">
                        <span class={statusClass(s().status)}>{sampleStatusLabel(s().status)}</span>
                      </p>
                    </div>
                  )}
                </Match>
              </Switch>
              <div class="test-lab-results" role="group" aria-label={t("test.lab.resultGroup")}>
                <For each={RESULT_LIST}>
                  {(r) => (
                    <button
                      type="button"
                      class={`btn test-lab-result ${resultClass(r)}`}
                      classList={{ chosen: chosen() === r }}
                      aria-pressed={chosen() === r}
                      onClick={() => pick(r)}
                      data-testid={`test-lab-result-${r}`}
                    >
                      <kbd>{KEY_OF[r]}</kbd> {resultLabel(r)}
                    </button>
                  )}
                </For>
              </div>
              <div class="form-actions">
                <button type="button" class="btn btn-ghost" onClick={reset} data-testid="test-lab-cancel">
                  {t("common.cancel")} <kbd>Esc</kbd>
                </button>
                <button type="button" class="btn btn-primary" disabled={!chosen() || saving()} aria-busy={saving()} onClick={() => chosen() && void record(chosen()!)} data-testid="test-lab-confirm">
                  {saving() ? t("common.saving") : chosen() ? t("test.lab.confirm", { result: resultLabel(chosen()!) }) : t("test.lab.pickResult")} <kbd>Enter</kbd>
                </button>
              </div>
            </div>
          )}
        </Show>
      </section>

      <section class="card" aria-labelledby="test-lab-recent-title" data-testid="test-lab-recent">
        <h2 id="test-lab-recent-title">{t("test.lab.recent")}</h2>
        <Show when={recent().length > 0} fallback={<p class="muted small">{t("test.lab.noneYet")}</p>}>
          <ul class="test-rows">
            <For each={recent()}>
              {(r) => (
                <li class="test-row" data-testid="test-lab-recent-row" data-code={r.code} data-result={r.result}>
                  <div>
                    <code class="test-code">{r.code}</code>
                    <span class="sub muted">
                      {formatVnDateTime(r.at)}
                      <Show when={r.kind === "pool"}> · {t("test.lab.poolFacts", { n: r.size ?? 0 })}</Show>
                      <Show when={(r.retests ?? 0) > 0}> · {t("test.lab.retestsNeeded", { n: r.retests! })}</Show>
                    </span>
                  </div>
                  <div class="test-row-actions">
                    <span class={resultClass(r.result)} data-testid="test-lab-recent-result">
                      {resultLabel(r.result)}
                    </span>
                    <Show when={r.caseId}>
                      <Show when={TRACING_ROLES.includes(me().role)} fallback={<span class="small" data-testid="test-lab-case-opened">{t("test.lab.caseOpened")}</span>}>
                        <A href={`/cases/${encodeURIComponent(r.caseId!)}`} class="small" data-testid="test-lab-case-opened">
                          {t("test.lab.caseOpened")}
                        </A>
                      </Show>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <section class="card" aria-labelledby="test-lab-waiting-title" data-testid="test-lab-waiting">
        <h2 id="test-lab-waiting-title">{t("test.lab.waiting")}</h2>
        <ErrorBanner error={waiting.error()} onRetry={() => waiting.reload()} />
        <Show when={waiting.items().length > 0} fallback={<p class="muted small">{waiting.loading() ? t("common.loading") : t("test.lab.noneWaiting")}</p>}>
          <ul class="test-rows">
            <For each={waiting.items()}>
              {(p) => (
                <li class="test-row" data-testid="test-lab-waiting-row" data-code={p.code}>
                  <div>
                    <button type="button" class="link-btn" onClick={() => void lookup(p.code)} data-testid="test-lab-waiting-open">
                      <code class="test-code">{p.code}</code>
                    </button>
                    <span class="sub muted">
                      {p.siteName} · {t("test.lab.poolFacts", { n: p.size })}
                      <Show when={p.sealedAt}> · {t("test.lab.sealedAt", { at: formatVnDateTime(p.sealedAt) })}</Show>
                    </span>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={waiting.hasMore()}>
          <button type="button" class="btn btn-small btn-ghost" onClick={() => waiting.loadMore()}>
            {t("common.loadMore")}
          </button>
        </Show>
      </section>

      <CsvResults
        onCommitted={(report) => {
          flash.show(t("test.csv.committed", { rows: formatCount(report.rows), positive: formatCount(report.positive), cases: formatCount(report.casesOpened) }));
          waiting.reload();
        }}
      />
    </section>
  );
}

/** The server's refusal of a file (422 import_rejected): its rows, from the error's details. */
function rejectedFromError(error: unknown): Rejected[] | null {
  if (!(error instanceof ApiError) || error.code !== "import_rejected") return null;
  // Each detail: path "line 3", message "unknown_code: <Vietnamese> / <English> (S0000000000)".
  return error.details.map((d, i) => {
    const line = /(\d+)/.exec(d.path)?.[1];
    const m = /^([a-z_]+): .*\(([^()]*)\)$/.exec(d.message);
    return { line: line ? Number(line) : i + 1, code: m?.[2] ?? "", reason: m?.[1] ?? inMyLanguage(d.message) };
  });
}

/** Upload a CSV of results: a dry run shows what it would record (and every rejected line), then commit. */
function CsvResults(props: { onCommitted: (report: ResultReport) => void }) {
  const [file, setFile] = createSignal<File | null>(null);
  const [fileError, setFileError] = createSignal<string | undefined>();
  const [preview, setPreview] = createSignal<ResultReport | null>(null);
  const [rejected, setRejected] = createSignal<Rejected[]>([]);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal<"preview" | "commit" | null>(null);
  const [done, setDone] = createSignal<ResultReport | null>(null);

  const run = async (dryRun: boolean) => {
    const f = file();
    if (!f) {
      setFileError(t("test.csv.fileRequired"));
      return;
    }
    if (f.size === 0) {
      setFileError(t("test.csv.fileEmpty"));
      return;
    }
    setBusy(dryRun ? "preview" : "commit");
    setFailure(null);
    try {
      const report = await importResults(f, dryRun);
      setRejected(report.rejected);
      if (dryRun) setPreview(report);
      else {
        setPreview(null);
        setDone(report);
        setFile(null);
        props.onCommitted(report);
      }
    } catch (error) {
      const rows = rejectedFromError(error);
      if (rows) {
        setRejected(rows);
        setPreview(null);
      }
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="test-csv-title" data-testid="test-csv">
      <h2 id="test-csv-title">{t("test.csv.title")}</h2>
      <p class="small muted">{t("test.csv.columns")}</p>
      <form
        class="form form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
        noValidate
        data-testid="test-csv-form"
      >
        <Field id="test-csv-file" label={t("test.csv.file")} error={fileError()} required hint={t("test.csv.fileHint")} class="span-2">
          <input
            id="test-csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setFileError(undefined);
              setPreview(null);
              setRejected([]);
              setDone(null);
              setFailure(null);
            }}
            aria-invalid={fileError() ? "true" : undefined}
            aria-describedby={describedBy("test-csv-file", fileError(), true)}
            data-testid="test-csv-file"
          />
        </Field>
        <div class="form-actions">
          <button type="submit" class="btn" disabled={busy() !== null} aria-busy={busy() === "preview"} data-testid="test-csv-preview">
            {busy() === "preview" ? t("test.csv.checking") : t("test.csv.check")}
          </button>
        </div>
      </form>
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="test-csv-error" />
      <Show when={preview() ?? done()}>
        {(r) => (
          <div class="test-csv-report" data-testid={done() ? "test-csv-done" : "test-csv-report"} data-dry-run={String(r().dryRun)}>
            <p class="small muted">{done() ? t("test.csv.writtenLead") : t("test.csv.previewLead")}</p>
            <div class="counters test-counters">
              <Count id="rows" label={t("test.csv.rows")} value={r().rows} />
              <Count id="pools" label={t("test.csv.pools")} value={r().pools} />
              <Count id="samples" label={t("test.csv.samples")} value={r().samples} />
              <Count id="negative" label={resultLabel("negative")} value={r().negative} />
              <Count id="positive" label={resultLabel("positive")} value={r().positive} alert />
              <Count id="invalid" label={resultLabel("invalid")} value={r().invalid} />
              <Count id="cases" label={t("test.csv.cases")} value={r().casesOpened} alert />
            </div>
            <Show when={preview() && rejected().length === 0}>
              <div class="form-actions">
                <button type="button" class="btn btn-primary" disabled={busy() !== null} aria-busy={busy() === "commit"} onClick={() => void run(false)} data-testid="test-csv-commit">
                  {busy() === "commit" ? t("common.saving") : t("test.csv.commit", { n: formatCount(r().rows) })}
                </button>
              </div>
            </Show>
          </div>
        )}
      </Show>
      <Show when={rejected().length > 0}>
        <div class="table-wrap">
          <p class="small" data-testid="test-csv-rejected-lead">
            {t("test.csv.rejectedLead", { n: rejected().length })}
          </p>
          <table class="data-table cards-on-phone" data-testid="test-csv-rejected">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t("test.csv.line")}
                </th>
                <th scope="col">{t("test.csv.code")}</th>
                <th scope="col">{t("test.csv.reason")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={rejected()}>
                {(x) => (
                  <tr data-testid="test-csv-rejected-row" data-line={x.line} data-reason={x.reason}>
                    <td data-label={t("test.csv.line")} class="num">
                      {x.line}
                    </td>
                    <td data-label={t("test.csv.code")}>
                      <code>{x.code}</code>
                    </td>
                    <td data-label={t("test.csv.reason")}>{rejectReasonLabel(x.reason)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

function Count(props: { id: string; label: string; value: number; alert?: boolean }) {
  return (
    <div class="counter" classList={{ "counter-alert": !!props.alert && props.value > 0 }} data-testid={`test-csv-${props.id}`} data-value={props.value}>
      <span class="counter-label">{props.label}</span>
      <span class="counter-value">{formatCount(props.value)}</span>
    </div>
  );
}
