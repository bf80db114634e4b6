/**
 * "Confirm positive": the contact tested positive. Registers a new case (F0) linked to the case
 * it came from, traced at once by the server, and opens it.
 */
import { useNavigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import Dialog from "../../components/Dialog";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { CASE_PATHS, CaseFactsFields, applyCaseErrors, createCaseFacts } from "./CaseFactsForm";
import { confirmContact, type Contact } from "./tracing.api";

export default function ConfirmPositiveDialog(props: { contact: Contact; onClose: () => void }) {
  const navigate = useNavigate();
  const facts = createCaseFacts();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!facts.validate()) return;
    setSaving(true);
    try {
      const created = await confirmContact(props.contact.id, { ...facts.values(), trace: true });
      props.onClose();
      navigate(`/cases/${encodeURIComponent(created.id)}`, { state: { created: true, traced: true } });
    } catch (error) {
      setFailure(applyCaseErrors(error, facts) ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={t("tracing.confirm.title", { name: props.contact.person.fullName })} onClose={props.onClose} testId="contact-confirm-dialog">
      <form class="form form-grid" onSubmit={submit} noValidate data-testid="contact-confirm-form">
        <p class="form-note muted">{t("tracing.confirm.lead")}</p>
        <ErrorBanner error={failure()} handledFields={CASE_PATHS} testId="contact-confirm-error" />
        <CaseFactsFields facts={facts} idPrefix="confirm" />
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={() => props.onClose()}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-danger" disabled={saving()} data-testid="contact-confirm-submit">
            <Show when={saving()} fallback={t("tracing.confirm.submit")}>
              <Spinner inline label={t("common.saving")} />
            </Show>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
