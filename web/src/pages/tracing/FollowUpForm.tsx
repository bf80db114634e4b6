/** Today's call to a contact: reached or not, temperature, symptoms, a note (one per day; again replaces it). */
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { todayInVietnam } from "../venues.data";
import { SYMPTOMS, recordFollowUp, type FollowUp, type Symptom } from "./tracing.api";
import { fieldErrorsByPath, formatVnDay, shownByFields, symptomLabel } from "./tracing.data";

const FIELDS = ["reached", "temperature", "symptoms", "note", "day"] as const;

export default function FollowUpForm(props: { contactId: string; existing: FollowUp[]; onSaved: (f: FollowUp) => void }) {
  const today = todayInVietnam();
  const already = () => props.existing.find((f) => f.day === today);
  const [reached, setReached] = createSignal(true);
  const [temperature, setTemperature] = createSignal("");
  const [symptoms, setSymptoms] = createSignal<Symptom[]>([]);
  const [note, setNote] = createSignal("");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const toggle = (s: Symptom, on: boolean) => setSymptoms((list) => (on ? [...list.filter((x) => x !== s), s] : list.filter((x) => x !== s)));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const raw = temperature().trim().replace(",", ".");
    const temp = raw ? Number(raw) : null;
    if (temp !== null && (!Number.isFinite(temp) || temp < 34 || temp > 43)) {
      setErrors({ temperature: t("tracing.followUp.temperatureInvalid") });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const saved = await recordFollowUp(props.contactId, {
        reached: reached(),
        temperature: reached() ? temp : null,
        symptoms: reached() ? symptoms() : [],
        note: note().trim() || null,
      });
      props.onSaved(saved);
      setTemperature("");
      setSymptoms([]);
      setNote("");
    } catch (error) {
      setErrors(fieldErrorsByPath(error));
      setFailure(shownByFields(error, FIELDS) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="follow-up-form">
      <h3>{t("tracing.followUp.title", { day: formatVnDay(today) })}</h3>
      <Show when={already()}>
        <p class="small muted" data-testid="follow-up-replaces">
          {t("tracing.followUp.replaces")}
        </p>
      </Show>
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="follow-up-error" />
      <div class="segmented" role="group" aria-label={t("tracing.followUp.reached")}>
        <button type="button" aria-pressed={reached()} onClick={() => setReached(true)} data-testid="follow-up-reached-yes">
          {t("tracing.followUp.reachedYes")}
        </button>
        <button type="button" aria-pressed={!reached()} onClick={() => setReached(false)} data-testid="follow-up-reached-no">
          {t("tracing.followUp.reachedNo")}
        </button>
      </div>
      <Show when={reached()}>
        <Field id="follow-up-temperature" label={t("tracing.followUp.temperatureC")} error={errors().temperature}>
          <input
            id="follow-up-temperature"
            type="number"
            inputmode="decimal"
            step="0.1"
            min="34"
            max="43"
            value={temperature()}
            onInput={(e) => setTemperature(e.currentTarget.value)}
            aria-invalid={errors().temperature ? "true" : undefined}
            aria-describedby={describedBy("follow-up-temperature", errors().temperature)}
            data-testid="follow-up-temperature"
          />
        </Field>
        <fieldset class="fieldset">
          <legend class="small">{t("tracing.followUp.symptoms")}</legend>
          <div class="check-grid">
            <For each={SYMPTOMS}>
              {(s) => (
                <label class="check-row">
                  <input type="checkbox" checked={symptoms().includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} data-testid={`follow-up-symptom-${s}`} />
                  {symptomLabel(s)}
                </label>
              )}
            </For>
          </div>
          <Show when={errors().symptoms}>
            <p class="field-error">{errors().symptoms}</p>
          </Show>
        </fieldset>
      </Show>
      <Field id="follow-up-note" label={t("tracing.followUp.note")} error={errors().note}>
        <textarea id="follow-up-note" rows="2" maxLength={1000} value={note()} onInput={(e) => setNote(e.currentTarget.value)} data-testid="follow-up-note" />
      </Field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="follow-up-submit">
          <Show when={saving()} fallback={t("tracing.followUp.submit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
