/** Adds a household, workplace or declared contact to a case by hand (an F1 of the person's commune). */
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { session } from "../../session";
import PersonPicker, { PERSON_FIELDS, PERSON_PATHS, createPersonPicker } from "./PersonPicker";
import { MANUAL_CONTACT_SOURCES, addContact, type Contact, type NewContact } from "./tracing.api";
import { fieldErrorsByPath, localInputToIso, shownByFields, sourceLabel } from "./tracing.data";

type Source = (typeof MANUAL_CONTACT_SOURCES)[number];
const FIELDS = ["source", "exposedAt", "notes"] as const;

export default function AddContactForm(props: { caseId: string; onAdded: (contact: Contact) => void; onCancel: () => void }) {
  const picker = createPersonPicker(session.user()!);
  const [source, setSource] = createSignal<Source>("household");
  const [exposedAt, setExposedAt] = createSignal("");
  const [notes, setNotes] = createSignal("");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Record<string, string> = {};
    if (exposedAt() && !localInputToIso(exposedAt())) found.exposedAt = t("tracing.case.timeInvalid");
    else if (exposedAt() && new Date(localInputToIso(exposedAt())!).getTime() > Date.now()) found.exposedAt = t("tracing.case.futureDate");
    setErrors(found);
    const personOk = picker.validate();
    if (!personOk || Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const input: NewContact = {
        ...picker.ref(),
        source: source(),
        ...(exposedAt() ? { exposedAt: localInputToIso(exposedAt())! } : {}),
        notes: notes().trim() || null,
      };
      props.onAdded(await addContact(props.caseId, input));
    } catch (error) {
      const byPath = fieldErrorsByPath(error);
      setErrors(byPath);
      const personErrors: Record<string, string> = {};
      for (const p of PERSON_PATHS) if (byPath[p]) personErrors[p] = byPath[p];
      picker.setErrors(personErrors);
      setFailure(shownByFields(error, [...FIELDS, ...PERSON_PATHS]) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="contact-add-form">
      <h3>{t("tracing.addContact.title")}</h3>
      <ErrorBanner error={failure()} handledFields={[...FIELDS, ...PERSON_FIELDS]} testId="contact-add-error" />
      <PersonPicker picker={picker} idPrefix="contact-add" />
      <div class="form form-grid">
        <Field id="contact-add-source" label={t("tracing.addContact.source")} error={errors().source} required>
          <select id="contact-add-source" value={source()} onChange={(e) => setSource(e.currentTarget.value as Source)} data-testid="contact-add-source">
            <For each={MANUAL_CONTACT_SOURCES}>
              {(s) => (
                <option value={s} selected={s === source()}>
                  {sourceLabel(s)}
                </option>
              )}
            </For>
          </select>
        </Field>
        <Field id="contact-add-exposedAt" label={t("tracing.addContact.exposedAt")} error={errors().exposedAt} hint={t("tracing.addContact.exposedAtHint")}>
          <input
            id="contact-add-exposedAt"
            type="datetime-local"
            value={exposedAt()}
            onInput={(e) => setExposedAt(e.currentTarget.value)}
            aria-invalid={errors().exposedAt ? "true" : undefined}
            aria-describedby={describedBy("contact-add-exposedAt", errors().exposedAt, true)}
            data-testid="contact-add-exposedAt"
          />
        </Field>
        <Field id="contact-add-notes" label={t("tracing.case.notes")} error={errors().notes} class="span-2">
          <textarea id="contact-add-notes" rows="2" maxLength={2000} value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} data-testid="contact-add-notes" />
        </Field>
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="contact-add-submit">
          <Show when={saving()} fallback={t("tracing.addContact.submit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
