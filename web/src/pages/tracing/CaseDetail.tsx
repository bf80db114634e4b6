/**
 * One case: its facts and infectious window, the trace (run F1 / F2, summary, the case's visits,
 * the contacts of the officer's area with "Mark notified", contacts added by hand) and the
 * transmission graph. The stored trace loads with the page.
 */
import { A, useLocation } from "@solidjs/router";
import { Show, createEffect, createSignal, on, onCleanup, onMount } from "solid-js";
import { ApiError } from "../../api";
import { canEditTracing } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Flash, { createFlash } from "../../components/Flash";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import AddContactForm from "./AddContactForm";
import { CaseStatusBadge } from "./Badges";
import CaseFactsCard from "./CaseFactsCard";
import CaseGraph from "./CaseGraph";
import CaseTracePanel from "./CaseTracePanel";
import ContactsTable from "./ContactsTable";
import { getCase, getTrace, runTrace, type Case, type Contact, type TraceResult } from "./tracing.api";
import "./tracing.css";
import RecordPage from "../../components/RecordPage";

export default function CaseDetailPage() {
  return (
    <RecordPage<Case>
      name="case"
      load={getCase}
      backHref="/cases"
      backLabel={t("tracing.case.back")}
      notFoundTitle={t("tracing.case.notFound")}
      notFoundBody={t("tracing.case.notFoundBody")}
    >
      {(r, set) => <CaseBody kase={r()} onCase={set} />}
    </RecordPage>
  );
}

function CaseBody(props: { kase: Case; onCase: (c: Case) => void }) {
  const me = () => session.user()!;
  const location = useLocation<{ created?: boolean; traced?: boolean }>();
  const c = () => props.kase;
  const writer = () => canEditTracing(me().role);
  const flash = createFlash(8000);
  const [trace, setTrace] = createSignal<TraceResult | null>(null);
  const [traceLoading, setTraceLoading] = createSignal(true);
  const [traceError, setTraceError] = createSignal<unknown>(null);
  const [running, setRunning] = createSignal<1 | 2 | null>(null);
  const [graphVersion, setGraphVersion] = createSignal(0);
  const [adding, setAdding] = createSignal(false);

  createEffect(() => ensureAreaNames(c().provinceCode, c().communeCode));

  onMount(() => {
    if (location.state?.created) flash.show(t("tracing.caseNew.created", { name: c().person.fullName }));
  });

  let traceController: AbortController | null = null;
  const loadTrace = async () => {
    traceController?.abort();
    const mine = new AbortController();
    traceController = mine;
    setTraceLoading(true);
    setTraceError(null);
    try {
      const result = await getTrace(c().id, mine.signal);
      if (!mine.signal.aborted) setTrace(result);
    } catch (err) {
      if (mine.signal.aborted) return;
      // Never traced: the server may answer 404 for the trace of an existing case.
      if (err instanceof ApiError && err.status === 404) setTrace(null);
      else setTraceError(err);
    } finally {
      if (!mine.signal.aborted) setTraceLoading(false);
    }
  };
  createEffect(on(() => c().id, () => void loadTrace()));
  onCleanup(() => traceController?.abort());

  const refreshCase = () =>
    getCase(c().id)
      .then(props.onCase)
      .catch(() => undefined);

  const run = async (degree: 1 | 2) => {
    setRunning(degree);
    setTraceError(null);
    try {
      const result = await runTrace(c().id, degree);
      setTrace(result);
      flash.show(t("tracing.trace.done", { f1: result.summary.f1, f2: result.summary.f2, n: result.summary.newContacts }));
      setGraphVersion((v) => v + 1);
      void refreshCase();
    } catch (err) {
      setTraceError(err);
    } finally {
      setRunning(null);
    }
  };

  const onContactChanged = (updated: Contact) => {
    setTrace((tr) => (tr ? { ...tr, contacts: tr.contacts.map((x) => (x.id === updated.id ? { ...x, ...updated } : x)) } : tr));
    setGraphVersion((v) => v + 1);
  };

  const onContactAdded = (added: Contact) => {
    setAdding(false);
    flash.show(t("tracing.addContact.added", { name: added.person.fullName }));
    void loadTrace();
    void refreshCase();
    setGraphVersion((v) => v + 1);
  };

  return (
    <>
      <header class="page-head">
        <div>
          <h1 data-testid="case-name">
            <span class="degree degree-0">F0</span> {c().person.fullName}
          </h1>
          <p class="muted">
            {c().person.phone ?? "–"}
            <Show when={c().person.birthYear}> · {c().person.birthYear}</Show> · {areaLabel(c().provinceCode, c().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <CaseStatusBadge status={c().status} testId="case-page-status" />
        </div>
      </header>
      <Flash message={flash.message()} />

      <div class="tracing-grid">
        <div class="tracing-main">
          <CaseTracePanel
            kase={c()}
            trace={trace()}
            loading={traceLoading()}
            error={traceError()}
            running={running()}
            canRun={writer()}
            onRun={(d) => void run(d)}
            onRetry={() => void loadTrace()}
            onDismissError={() => setTraceError(null)}
          />
          <CaseGraph caseId={c().id} version={graphVersion()} />
          <section class="card tracing-card" aria-labelledby="case-contacts-title" data-testid="case-contacts">
            <div class="section-head">
              <div>
                <h2 id="case-contacts-title">{t("tracing.contacts.ofCase")}</h2>
                <p class="small muted">{t("tracing.contacts.ofCaseHint")}</p>
              </div>
              <Show when={writer() && !adding()}>
                <button type="button" class="btn btn-small" onClick={() => setAdding(true)} data-testid="contact-add-open">
                  {t("tracing.addContact.open")}
                </button>
              </Show>
            </div>
            <Show when={adding()}>
              <div class="card-block">
                <AddContactForm caseId={c().id} onAdded={onContactAdded} onCancel={() => setAdding(false)} />
              </div>
            </Show>
            <Show when={(trace()?.contacts.length ?? 0) > 0}>
              <ContactsTable contacts={trace()!.contacts} canEdit={writer()} onChanged={onContactChanged} testId="case-contacts-table" />
            </Show>
            <Show when={trace()?.moreContacts}>
              <p class="small">
                <A href={`/contacts?view=all&caseId=${c().id}`} data-testid="case-contacts-all">
                  {t("tracing.contacts.seeAll", { shown: trace()!.contacts.length })}
                </A>
              </p>
            </Show>
            <Show when={traceLoading() && !trace()}>
              <div class="table-empty">
                <Spinner label={t("common.loading")} />
              </div>
            </Show>
            <Show when={!traceLoading() && (trace()?.contacts.length ?? 0) === 0}>
              <p class="muted" data-testid="case-contacts-empty">
                {t("tracing.contacts.noneYet")}
              </p>
            </Show>
          </section>
        </div>
        <div class="tracing-side">
          <CaseFactsCard
            kase={c()}
            canEdit={writer()}
            onSaved={(updated) => {
              props.onCase(updated);
              flash.show(t("tracing.case.saved"));
            }}
          />
        </div>
      </div>
    </>
  );
}
