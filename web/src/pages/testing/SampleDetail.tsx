/**
 * One sample: whose, where and when, its pool, its result and status, its retest (or the sample
 * it retests), and the F0 case a positive result opened. A rapid test's result is recorded here
 * by the site; a sample waiting for a retest links to the retest list.
 */
import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { TRACING_ROLES, canRecordRapidResults, canTakeSamples } from "../../access";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage, { Fact } from "../../components/RecordPage";
import { t } from "../../i18n";
import { session } from "../../session";
import LabelButton from "./LabelButton";
import TestingNav from "./TestingNav";
import { RESULT_LIST, getSample, recordSampleResult, type SampleDetail, type TestResult } from "./testing.api";
import { formatVnDateTime, poolStatusLabel, resultClass, resultLabel, sampleStatusLabel, statusClass, testTypeLabel, testingError } from "./testing.data";
import "./testing.css";

export default function SampleDetailPage() {
  return (
    <RecordPage<SampleDetail>
      name="test-sample"
      load={getSample}
      backHref="/testing/samples"
      backLabel={t("test.samples.title")}
      notFoundTitle={t("test.sample.notFound")}
      notFoundBody={t("test.sample.notFoundBody")}
    >
      {(s, set) => <SampleBody sample={s()} onChange={set} />}
    </RecordPage>
  );
}

function SampleBody(props: { sample: SampleDetail; onChange: (s: SampleDetail) => void }) {
  const me = () => session.user()!;
  const s = () => props.sample;
  const flash = createFlash();
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const canRecord = () => s().testType === "rapid_antigen" && !s().result && canRecordRapidResults(me().role);
  const canSeeCase = () => TRACING_ROLES.includes(me().role);

  const record = async (result: TestResult) => {
    if (result === "positive" && !window.confirm(t("test.desk.positiveConfirm", { barcode: s().barcode }))) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = await recordSampleResult(s().id, result);
      props.onChange({ ...s(), ...answer.sample, caseId: answer.caseId ?? s().caseId });
      flash.show(t("test.lab.recorded", { code: s().barcode, result: resultLabel(result) }));
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-sample-name">{s().person.fullName}</h1>
          <p class="muted">
            {s().person.phone ?? "–"} · {s().person.birthYear ?? "–"}
          </p>
        </div>
        <div class="head-actions">
          <span class={statusClass(s().status)} data-testid="test-sample-status" data-status={s().status}>
            {sampleStatusLabel(s().status)}
          </span>
          <LabelButton kind="sample" id={s().id} code={s().barcode} testId="test-sample-label" />
        </div>
      </header>
      <Flash message={flash.message()} />
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="test-sample-error" />
      <dl class="facts test-facts">
        <Fact label={t("test.col.sample")} testId="test-sample-barcode">
          <code>{s().barcode}</code>
        </Fact>
        <Fact label={t("test.campaign.testType")}>{testTypeLabel(s().testType)}</Fact>
        <Fact label={t("test.col.site")}>{s().siteName}</Fact>
        <Fact label={t("test.col.takenAt")}>
          {formatVnDateTime(s().takenAt)}
          <Show when={s().team}> · {s().team}</Show>
        </Fact>
        <Fact label={t("test.sample.pool")} testId="test-sample-pool">
          <Show when={s().pool} fallback="–">
            {(p) => (
              <>
                <A href={`/testing/pools/${encodeURIComponent(p().id)}`}>
                  <code>{p().code}</code>
                </A>{" "}
                <Show when={p().result} fallback={<span class={`test-badge test-pool-${p().status}`}>{poolStatusLabel(p().status)}</span>}>
                  <span class={resultClass(p().result!)}>{resultLabel(p().result!)}</span>
                </Show>
              </>
            )}
          </Show>
        </Fact>
        <Fact label={t("test.sample.result")} testId="test-sample-result">
          <Show when={s().result} fallback="–">
            <span class={resultClass(s().result!)}>{resultLabel(s().result!)}</span> · {formatVnDateTime(s().resultAt)}
          </Show>
        </Fact>
        <Show when={s().retestOf}>
          <Fact label={t("test.sample.retestOf")}>
            <A href={`/testing/samples/${encodeURIComponent(s().retestOf!)}`} data-testid="test-sample-retest-of">
              {t("test.sample.original")}
            </A>
          </Fact>
        </Show>
        <Show when={s().retest}>
          {(r) => (
            <Fact label={t("test.sample.retest")}>
              <A href={`/testing/samples/${encodeURIComponent(r().id)}`} data-testid="test-sample-retest">
                <code>{r().barcode}</code>
              </A>{" "}
              <span class={statusClass(r().status)}>{sampleStatusLabel(r().status)}</span>
            </Fact>
          )}
        </Show>
        <Show when={s().caseId}>
          <Fact label={t("test.sample.case")} testId="test-sample-case">
            <Show when={canSeeCase()} fallback={t("test.lab.caseOpened")}>
              <A href={`/cases/${encodeURIComponent(s().caseId!)}`} class="btn btn-small btn-danger-ghost" data-testid="test-sample-case-link">
                {t("test.sample.openCase")}
              </A>
            </Show>
          </Fact>
        </Show>
      </dl>
      <Show when={canRecord()}>
        <section class="card" aria-labelledby="test-sample-record-title" data-testid="test-sample-record">
          <h2 id="test-sample-record-title">{t("test.sample.recordRapid")}</h2>
          <div class="test-lab-results">
            <For each={RESULT_LIST}>
              {(r) => (
                <button type="button" class={`btn ${resultClass(r)}`} disabled={busy()} onClick={() => void record(r)} data-testid={`test-sample-result-${r}`}>
                  {resultLabel(r)}
                </button>
              )}
            </For>
          </div>
        </section>
      </Show>
      <Show when={(s().status === "retest_needed" || s().status === "invalid") && canTakeSamples(me().role)}>
        <p>
          <A href={`/testing/retests?site=${encodeURIComponent(s().siteId)}${s().status === "invalid" ? "&status=invalid" : ""}`} class="btn btn-primary" data-testid="test-sample-take-retest">
            {t("test.sample.takeRetest")}
          </A>
        </p>
      </Show>
    </>
  );
}
