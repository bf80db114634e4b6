/**
 * An officer's status buttons for one venue: approve a pending venue, suspend an active one
 * (with a reason, after a confirmation), reopen a suspended one. Used by the list and the venue page.
 */
import { For, Show, createSignal } from "solid-js";
import { setVenueStatus, type Venue, type VenueStatusAction } from "../api";
import { venueActions } from "../access";
import Dialog from "../components/Dialog";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import Spinner from "../components/Spinner";
import { t, type MessageKey } from "../i18n";

const LABEL: Record<VenueStatusAction, MessageKey> = {
  approve: "venues.approve",
  suspend: "venues.suspend",
  reopen: "venues.reopen",
};
const DONE: Record<VenueStatusAction, MessageKey> = {
  approve: "venues.approvedOk",
  suspend: "venues.suspendedOk",
  reopen: "venues.reopenedOk",
};

/** The flash message after `action` on the venue named `name`. */
export const statusChangedMessage = (action: VenueStatusAction, name: string, from?: Venue["status"]) =>
  t(action === "suspend" && from === "pending" ? "venues.rejectedOk" : DONE[action], { name });

export default function VenueModeration(props: {
  venue: Venue;
  /** `from` is the status before the change. */
  onChanged: (venue: Venue, action: VenueStatusAction, from: Venue["status"]) => void;
  onError: (error: unknown) => void;
  small?: boolean;
}) {
  const [busy, setBusy] = createSignal<VenueStatusAction | null>(null);
  const [suspending, setSuspending] = createSignal(false);
  const [reason, setReason] = createSignal("");
  const [reasonError, setReasonError] = createSignal<string | undefined>(undefined);
  const [dialogError, setDialogError] = createSignal<unknown>(null);

  const run = async (action: VenueStatusAction, why?: string) => {
    const from = props.venue.status;
    setBusy(action);
    props.onError(null);
    setDialogError(null);
    try {
      const updated = await setVenueStatus(props.venue.id, action, why);
      setSuspending(false);
      setReason("");
      props.onChanged(updated, action, from);
    } catch (error) {
      if (suspending()) setDialogError(error);
      else props.onError(error);
    } finally {
      setBusy(null);
    }
  };

  /** Suspending a venue that was never approved turns its registration down. */
  const rejecting = () => props.venue.status === "pending";

  const confirmSuspend = (e: SubmitEvent) => {
    e.preventDefault();
    if (!reason().trim()) {
      setReasonError(t("common.required"));
      document.getElementById("venue-suspend-reason")?.focus();
      return;
    }
    void run("suspend", reason().trim());
  };

  const btnClass = (action: VenueStatusAction) =>
    `btn ${props.small ? "btn-small " : ""}${action === "suspend" ? "btn-danger-ghost" : action === "approve" ? "btn-primary" : ""}`;

  return (
    <>
      <For each={venueActions(props.venue.status)}>
        {(action) => (
          <button
            type="button"
            class={btnClass(action)}
            disabled={busy() !== null}
            data-testid={`venue-${action}`}
            onClick={() => (action === "suspend" ? setSuspending(true) : void run(action))}
          >
            <Show when={busy() === action} fallback={rejecting() && action === "suspend" ? t("venues.reject") : t(LABEL[action])}>
              <Spinner inline />
            </Show>
          </button>
        )}
      </For>
      <Show when={suspending()}>
        <Dialog title={rejecting() ? t("venues.rejectDialog.title") : t("venues.suspendDialog.title")} onClose={() => setSuspending(false)} testId="venue-suspend-dialog">
          <form class="form" onSubmit={confirmSuspend} noValidate>
            <p>{rejecting() ? t("venues.rejectDialog.body", { name: props.venue.name }) : t("venues.suspendDialog.body", { name: props.venue.name })}</p>
            <ErrorBanner error={dialogError()} />
            <Field id="venue-suspend-reason" label={t("venues.suspendDialog.reason")} error={reasonError()} hint={t("venues.suspendDialog.reasonHint")} required>
              <textarea
                id="venue-suspend-reason"
                rows="3"
                maxLength={500}
                value={reason()}
                onInput={(e) => {
                  setReason(e.currentTarget.value);
                  setReasonError(undefined);
                }}
                aria-invalid={reasonError() ? "true" : undefined}
                aria-describedby={describedBy("venue-suspend-reason", reasonError(), true)}
                data-testid="venue-suspend-reason"
              />
            </Field>
            <div class="form-actions">
              <button type="button" class="btn btn-ghost" onClick={() => setSuspending(false)}>
                {t("common.cancel")}
              </button>
              <button type="submit" class="btn btn-danger" disabled={busy() !== null} data-testid="venue-suspend-ok">
                <Show when={busy() === "suspend"} fallback={rejecting() ? t("venues.reject") : t("venues.suspend")}>
                  <Spinner inline />
                </Show>
              </button>
            </div>
          </form>
        </Dialog>
      </Show>
    </>
  );
}
