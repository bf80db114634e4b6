/**
 * A table of close contacts: name, phone, degree, venue (or how they met the case), overlap,
 * minutes together, status, quarantine end, and "Mark notified" for officers who may change
 * them. Used by the case page (with the exposures of the trace) and the contacts worklist.
 */
import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { ContactStatusBadge, DegreeBadge } from "./Badges";
import { updateContact, type Contact, type Exposure } from "./tracing.api";
import { formatMinutes, formatRange, formatVnDateTime, formatVnDay, sourceLabel } from "./tracing.data";

export type ContactRow = Contact & { exposures?: Exposure[] };

/** Statuses from which "Mark notified" makes sense. */
const NOTIFIABLE: readonly Contact["status"][] = ["identified"];

export default function ContactsTable(props: {
  contacts: ContactRow[];
  canEdit: boolean;
  onChanged: (contact: Contact) => void;
  /** The last follow-up column (the worklist). */
  showLastFollowUp?: boolean;
  testId?: string;
}) {
  const [busyId, setBusyId] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  const markNotified = async (contact: ContactRow) => {
    setBusyId(contact.id);
    setError(null);
    try {
      props.onChanged(await updateContact(contact.id, { status: "notified" }));
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
    }
  };

  /** Where they met the case: the exposure's venue and overlap, or the contact's own range. */
  const overlap = (c: ContactRow) => {
    const ex = c.exposures ?? [];
    if (ex.length === 1) return formatRange(ex[0]!.overlapStart, ex[0]!.overlapEnd);
    return formatRange(c.firstExposureAt, c.lastExposureAt);
  };

  return (
    <>
      <ErrorBanner error={error()} onDismiss={() => setError(null)} testId="contacts-action-error" />
      <div class="table-wrap">
        <table class="data-table cards-on-phone contacts-table" data-testid={props.testId ?? "contacts-table"}>
          <thead>
            <tr>
              <th scope="col">{t("tracing.col.name")}</th>
              <th scope="col">{t("tracing.col.phone")}</th>
              <th scope="col">{t("tracing.col.degree")}</th>
              <th scope="col">{t("tracing.col.venue")}</th>
              <th scope="col">{t("tracing.col.overlap")}</th>
              <th scope="col" class="num">
                {t("tracing.col.minutes")}
              </th>
              <th scope="col">{t("tracing.col.status")}</th>
              <th scope="col">{t("tracing.col.quarantine")}</th>
              <Show when={props.showLastFollowUp}>
                <th scope="col">{t("tracing.col.lastFollowUp")}</th>
              </Show>
              <Show when={props.canEdit}>
                <th scope="col" class="actions-col">
                  {t("tracing.col.actions")}
                </th>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={props.contacts}>
              {(c) => (
                <tr data-testid="contact-row" data-contact-id={c.id} data-person-name={c.person.fullName} data-status={c.status} data-degree={c.degree}>
                  <td data-label={t("tracing.col.name")} class="cell-title">
                    <A href={`/contacts/${encodeURIComponent(c.id)}`} class="venue-link" data-testid="contact-open">
                      {c.person.fullName}
                    </A>
                    <Show when={c.person.birthYear}>
                      <span class="sub muted">{c.person.birthYear}</span>
                    </Show>
                  </td>
                  <td data-label={t("tracing.col.phone")} class="nowrap">
                    <Show when={c.person.phone} fallback={<span class="muted">–</span>}>
                      <a href={`tel:${c.person.phone}`} data-testid="contact-phone">
                        {c.person.phone}
                      </a>
                    </Show>
                  </td>
                  <td data-label={t("tracing.col.degree")}>
                    <DegreeBadge degree={c.degree} />
                  </td>
                  <td data-label={t("tracing.col.venue")} data-testid="contact-venue">
                    <Show when={c.venue} fallback={<span>{sourceLabel(c.source)}</span>}>
                      {(v) => (
                        <span>
                          {v().name}
                          <Show when={(c.exposures?.length ?? 0) > 1}>
                            <span class="sub muted">{t("tracing.contacts.exposures", { n: c.exposures!.length })}</span>
                          </Show>
                        </span>
                      )}
                    </Show>
                  </td>
                  <td data-label={t("tracing.col.overlap")} class="nowrap" data-testid="contact-overlap">
                    {overlap(c)}
                  </td>
                  <td data-label={t("tracing.col.minutes")} class="num nowrap" data-testid="contact-minutes">
                    {formatMinutes(c.minutesTogether)}
                  </td>
                  <td data-label={t("tracing.col.status")}>
                    <ContactStatusBadge status={c.status} />
                  </td>
                  <td data-label={t("tracing.col.quarantine")} class="nowrap" data-testid="contact-quarantine">
                    {formatVnDay(c.quarantineUntil)}
                  </td>
                  <Show when={props.showLastFollowUp}>
                    <td data-label={t("tracing.col.lastFollowUp")} class="nowrap">
                      <Show when={c.lastFollowUp} fallback={<span class="muted">{t("tracing.contacts.neverCalled")}</span>}>
                        {formatVnDay(c.lastFollowUp)}
                      </Show>
                    </td>
                  </Show>
                  <Show when={props.canEdit}>
                    <td data-label={t("tracing.col.actions")} class="actions-col">
                      <div class="row-actions">
                        <Show
                          when={NOTIFIABLE.includes(c.status)}
                          fallback={
                            <Show when={c.notifiedAt}>
                              <span class="small muted">{t("tracing.contacts.notifiedAt", { at: formatVnDateTime(c.notifiedAt) })}</span>
                            </Show>
                          }
                        >
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={busyId() === c.id}
                            onClick={() => void markNotified(c)}
                            data-testid="contact-mark-notified"
                          >
                            <Show when={busyId() === c.id} fallback={t("tracing.contacts.markNotified")}>
                              <Spinner inline label={t("common.saving")} />
                            </Show>
                          </button>
                        </Show>
                      </div>
                    </td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  );
}
