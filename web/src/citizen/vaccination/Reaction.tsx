/** A reaction after one of the citizen's (or a family member's) doses, reported to the health station. */
import { For, Show, createSignal } from "solid-js";
import { t, tx } from "../i18n";
import { query } from "../router";
import { A, Choice, Field, dateVN, fieldErrors, type Errors } from "../ui";
import { REACTION_SYMPTOMS, SEVERITIES, myVaccination, reportReaction, type Dose, type Severity } from "./api";
import { VaxAlert } from "./words";

const pad = (n: number) => String(n).padStart(2, "0");
/** The value of a datetime-local input for a moment, in the phone's own time. */
const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

export function Reaction() {
  const doseId = query().get("dose") ?? "";
  const [dose, setDose] = createSignal<{ dose: Dose; name: string }>();
  const [onset, setOnset] = createSignal(localInput(new Date()));
  const [severity, setSeverity] = createSignal<Severity>("mild");
  const [symptoms, setSymptoms] = createSignal<string[]>([]);
  const [description, setDescription] = createSignal("");
  const [hospitalised, setHospitalised] = createSignal(false);
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [sent, setSent] = createSignal(false);

  myVaccination().then(
    (v) => {
      for (const p of v.people) {
        const d = p.doses.find((x) => x.id === doseId);
        if (d) return setDose({ dose: d, name: p.person.fullName });
      }
      setError(t("notFound"));
    },
    (e: unknown) => setError(e),
  );

  const toggle = (s: string, on: boolean) => setSymptoms(on ? [...symptoms(), s] : symptoms().filter((x) => x !== s));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const local: Errors = {};
    const at = new Date(onset());
    const given = dose()?.dose.givenOn;
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000 || (given && localInput(at).slice(0, 10) < given)) local.onsetAt = t("vaxOnsetInvalid");
    if (symptoms().length === 0) local.symptoms = t("vaxSymptomsRequired");
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(undefined);
    try {
      await reportReaction(doseId, {
        onsetAt: at.toISOString(),
        severity: severity(),
        symptoms: symptoms(),
        hospitalised: hospitalised(),
        ...(description().trim() ? { description: description().trim() } : {}),
      });
      setSent(true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page" data-testid="vax-reaction-page">
      <h1>{t("vaxReactionTitle")}</h1>
      <Show when={dose()}>
        {(d) => (
          <p class="title" data-testid="vax-reaction-dose">
            {d().name} · {t("vaxDose", { n: d().dose.doseNumber })}: {d().dose.productName} · {dateVN(d().dose.givenOn)}
          </p>
        )}
      </Show>
      <Show
        when={!sent()}
        fallback={
          <>
            <p class="ok" role="status" data-testid="vax-reaction-sent">
              {t("vaxReactionSent")}
            </p>
            <A href="/vaccination" class="btn" testId="vax-back">
              {t("vaxBackToList")}
            </A>
          </>
        }
      >
        <p class="note">{t("vaxReactionLead")}</p>
        <form onSubmit={submit} novalidate data-testid="vax-reaction-form">
          <Field label={t("vaxOnset")} error={errors().onsetAt} path="onsetAt">
            {(a) => (
              <input
                id={a.id}
                type="datetime-local"
                value={onset()}
                max={localInput(new Date())}
                onInput={(e) => setOnset(e.currentTarget.value)}
                aria-invalid={a.invalid}
                aria-describedby={a.describedBy}
                data-testid="vax-reaction-onset"
              />
            )}
          </Field>
          <Choice name="vax-severity" legend={t("vaxSeverity")} options={SEVERITIES} label={(v) => tx("severity", v)} value={severity()} onChange={setSeverity} testId="vax-severity" error={errors().severity} />
          <fieldset data-testid="vax-symptoms">
            <legend>{t("vaxSymptoms")}</legend>
            <div class="checks">
              <For each={REACTION_SYMPTOMS}>
                {(s) => (
                  <label class="check">
                    <input type="checkbox" checked={symptoms().includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} data-testid={`vax-symptom-${s}`} />
                    {tx("aefi", s)}
                  </label>
                )}
              </For>
            </div>
            <Show when={errors().symptoms}>
              <p class="field-error" data-testid="error-symptoms">
                {errors().symptoms}
              </p>
            </Show>
          </fieldset>
          <label class="check">
            <input type="checkbox" checked={hospitalised()} onChange={(e) => setHospitalised(e.currentTarget.checked)} data-testid="vax-hospitalised" />
            {t("vaxHospitalised")}
          </label>
          <Field label={`${t("vaxReactionDescription")} ${t("optional")}`} error={errors().description} path="description">
            {(a) => <textarea id={a.id} rows={3} maxlength={2000} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} data-testid="vax-reaction-description" />}
          </Field>
          <VaxAlert error={error()} />
          <button class="btn" type="submit" disabled={busy() || !dose()} data-testid="vax-reaction-submit">
            {busy() ? t("sending") : t("vaxReactionSend")}
          </button>
          <A href="/vaccination" class="btn ghost" testId="vax-reaction-cancel">
            {t("cancel")}
          </A>
        </form>
      </Show>
    </div>
  );
}
