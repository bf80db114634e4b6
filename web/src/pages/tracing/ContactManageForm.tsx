/** Change a contact's status, quarantine end, commune team (of the same province) and notes. */
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import Spinner from "../../components/Spinner";
import { CommuneSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { session } from "../../session";
import { SETTABLE_CONTACT_STATUSES, updateContact, type Contact, type ContactPatch } from "./tracing.api";
import { contactStatusLabel, fieldErrorsByPath, shownByFields } from "./tracing.data";

type Settable = (typeof SETTABLE_CONTACT_STATUSES)[number];
const FIELDS = ["status", "quarantineUntil", "communeCode", "notes"] as const;

export default function ContactManageForm(props: { contact: Contact; onSaved: (c: Contact) => void }) {
  const me = () => session.user()!;
  const c = () => props.contact;
  const [status, setStatus] = createSignal<Settable>(c().status === "became_f0" ? "identified" : (c().status as Settable));
  const [quarantineUntil, setQuarantineUntil] = createSignal(c().quarantineUntil.slice(0, 10));
  const [communeCode, setCommuneCode] = createSignal(c().communeCode ?? "");
  const [notes, setNotes] = createSignal(c().notes ?? "");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    setErrors({});
    const patch: ContactPatch = {};
    if (status() !== c().status) patch.status = status();
    if (quarantineUntil() && quarantineUntil() !== c().quarantineUntil.slice(0, 10)) patch.quarantineUntil = quarantineUntil();
    if (communeCode() && communeCode() !== (c().communeCode ?? "")) patch.communeCode = communeCode();
    if (notes().trim() !== (c().notes ?? "")) patch.notes = notes().trim() || null;
    if (Object.keys(patch).length === 0) return;
    setSaving(true);
    try {
      props.onSaved(await updateContact(c().id, patch));
    } catch (error) {
      setErrors(fieldErrorsByPath(error));
      setFailure(shownByFields(error, FIELDS) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate data-testid="contact-manage-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="contact-manage-error" />
      <Field id="contact-status" label={t("tracing.col.status")} error={errors().status}>
        <select id="contact-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as Settable)} data-testid="contact-status-select">
          <For each={SETTABLE_CONTACT_STATUSES}>
            {(s) => (
              <option value={s} selected={s === status()}>
                {contactStatusLabel(s)}
              </option>
            )}
          </For>
        </select>
      </Field>
      <Field id="contact-quarantineUntil" label={t("tracing.col.quarantine")} error={errors().quarantineUntil}>
        <input
          id="contact-quarantineUntil"
          type="date"
          value={quarantineUntil()}
          onInput={(e) => setQuarantineUntil(e.currentTarget.value)}
          aria-invalid={errors().quarantineUntil ? "true" : undefined}
          aria-describedby={describedBy("contact-quarantineUntil", errors().quarantineUntil)}
          data-testid="contact-quarantine-input"
        />
      </Field>
      {/* Re-assigning to another commune team: province officers and national admins (commune officers keep their own). */}
      <Show when={me().role !== "commune_officer"}>
        <Field id="contact-communeCode" label={t("tracing.contact.team")} error={errors().communeCode} hint={t("tracing.contact.teamHint")}>
          <CommuneSelect
            id="contact-communeCode"
            provinceCode={c().provinceCode}
            value={communeCode()}
            emptyLabel={t("area.chooseCommune")}
            invalid={!!errors().communeCode}
            testId="contact-commune-select"
            onChange={setCommuneCode}
          />
        </Field>
      </Show>
      <Field id="contact-notes" label={t("tracing.case.notes")} error={errors().notes}>
        <textarea id="contact-notes" rows="2" maxLength={2000} value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} data-testid="contact-notes" />
      </Field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="contact-manage-submit">
          <Show when={saving()} fallback={t("common.save")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
