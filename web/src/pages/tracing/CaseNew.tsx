/**
 * Register a confirmed case (F0): the person (looked up by phone, or typed in), the facts of the
 * confirmation, and "trace now". The API's 400 details land next to their fields.
 */
import { A, useNavigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { canEditTracing } from "../../access";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Spinner from "../../components/Spinner";
import { CommuneSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { session } from "../../session";
import PersonPicker, { PERSON_FIELDS, PERSON_PATHS, createPersonPicker } from "./PersonPicker";
import { CASE_PATHS, CaseFactsFields, applyCaseErrors, createCaseFacts } from "./CaseFactsForm";
import { createCase, type NewCase } from "./tracing.api";
import { fieldErrorsByPath } from "./tracing.data";
import "./tracing.css";

export default function CaseNewPage() {
  const me = () => session.user()!;
  const navigate = useNavigate();
  const picker = createPersonPicker(me());
  const facts = createCaseFacts();
  const [traceNow, setTraceNow] = createSignal(true);
  const [areaCommune, setAreaCommune] = createSignal("");
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  // Province officers choose which commune team owns the case (default: where the person lives).
  const areaPickShown = () => me().role === "province_officer";

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const personOk = picker.validate();
    const factsOk = facts.validate();
    if (!personOk || !factsOk) {
      document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    setSaving(true);
    try {
      const communeCode = me().role === "commune_officer" ? me().communeCode : areaPickShown() && areaCommune() ? areaCommune() : null;
      const input: NewCase = { ...picker.ref(), ...facts.values(), trace: traceNow(), ...(communeCode ? { communeCode } : {}) };
      const created = await createCase(input);
      navigate(`/cases/${encodeURIComponent(created.id)}`, { state: { created: true, traced: traceNow() } });
    } catch (error) {
      const byPath = fieldErrorsByPath(error);
      const personErrors: Record<string, string> = {};
      for (const p of PERSON_PATHS) if (byPath[p]) personErrors[p] = byPath[p];
      picker.setErrors(personErrors);
      setFailure(applyCaseErrors(error, facts, PERSON_PATHS) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="page" data-testid="case-new-page">
      <A href="/cases" class="back-link">
        ‹ {t("tracing.case.back")}
      </A>
      <header class="page-head">
        <div>
          <h1 data-testid="case-new-title">{t("tracing.caseNew.title")}</h1>
          <p class="muted">{t("tracing.caseNew.lead")}</p>
        </div>
      </header>
      <Show when={canEditTracing(me().role)} fallback={<p class="card">{t("error.noAccess")}</p>}>
        <form class="card form" onSubmit={submit} noValidate data-testid="case-form">
          <ErrorBanner error={failure()} handledFields={[...PERSON_FIELDS, ...CASE_PATHS]} testId="case-form-error" />
          <PersonPicker picker={picker} idPrefix="case-person" />
          <fieldset class="fieldset">
            <legend>{t("tracing.caseNew.facts")}</legend>
            <div class="form form-grid">
              <CaseFactsFields facts={facts} idPrefix="case-form" />
              <Show when={areaPickShown()}>
                <Field id="case-form-communeCode" label={t("tracing.caseNew.area")} error={facts.errors().communeCode} hint={t("tracing.caseNew.areaHint")}>
                  <CommuneSelect
                    id="case-form-communeCode"
                    provinceCode={me().provinceCode ?? ""}
                    value={areaCommune()}
                    emptyLabel={t("tracing.caseNew.areaDefault")}
                    testId="case-form-communeCode"
                    onChange={(code) => {
                      setAreaCommune(code);
                      facts.clearError("communeCode");
                    }}
                  />
                </Field>
              </Show>
            </div>
          </fieldset>
          <label class="check-row">
            <input type="checkbox" checked={traceNow()} onChange={(e) => setTraceNow(e.currentTarget.checked)} data-testid="case-form-trace" />
            {t("tracing.caseNew.traceNow")}
          </label>
          <div class="form-actions">
            <A href="/cases" class="btn btn-ghost">
              {t("common.cancel")}
            </A>
            <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="case-form-submit">
              <Show when={saving()} fallback={t("tracing.caseNew.submit")}>
                <Spinner inline label={t("common.saving")} />
              </Show>
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
