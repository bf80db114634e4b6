/**
 * The facts of a case and its infectious window, and (for officers who may) the edit of its
 * status, isolation time and place of treatment.
 */
import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { areaLabel } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { formatDateTime, t } from "../../i18n";
import { CASE_STATUSES, updateCase, type Case, type CasePatch, type CaseStatus } from "./tracing.api";
import {
  caseStatusLabel,
  fieldErrorsByPath,
  formatRange,
  formatVnDateTime,
  formatVnDay,
  isoToLocalInput,
  localInputToIso,
  methodLabel,
  shownByFields,
} from "./tracing.data";

const EDIT_FIELDS = ["status", "isolatedAt", "treatmentPlace"] as const;

export default function CaseFactsCard(props: { kase: Case; canEdit: boolean; onSaved: (c: Case) => void }) {
  const c = () => props.kase;
  const [editing, setEditing] = createSignal(false);

  return (
    <section class="card" aria-labelledby="case-facts-title" data-testid="case-facts">
      <div class="section-head">
        <h2 id="case-facts-title">{t("tracing.case.facts")}</h2>
        <Show when={props.canEdit && !editing()}>
          <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="case-edit">
            {t("tracing.case.edit")}
          </button>
        </Show>
      </div>
      <Show when={editing()}>
        <CaseEditForm
          kase={c()}
          onCancel={() => setEditing(false)}
          onSaved={(updated) => {
            setEditing(false);
            props.onSaved(updated);
          }}
        />
      </Show>
      <dl class="facts">
        <div>
          <dt>{t("tracing.case.window")}</dt>
          <dd data-testid="case-window">{formatRange(c().window.from, c().window.to)}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.status")}</dt>
          <dd>{caseStatusLabel(c().status)}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.confirmedOn")}</dt>
          <dd data-testid="case-confirmed-on">
            {formatVnDay(c().confirmedOn)} · {methodLabel(c().method)}
          </dd>
        </div>
        <div>
          <dt>{t("tracing.case.symptomOnset")}</dt>
          <dd>{c().symptomOnset ? formatVnDay(c().symptomOnset) : <span class="muted">{t("tracing.case.noSymptoms")}</span>}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.sampleDate")}</dt>
          <dd>{c().sampleDate ? formatVnDay(c().sampleDate) : "–"}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.isolatedAt")}</dt>
          <dd data-testid="case-isolated-at">{c().isolatedAt ? formatVnDateTime(c().isolatedAt) : <span class="muted">{t("tracing.case.notIsolated")}</span>}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.treatmentPlace")}</dt>
          <dd>{c().treatmentPlace || "–"}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.area")}</dt>
          <dd>{areaLabel(c().provinceCode, c().communeCode)}</dd>
        </div>
        <div>
          <dt>{t("tracing.case.contacts")}</dt>
          <dd data-testid="case-contact-counts">
            {c().contacts.f1} F1 · {c().contacts.f2} F2
          </dd>
        </div>
        <Show when={c().sourceCaseId}>
          {(id) => (
            <div>
              <dt>{t("tracing.case.source")}</dt>
              <dd>
                <A href={`/cases/${encodeURIComponent(id())}`} data-testid="case-source-link">
                  {t("tracing.case.openSource")}
                </A>
              </dd>
            </div>
          )}
        </Show>
        <Show when={c().notes}>
          <div>
            <dt>{t("tracing.case.notes")}</dt>
            <dd style={{ "white-space": "pre-line" }}>{c().notes}</dd>
          </div>
        </Show>
        <div>
          <dt>{t("tracing.case.createdAt")}</dt>
          <dd>{formatDateTime(c().createdAt)}</dd>
        </div>
      </dl>
    </section>
  );
}

function CaseEditForm(props: { kase: Case; onSaved: (c: Case) => void; onCancel: () => void }) {
  const [status, setStatus] = createSignal<CaseStatus>(props.kase.status);
  const [isolatedAt, setIsolatedAt] = createSignal(isoToLocalInput(props.kase.isolatedAt));
  const [treatmentPlace, setTreatmentPlace] = createSignal(props.kase.treatmentPlace ?? "");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    if (isolatedAt() && !localInputToIso(isolatedAt())) {
      setErrors({ isolatedAt: t("tracing.case.timeInvalid") });
      return;
    }
    const patch: CasePatch = {};
    if (status() !== props.kase.status) patch.status = status();
    if (isolatedAt() !== isoToLocalInput(props.kase.isolatedAt)) patch.isolatedAt = isolatedAt() ? localInputToIso(isolatedAt()) : null;
    if (treatmentPlace().trim() !== (props.kase.treatmentPlace ?? "")) patch.treatmentPlace = treatmentPlace().trim() || null;
    if (Object.keys(patch).length === 0) {
      props.onCancel();
      return;
    }
    setSaving(true);
    try {
      props.onSaved(await updateCase(props.kase.id, patch));
    } catch (error) {
      setErrors(fieldErrorsByPath(error));
      setFailure(shownByFields(error, EDIT_FIELDS) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form card-block" onSubmit={submit} noValidate data-testid="case-edit-form">
      <ErrorBanner error={failure()} handledFields={EDIT_FIELDS} />
      <Field id="case-edit-status" label={t("tracing.case.status")} error={errors().status}>
        <select id="case-edit-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as CaseStatus)} data-testid="case-edit-status">
          <For each={CASE_STATUSES}>
            {(s) => (
              <option value={s} selected={s === status()}>
                {caseStatusLabel(s)}
              </option>
            )}
          </For>
        </select>
      </Field>
      <Field id="case-edit-isolatedAt" label={t("tracing.case.isolatedAt")} error={errors().isolatedAt} hint={t("tracing.case.isolatedAtHint")}>
        <input
          id="case-edit-isolatedAt"
          type="datetime-local"
          value={isolatedAt()}
          onInput={(e) => setIsolatedAt(e.currentTarget.value)}
          aria-invalid={errors().isolatedAt ? "true" : undefined}
          aria-describedby={describedBy("case-edit-isolatedAt", errors().isolatedAt, true)}
          data-testid="case-edit-isolatedAt"
        />
      </Field>
      <Field id="case-edit-treatmentPlace" label={t("tracing.case.treatmentPlace")} error={errors().treatmentPlace}>
        <input
          id="case-edit-treatmentPlace"
          value={treatmentPlace()}
          maxLength={200}
          onInput={(e) => setTreatmentPlace(e.currentTarget.value)}
          data-testid="case-edit-treatmentPlace"
        />
      </Field>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="case-edit-submit">
          <Show when={saving()} fallback={t("common.save")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
